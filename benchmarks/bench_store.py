"""History store costs: writes the engine makes per event, and the reads a console makes.

Each write is its own transaction (the engine records every event before showing it), so the
figures are commits per second on this disk with ``synchronous=NORMAL`` in WAL mode. The log
cap is compared side by side with the same inserts without pruning; reads are timed on a
history of ``--transitions`` rows spread over ``--customers`` customers.

    python benchmarks/bench_store.py [--lines 20000] [--transitions 100000] [--customers 20]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bgtui.domain.snapshot import SnapshotState
from bgtui.store.history import HistoryStore

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>10,.0f}/s"


def timed(action: Callable[[], object], repeat: int = 20) -> float:
    """Median milliseconds of ``repeat`` runs."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def bench_log(folder: Path, lines: int) -> None:
    kept = lines // 4  # the cap is active for three quarters of the run
    with HistoryStore(folder / "capped.sqlite3", log_lines_kept=kept) as store:
        started = time.perf_counter()
        for n in range(lines):
            store.append_log("acme/20250101", "info", f"batch {n} written", T0)
        capped = time.perf_counter() - started
        assert len(store.load_log("acme/20250101", limit=lines)) == kept

    # Baseline: the same one-transaction-per-line inserts with no pruning.
    baseline_path = folder / "plain.sqlite3"
    HistoryStore(baseline_path).close()
    connection = sqlite3.connect(baseline_path, isolation_level=None)
    connection.execute("PRAGMA synchronous = NORMAL")
    started = time.perf_counter()
    for n in range(lines):
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT INTO load_log (snapshot_key, at, level, message) VALUES (?, ?, ?, ?)",
            ("acme/20250101", T0.isoformat(), "info", f"batch {n} written"),
        )
        connection.execute("COMMIT")
    plain = time.perf_counter() - started
    connection.close()

    print(f"append_log, capped at {kept:,}  {rate(lines, capped)}")
    print(f"plain insert, no cap        {rate(lines, plain)}   (cap costs {capped / plain:.2f}x)")


def bench_history(folder: Path, transitions: int, customers: int) -> None:
    with HistoryStore(folder / "history.sqlite3") as store:
        started = time.perf_counter()
        for n in range(transitions):
            key = f"customer{n % customers:02d}/{20250101 + n // customers}"
            at = T0 + timedelta(seconds=n)
            state = SnapshotState.QUEUED if n % 3 else SnapshotState.SEEN
            store.record_transition(key, None, state, "found", "bgtui", at)
            if n % 50 == 0:
                store.record_alias_change(
                    f"customer{n % customers:02d}", "alias", None, "db", "promote", "b", "", at
                )
        written = time.perf_counter() - started
        print(f"record_transition           {rate(transitions, written)}")
        reads: dict[str, Callable[[], object]] = {
            "history(200)": lambda: store.history(200),
            "history(200, one customer)": lambda: store.history(200, customer="customer07"),
            "counters()": store.counters,
            "last_alias_target()": lambda: store.last_alias_target("customer07"),
            "snapshots()": store.snapshots,
        }
        for name, read in reads.items():
            print(f"{name:<28}{timed(read):>10.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--transitions", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=20)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench_log(Path(folder), arguments.lines)
        bench_history(Path(folder), arguments.transitions, arguments.customers)


if __name__ == "__main__":
    main()
