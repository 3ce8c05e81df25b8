"""Detection latency: a snapshot's ``_SUCCESS`` marker lands → the watcher reports it ready.

A base path already holding ``--customers`` by ``--snapshots`` complete snapshots is watched by a
real ``SnapshotWatcher`` (inotify through watchdog, then polling). Each sample writes a new
snapshot's files, pauses, writes the marker, and times until the watcher's callback says ready.

The baseline, measured in the same run with the same watcher: a snapshot judged by quiet time
(``require: settle`` with ``settle: 0``), which can only be reported after the debounce. With
polling, the figure is set by ``poll_interval``; its ratio to the interval is printed too.

    python benchmarks/bench_detection.py [--samples 20] [--customers 200] [--snapshots 5]
    BENCH_QUICK=1 python benchmarks/bench_detection.py     # fewer samples, a shorter poll
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import tempfile
import threading
import time
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bgtui.config.settings import ReadinessSettings, SnapshotSettings
from bgtui.watch import Discovery, SnapshotWatcher

warnings.filterwarnings("ignore", message="Callback with id", category=RuntimeWarning)

QUICK = os.environ.get("BENCH_QUICK") == "1"
PAUSE = 0.05  # between the data files and the marker, as a producer finishing up
PATIENCE = 30.0
FIRST_ARRIVAL = datetime(2024, 6, 1, tzinfo=UTC)
ARRIVALS = itertools.count()


class Ready:
    """Monotonic time each snapshot key was first reported ready (the watcher's thread)."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.changed = threading.Condition()

    def __call__(self, discovery: Discovery) -> None:
        if discovery.ready:
            with self.changed:
                self.at.setdefault(discovery.snapshot.key, time.monotonic())
                self.changed.notify_all()

    def wait(self, key: str) -> float:
        with self.changed:
            if not self.changed.wait_for(lambda: key in self.at, PATIENCE):
                raise TimeoutError(f"{key} was never reported ready")
            return self.at[key]

    def wait_count(self, count: int) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: len(self.at) >= count, 120):
                raise TimeoutError(f"only {len(self.at)} of {count} reported ready")


def write_parts(folder: Path) -> None:
    for part, name, text in (
        ("nodes", "people.csv", "id:ID,name\n1,Ada\n2,Bob\n"),
        ("relationships", "knows.csv", ":START_ID,:END_ID,:TYPE\n1,2,KNOWS\n"),
    ):
        (folder / part).mkdir(parents=True, exist_ok=True)
        (folder / part / name).write_text(text)


def populate(base: Path, customers: int, snapshots: int) -> int:
    for c in range(customers):
        for s in range(snapshots):
            folder = base / f"cust{c:04d}" / f"2024050{1 + s}T120000Z"
            write_parts(folder)
            (folder / "_SUCCESS").write_text("")
    return customers * snapshots


def sample(
    base: Path, mode: str, require: str, samples: int, poll: float, background: int
) -> list[float]:
    """Seconds from the completing write to the ready report, one per new snapshot."""
    settings = SnapshotSettings(
        base_path=base,
        watch=mode,
        poll_interval=poll,
        readiness=ReadinessSettings(require=require, settle=0.0),
    )
    ready = Ready()
    watcher = SnapshotWatcher(base, settings, ready)
    watcher.start()
    try:
        ready.wait_count(background)
        latencies = []
        jitter = random.Random(5)
        for _ in range(samples):
            if mode == "polling":  # arrive at any point of the poll cycle, not just after one
                time.sleep(jitter.uniform(0, poll))
            taken = FIRST_ARRIVAL + timedelta(minutes=next(ARRIVALS))
            folder = base / "arrivals" / taken.strftime("%Y%m%dT%H%M%SZ")
            write_parts(folder)
            time.sleep(PAUSE)
            if require == "settle":
                (folder / "nodes" / "last.csv").write_text("id:ID\n9\n")
            else:
                (folder / "_SUCCESS").write_text("")
            written = time.monotonic()
            latencies.append(ready.wait(f"arrivals/{folder.name}") - written)
            time.sleep(PAUSE)
        return latencies
    finally:
        watcher.stop()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def line(label: str, values: list[float]) -> None:
    print(
        f"{label:<44} p50 {statistics.median(values) * 1000:>7.1f} ms   "
        f"p95 {p95(values) * 1000:>7.1f} ms   max {max(values) * 1000:>7.1f} ms  (n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=8 if QUICK else 20)
    parser.add_argument("--poll-samples", type=int, default=4 if QUICK else 10)
    parser.add_argument("--customers", type=int, default=50 if QUICK else 200)
    parser.add_argument("--snapshots", type=int, default=5)
    parser.add_argument("--poll-interval", type=float, default=1.0 if QUICK else 5.0)
    args = parser.parse_args()
    debounce = SnapshotSettings(base_path=Path(".")).debounce
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "snapshots"
        background = populate(base, args.customers, args.snapshots)
        print(
            f"{background:,} complete snapshots already there; debounce {debounce:.1f}s, "
            f"poll_interval {args.poll_interval:.1f}s",
            flush=True,
        )
        marker = sample(base, "events", "auto", args.samples, args.poll_interval, background)
        quiet = sample(base, "events", "settle", args.samples, args.poll_interval, background)
        polled = sample(base, "polling", "auto", args.poll_samples, args.poll_interval, background)
    line("events: marker lands → seen ready", marker)
    line("events: quiet-time snapshot (settle 0) → seen", quiet)
    line("polling: marker lands → seen ready", polled)
    print(
        f"marker → seen p95 (events) ÷ the debounced path p95: {p95(marker) / p95(quiet):.3f} "
        f"(goal: p95 ≤ 200 ms; now {p95(marker) * 1000:.0f} ms)"
    )
    print(
        f"marker → seen p95 (polling) ÷ poll_interval: {p95(polled) / args.poll_interval:.2f} "
        f"(a poll finds it; p95 {p95(polled):.2f}s at poll_interval {args.poll_interval:.1f}s)"
    )


if __name__ == "__main__":
    main()
