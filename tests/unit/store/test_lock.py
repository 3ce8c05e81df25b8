"""One controller per base path, checked with real processes holding real flocks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bgtui.store.lock import ControllerLock, LockHeld, LockHolder

# Takes the lock, says so on stdout, then holds it until killed or stdin closes.
_HOLDER = """
import json, sys
from pathlib import Path
from bgtui.store.lock import ControllerLock

lock = ControllerLock(Path(sys.argv[1]), Path(sys.argv[2]))
me = lock.acquire()
print(json.dumps({"pid": me.pid}), flush=True)
sys.stdin.read()
"""


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    base = tmp_path / "snapshots"
    base.mkdir()
    return tmp_path / "state", base


@pytest.fixture
def holder_process(dirs: tuple[Path, Path]) -> Iterator[subprocess.Popen[str]]:
    state_dir, base = dirs
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(state_dir), str(base)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, process.stderr.read() if process.stderr else "holder said nothing"
    assert json.loads(line)["pid"] == process.pid
    yield process
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=10)


def _kill(process: subprocess.Popen[str]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def test_a_second_controller_is_told_who_holds_the_base_path(
    dirs: tuple[Path, Path], holder_process: subprocess.Popen[str]
) -> None:
    state_dir, base = dirs

    with pytest.raises(LockHeld) as refused:
        ControllerLock(state_dir, base).acquire()

    holder = refused.value.holder
    assert holder is not None
    assert holder.pid == holder_process.pid
    assert holder.base_path == str(base.resolve())
    assert f"held by pid {holder_process.pid} (" in str(refused.value)
    assert str(base.resolve()) in str(refused.value)


def test_a_read_only_console_sees_the_holder(
    dirs: tuple[Path, Path], holder_process: subprocess.Popen[str]
) -> None:
    holder = ControllerLock(*dirs).read_holder()
    assert holder is not None
    assert holder.pid == holder_process.pid


def test_a_killed_holder_leaves_a_file_that_blocks_nobody(
    dirs: tuple[Path, Path], holder_process: subprocess.Popen[str]
) -> None:
    lock = ControllerLock(*dirs)
    _kill(holder_process)
    stale = LockHolder.from_json(lock.path.read_text())
    assert stale is not None and stale.pid == holder_process.pid  # its record is still there

    assert lock.read_holder() is None
    me = lock.acquire()
    try:
        assert me.pid == os.getpid()
        recorded = LockHolder.from_json(lock.path.read_text())
        assert recorded is not None and recorded.pid == os.getpid()
    finally:
        lock.release()


def test_a_holder_that_exits_cleanly_frees_the_lock(
    dirs: tuple[Path, Path], holder_process: subprocess.Popen[str]
) -> None:
    holder_process.communicate(input="", timeout=10)  # closes stdin; it exits
    with ControllerLock(*dirs) as lock:
        assert lock.held


def test_release_frees_it_for_another_process(dirs: tuple[Path, Path]) -> None:
    state_dir, base = dirs
    lock = ControllerLock(state_dir, base)
    lock.acquire()
    lock.release()
    assert not lock.held
    other = subprocess.run(
        [sys.executable, "-c", _HOLDER, str(state_dir), str(base)],
        input="",
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert other.returncode == 0, other.stderr
    assert json.loads(other.stdout)["pid"] != os.getpid()


def test_the_lock_is_per_base_path(tmp_path: Path, dirs: tuple[Path, Path]) -> None:
    state_dir, base = dirs
    other_base = tmp_path / "other"
    other_base.mkdir()
    with ControllerLock(state_dir, base), ControllerLock(state_dir, other_base) as second:
        assert second.held
        # the same folder spelled differently is the same base path
        spelled_differently = base / ".." / base.name
        with pytest.raises(LockHeld):
            ControllerLock(state_dir, spelled_differently).acquire()


def test_the_holder_is_recorded_and_cleared_on_release(dirs: tuple[Path, Path]) -> None:
    lock = ControllerLock(*dirs)
    with lock:
        recorded = json.loads(lock.path.read_text())
        assert recorded["pid"] == os.getpid()
        assert recorded["base_path"] == str(dirs[1].resolve())
        assert {"user", "host", "started_at"} <= set(recorded)
        assert lock.read_holder() == LockHolder.from_json(lock.path.read_text())
    assert lock.path.read_text() == ""
    assert lock.read_holder() is None


def test_nobody_holds_a_lock_that_was_never_taken(dirs: tuple[Path, Path]) -> None:
    assert ControllerLock(*dirs).read_holder() is None


def test_the_holder_is_described_for_the_operator() -> None:
    started = datetime.now(UTC).replace(second=0, microsecond=0)
    holder = LockHolder(123, "alice", "db-host", started, "/srv/snapshots")
    local = started.astimezone()

    assert holder.describe(now=started) == f"pid 123 (alice@db-host) since {local:%H:%M}"
    a_week_later = started + timedelta(days=7)
    assert holder.describe(now=a_week_later).endswith(f"since {local:%Y-%m-%d %H:%M}")


def test_a_lock_file_with_foreign_content_is_no_holder() -> None:
    assert LockHolder.from_json("") is None
    assert LockHolder.from_json("{not json") is None
    assert LockHolder.from_json('{"pid": 1}') is None
