"""orchestrator_status.json: the old file's keys and types, bgtui's additions, atomic writes."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bgtui import __version__
from bgtui.domain.snapshot import SnapshotState as S
from bgtui.store.history import HistoryStore
from bgtui.store.status_export import (
    STATUS_FILE_NAME,
    StatusExporter,
    StatusExportError,
    write_status_file,
)
from tests.helpers.store import at, make_view

# The replaced orchestrator.py's status file: every key it wrote and the JSON type it had.
OLD_KEYS: dict[str, type | tuple[type, ...]] = {
    "uptime_seconds": int,
    "tasks_discovered": int,
    "tasks_completed": int,
    "tasks_failed": int,
    "tasks_retried": int,
    "success_rate": float,
    "queue_size": int,
    "last_activity": (str, type(None)),
    "status": str,
    "workers": int,
    "scan_interval": int,
    "data_path": str,
}


class SteppingClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def _exporter(store: HistoryStore, path: Path, clock: SteppingClock) -> StatusExporter:
    return StatusExporter(
        store,
        path,
        base_path=Path("/srv/snapshots"),
        workers=2,
        scan_interval_seconds=30,
        now=clock,
    )


def _story(store: HistoryStore) -> None:
    """acme-1 went live; acme-2 waits for approval; globex failed once and is queued again."""
    for key, states in {
        "acme/20250301": [S.SEEN, S.QUEUED, S.LOADING, S.VALIDATING, S.PROMOTING, S.LIVE],
        "acme/20250314": [S.SEEN, S.QUEUED, S.LOADING, S.VALIDATING, S.AWAITING_APPROVAL],
        "globex/20250314": [S.SEEN, S.QUEUED, S.LOADING, S.FAILED, S.QUEUED],
    }.items():
        before = None
        for n, state in enumerate(states):
            store.record_transition(key, before, state, "", "bgtui", at(n))
            before = state
        store.record_snapshot(make_view(key, states[-1]))
    store.record_alias_change("acme", "acme", None, "acme-20250301", "create", "bgtui", "", at(9))


def _read(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def test_the_old_keys_are_all_there_with_their_old_types(
    store: HistoryStore, tmp_path: Path
) -> None:
    _story(store)
    path = tmp_path / STATUS_FILE_NAME

    _exporter(store, path, SteppingClock(at(100)))()
    document = _read(path)

    for key, expected in OLD_KEYS.items():
        assert key in document, key
        assert isinstance(document[key], expected), (key, document[key])
        assert not isinstance(document[key], bool), key  # bool passes isinstance(int)
    assert list(document)[: len(OLD_KEYS)] == list(OLD_KEYS)  # the old order, for diffs


def test_the_old_keys_carry_bgtuis_numbers(store: HistoryStore, tmp_path: Path) -> None:
    _story(store)
    clock = SteppingClock(at(100))
    exporter = _exporter(store, tmp_path / STATUS_FILE_NAME, clock)
    clock.now = at(100 + 3_725.9)

    document = exporter.write()

    assert document == _read(exporter.path)
    assert document["uptime_seconds"] == 3_725
    assert document["tasks_discovered"] == 3
    assert document["tasks_completed"] == 2
    assert document["tasks_failed"] == 1
    assert document["tasks_retried"] == 1
    assert document["success_rate"] == pytest.approx(200 / 3)
    assert document["queue_size"] == 1
    assert document["last_activity"] == "2025-03-14T09:27:02.589793+00:00"
    assert datetime.fromisoformat(document["last_activity"]) == at(9)
    assert document["status"] == "running"
    assert (document["workers"], document["scan_interval"]) == (2, 30)
    assert document["data_path"] == "/srv/snapshots"


def test_bgtuis_own_keys_say_what_is_live_and_what_waits(
    store: HistoryStore, tmp_path: Path
) -> None:
    _story(store)

    document = _exporter(store, tmp_path / STATUS_FILE_NAME, SteppingClock(at(100))).write()

    assert document["bgtui_version"] == __version__
    assert document["read_only"] is False
    assert document["awaiting_approval"] == ["acme/20250314"]
    assert document["snapshots_by_state"] == {"awaiting_approval": 1, "live": 1, "queued": 1}
    assert document["customers"] == {
        "acme": {
            "alias": "acme",
            "live_database": "acme-20250301",
            "awaiting_approval": ["acme/20250314"],
        },
        "globex": {"alias": "globex", "live_database": None, "awaiting_approval": []},
    }
    assert datetime.fromisoformat(document["generated_at"]) == at(100)


def test_an_empty_history_gives_zeros_and_no_last_activity(
    store: HistoryStore, tmp_path: Path
) -> None:
    document = _exporter(store, tmp_path / STATUS_FILE_NAME, SteppingClock(at(0))).write("stopped")

    assert document["last_activity"] is None
    assert document["success_rate"] == 0.0
    assert isinstance(document["success_rate"], float)
    assert document["status"] == "stopped"
    assert document["customers"] == {}


def test_an_unknown_status_word_is_refused(store: HistoryStore, tmp_path: Path) -> None:
    exporter = _exporter(store, tmp_path / STATUS_FILE_NAME, SteppingClock(at(0)))
    with pytest.raises(ValueError, match="running, stopping, stopped"):
        exporter.write("paused")
    assert not exporter.path.exists()


def test_readers_never_see_a_partial_file(tmp_path: Path) -> None:
    path = tmp_path / STATUS_FILE_NAME
    big = {"padding": "x" * 200_000}
    write_status_file(path, {"n": -1, **big})
    done = threading.Event()
    problems: list[str] = []
    reads = 0

    def read() -> None:
        nonlocal reads
        while not done.is_set():
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, FileNotFoundError) as exc:
                problems.append(repr(exc))
                continue
            reads += 1
            if document["padding"] != big["padding"]:
                problems.append("padding cut short")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(150):
            write_status_file(path, {"n": n, **big})
    finally:
        done.set()
        reader.join()

    assert problems == []
    assert reads > 0
    assert _read(path)["n"] == 149
    assert sorted(p.name for p in tmp_path.iterdir()) == [STATUS_FILE_NAME]


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / STATUS_FILE_NAME
    write_status_file(path, {"n": 1})

    with pytest.raises(StatusExportError, match="not valid JSON"):
        write_status_file(path, {"n": 2, "when": object()})

    assert _read(path) == {"n": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == [STATUS_FILE_NAME]


def test_an_unusable_folder_is_reported_for_the_operator(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "status"
    not_a_folder.write_text("a file where the folder should be")

    with pytest.raises(StatusExportError, match="cannot write the status file"):
        write_status_file(not_a_folder / STATUS_FILE_NAME, {"n": 1})


def test_the_file_is_readable_by_monitoring_users(tmp_path: Path) -> None:
    path = tmp_path / STATUS_FILE_NAME
    write_status_file(path, {"n": 1})
    assert path.stat().st_mode & 0o777 == 0o644
