"""The watcher on real folders: real inotify events through watchdog, and the polling fallback.

Each test writes snapshots the way producers do and checks what the engine would be told.
Intervals are short so every test takes a second or two.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bgtui.config.settings import ReadinessSettings, SnapshotSettings
from bgtui.watch import Discovery, SnapshotWatcher

# The same watchdog race warning the observer module silences for the console (see there).
pytestmark = pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning")

QUICK = 0.1  # poll interval and debounce
PATIENCE = 5.0  # the longest any test waits for something that should happen


class Recorder:
    """Collects discoveries from the watcher's thread, with the monotonic time of each."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: list[tuple[float, Discovery]] = []

    def __call__(self, discovery: Discovery) -> None:
        assert threading.current_thread() is not threading.main_thread()
        with self.lock:
            self.seen.append((time.monotonic(), discovery))

    def of(self, key: str) -> list[tuple[float, Discovery]]:
        with self.lock:
            return [(t, d) for t, d in self.seen if d.snapshot.key == key]

    def ready(self, key: str) -> list[float]:
        return [t for t, d in self.of(key) if d.ready]

    def wait_for(self, condition: Callable[[], bool], timeout: float = PATIENCE) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.02)
        return condition()


@pytest.fixture(params=["events", "polling"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def start_watcher(
    tmp_path: Path, mode: str
) -> Iterator[Callable[..., tuple[SnapshotWatcher, Recorder]]]:
    watchers: list[SnapshotWatcher] = []

    def start(
        base: Path | None = None, settle: float = 60.0, require: str = "auto"
    ) -> tuple[SnapshotWatcher, Recorder]:
        base = base or tmp_path / "snapshots"
        settings = SnapshotSettings(
            base_path=base,
            watch=mode,
            poll_interval=QUICK,
            debounce=QUICK,
            readiness=ReadinessSettings(settle=settle, require=require),
        )
        recorder = Recorder()
        watcher = SnapshotWatcher(base, settings, recorder)
        watcher.start()
        watchers.append(watcher)
        assert watcher.mode == mode
        return watcher, recorder

    yield start
    for watcher in watchers:
        watcher.stop()


def write_parts(folder: Path) -> None:
    (folder / "nodes").mkdir(parents=True, exist_ok=True)
    (folder / "relationships").mkdir(parents=True, exist_ok=True)
    (folder / "nodes" / "people.csv").write_text("id:ID,name\n1,Ada\n")
    (folder / "relationships" / "knows.csv").write_text(":START_ID,:END_ID\n1,1\n")


def test_marker_last_is_reported_ready_once_and_only_after_the_marker(
    tmp_path: Path, start_watcher: Callable[..., tuple[SnapshotWatcher, Recorder]]
) -> None:
    base = tmp_path / "snapshots"
    base.mkdir()
    _, recorder = start_watcher(base)
    folder = base / "acme" / "20240501T120000Z"
    key = "acme/20240501T120000Z"
    (folder / "nodes").mkdir(parents=True)
    (folder / "nodes" / "people.csv").write_text("id:ID\n1\n")
    assert recorder.wait_for(lambda: bool(recorder.of(key)))
    (folder / "relationships").mkdir()
    (folder / "relationships" / "knows.csv").write_text(":START_ID,:END_ID\n1,1\n")
    time.sleep(5 * QUICK)
    assert recorder.ready(key) == []
    marker_written = time.monotonic()
    (folder / "_SUCCESS").write_text("")
    assert recorder.wait_for(lambda: bool(recorder.ready(key)))
    time.sleep(5 * QUICK)  # more polls and events: still only one ready report
    [ready_at] = recorder.ready(key)
    assert ready_at >= marker_written
    first_time, first = recorder.of(key)[0]
    assert not first.ready and first.problem is None and first_time < marker_written


def test_a_folder_moved_in_atomically_is_found(
    tmp_path: Path, start_watcher: Callable[..., tuple[SnapshotWatcher, Recorder]]
) -> None:
    base = tmp_path / "snapshots"
    (base / "acme").mkdir(parents=True)
    _, recorder = start_watcher(base)
    staging = base / "acme" / ".tmp-20240501"  # inside the watched tree, but ignored
    write_parts(staging)
    (staging / "_SUCCESS").write_text("")
    outside = tmp_path / "export" / "1714564800"  # written outside, moved into a new customer
    write_parts(outside)
    (outside / "_SUCCESS").write_text("")
    time.sleep(3 * QUICK)
    assert recorder.seen == []
    os.rename(staging, base / "acme" / "20240501T000000Z")
    (base / "globex").mkdir()
    os.rename(outside, base / "globex" / "1714564800")
    assert recorder.wait_for(
        lambda: (
            bool(recorder.ready("acme/20240501T000000Z"))
            and bool(recorder.ready("globex/1714564800"))
        )
    )


def test_a_half_written_snapshot_is_seen_but_never_ready(
    tmp_path: Path, start_watcher: Callable[..., tuple[SnapshotWatcher, Recorder]]
) -> None:
    base = tmp_path / "snapshots"
    base.mkdir()
    _, recorder = start_watcher(base, settle=60.0)
    write_parts(base / "acme" / "20240501")
    assert recorder.wait_for(lambda: bool(recorder.of("acme/20240501")))
    time.sleep(8 * QUICK)
    reports = [d for _, d in recorder.of("acme/20240501")]
    assert reports and not any(d.ready for d in reports)
    # A scan may catch the folder mid-write ("waiting for files in relationships/") before it
    # sees it whole and settling; either way it is reported, and never as ready.
    assert "settling" in reports[-1].detail or "waiting for files" in reports[-1].detail


def test_settle_time_is_rechecked_without_any_new_event(
    tmp_path: Path, start_watcher: Callable[..., tuple[SnapshotWatcher, Recorder]]
) -> None:
    base = tmp_path / "snapshots"
    base.mkdir()
    _, recorder = start_watcher(base, settle=0.6, require="settle")
    write_parts(base / "acme" / "20240501")
    written = time.monotonic()
    assert recorder.wait_for(lambda: bool(recorder.ready("acme/20240501")))
    assert recorder.ready("acme/20240501")[0] - written >= 0.55


def test_a_base_path_that_appears_later_is_watched(
    tmp_path: Path, start_watcher: Callable[..., tuple[SnapshotWatcher, Recorder]]
) -> None:
    base = tmp_path / "later" / "snapshots"
    _, recorder = start_watcher(base)
    time.sleep(2 * QUICK)
    folder = base / "acme" / "20240501"
    write_parts(folder)
    (folder / "_SUCCESS").write_text("")
    assert recorder.wait_for(lambda: bool(recorder.ready("acme/20240501")))
    later = base / "acme" / "20240502"  # and events keep arriving after it appeared
    write_parts(later)
    (later / "_SUCCESS").write_text("")
    assert recorder.wait_for(lambda: bool(recorder.ready("acme/20240502")))


def test_snapshots_already_there_at_start_are_reported(
    tmp_path: Path, start_watcher: Callable[..., tuple[SnapshotWatcher, Recorder]]
) -> None:
    base = tmp_path / "snapshots"
    write_parts(base / "acme" / "20240501")
    (base / "acme" / "20240501" / "_SUCCESS").write_text("")
    write_parts(base / "---" / "20240501")
    _, recorder = start_watcher(base)
    assert recorder.wait_for(
        lambda: bool(recorder.ready("acme/20240501")) and bool(recorder.of("---/20240501"))
    )
    [(_, refused)] = recorder.of("---/20240501")
    assert refused.problem is not None and "cannot become a Neo4j alias" in refused.problem


def test_nothing_is_reported_while_paused(
    tmp_path: Path, start_watcher: Callable[..., tuple[SnapshotWatcher, Recorder]]
) -> None:
    base = tmp_path / "snapshots"
    base.mkdir()
    watcher, recorder = start_watcher(base)
    watcher.pause()
    folder = base / "acme" / "20240501"
    write_parts(folder)
    (folder / "_SUCCESS").write_text("")
    time.sleep(5 * QUICK)
    assert recorder.seen == []
    watcher.resume()
    assert recorder.wait_for(lambda: bool(recorder.ready("acme/20240501")))
    assert len(recorder.of("acme/20240501")) == 1


def test_stop_ends_the_watcher_thread(
    tmp_path: Path, start_watcher: Callable[..., tuple[SnapshotWatcher, Recorder]]
) -> None:
    watcher, _ = start_watcher(tmp_path)
    watcher.stop()
    watcher.stop()
    assert not any(t.name == "bgtui-watch" and t.is_alive() for t in threading.enumerate())


@pytest.mark.parametrize("completion", ["marker", "manifest"])
def test_a_marker_or_manifest_makes_a_snapshot_ready_without_the_debounce(
    tmp_path: Path, completion: str
) -> None:
    """With a debounce far longer than the test waits, only the producer's own word can have
    made the snapshot ready; a quiet-time snapshot written alongside is still being debounced."""
    base = tmp_path / "snapshots"
    (base / "acme" / "20240430").mkdir(parents=True)  # reported by the first look
    settings = SnapshotSettings(
        base_path=base,
        watch="events",
        debounce=60.0,
        readiness=ReadinessSettings(settle=0.0),
    )
    recorder = Recorder()
    watcher = SnapshotWatcher(base, settings, recorder)
    watcher.start()
    try:
        assert recorder.wait_for(lambda: bool(recorder.of("acme/20240430")))
        quiet, announced = base / "acme" / "20240501", base / "acme" / "20240502"
        write_parts(quiet)
        write_parts(announced)
        if completion == "marker":
            (announced / "_SUCCESS").write_text("")
        else:
            files = [{"path": "nodes/people.csv"}, {"path": "relationships/knows.csv"}]
            (announced / "manifest.json").write_text(json.dumps({"files": files}))
        assert recorder.wait_for(lambda: bool(recorder.ready("acme/20240502")))
        assert recorder.ready("acme/20240501") == []
    finally:
        watcher.stop()
