"""Several writers and readers on one history file: threads, a second process, read-only."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bgtui.domain.snapshot import SnapshotState as S
from bgtui.store.errors import HistoryError, ReadOnlyHistory
from bgtui.store.history import HistoryStore
from tests.helpers.store import at, make_view

THREADS, WRITES_EACH = 8, 60


def _run_together(workers: list[threading.Thread]) -> None:
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert not worker.is_alive()


def test_threads_sharing_one_store_lose_nothing(store: HistoryStore) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def write(n: int) -> None:
        key = f"cust{n}/20250314"
        try:
            start.wait()
            for i in range(WRITES_EACH):
                store.record_transition(key, None, S.SEEN, f"{i}", "bgtui", at(i))
                store.append_log(key, "info", f"line {i}", at(i))
                store.record_snapshot(make_view(key, S.QUEUED, attempts=i))
        except BaseException as exc:
            errors.append(exc)

    _run_together([threading.Thread(target=write, args=(n,)) for n in range(THREADS)])

    assert errors == []
    assert len(store.history(limit=10_000)) == THREADS * WRITES_EACH
    assert all(len(store.load_log(f"cust{n}/20250314")) == WRITES_EACH for n in range(THREADS))
    assert {r.attempts for r in store.snapshots()} == {WRITES_EACH - 1}


_OTHER_PROCESS_WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from bgtui.domain.snapshot import SnapshotState
from bgtui.store.history import HistoryStore

with HistoryStore(Path(sys.argv[1])) as store:
    for i in range(int(sys.argv[2])):
        store.record_alias_change(
            "globex", "globex", None, f"globex-{i}", "manual", "script", "", datetime.now(UTC)
        )
        store.record_transition(
            "globex/20250314", None, SnapshotState.SEEN, "", "script", datetime.now(UTC)
        )
"""


def test_a_writer_in_another_process_waits_its_turn(history_path: Path) -> None:
    count = 150
    with HistoryStore(history_path) as store:
        other = subprocess.Popen(
            [sys.executable, "-c", _OTHER_PROCESS_WRITER, str(history_path), str(count)],
            stderr=subprocess.PIPE,
            text=True,
        )
        ours = 0
        while other.poll() is None or ours < count:  # keep writing for as long as it does
            store.record_transition("acme/20250314", None, S.SEEN, f"{ours}", "bgtui", at(ours))
            ours += 1
        _, stderr = other.communicate(timeout=60)
        assert other.returncode == 0, stderr

        assert len(store.history(limit=100_000)) == 2 * count + ours
        assert len(store.alias_changes(customer="globex", limit=10_000)) == count


def test_a_read_only_console_reads_while_the_controller_writes(history_path: Path) -> None:
    writer = HistoryStore(history_path)
    writer.record_snapshot(make_view("acme/20250314"))
    reader = HistoryStore.open_read_only(history_path)
    done = threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for i in range(300):
                writer.record_transition("acme/20250314", None, S.SEEN, f"{i}", "bgtui", at(i))
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    def read() -> None:
        try:
            while not done.is_set():
                seen.append(len(reader.transitions("acme/20250314")))
        except BaseException as exc:
            errors.append(exc)

    try:
        _run_together([threading.Thread(target=write), threading.Thread(target=read)])
        assert errors == []
        assert seen == sorted(seen)  # a reader never sees history go backwards
        assert len(reader.transitions("acme/20250314")) == 300
    finally:
        reader.close()
        writer.close()


_OTHER_PROCESS_READER = """
import json, sys
from pathlib import Path
from bgtui.store.history import HistoryStore

store = HistoryStore.open_read_only(Path(sys.argv[1]))
counts = [len(store.history(limit=100_000)) for _ in range(40)]
print(json.dumps(counts))
"""


def test_a_second_console_process_reads_read_only_during_writes(history_path: Path) -> None:
    with HistoryStore(history_path) as store:
        store.record_transition("acme/20250314", None, S.SEEN, "first", "bgtui", at(0))
        reader = subprocess.Popen(
            [sys.executable, "-c", _OTHER_PROCESS_READER, str(history_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        i = 0
        while reader.poll() is None and i < 5_000:
            i += 1
            store.record_transition("acme/20250314", None, S.SEEN, f"{i}", "bgtui", at(i))
        stdout, stderr = reader.communicate(timeout=60)

    assert reader.returncode == 0, stderr
    counts = json.loads(stdout)
    assert counts == sorted(counts)
    assert counts[0] >= 1


def test_a_read_only_store_refuses_every_write(history_path: Path) -> None:
    HistoryStore(history_path).close()
    with HistoryStore.open_read_only(history_path) as reader:
        assert reader.read_only
        with pytest.raises(ReadOnlyHistory, match="only the controller writes it"):
            reader.record_snapshot(make_view("acme/20250314"))
        with pytest.raises(ReadOnlyHistory):
            reader.record_alias_change("acme", "acme", None, "acme-1", "create", "x", "", at(0))
        assert reader.snapshots() == []


def test_a_closed_store_says_so(history_path: Path) -> None:
    store = HistoryStore(history_path)
    store.close()
    store.close()  # closing twice is harmless
    with pytest.raises(HistoryError, match="was closed"):
        store.snapshots()
