"""CSV reader throughput and memory at two file sizes, side by side with plain ``csv.reader``.

Generates a neo4j-admin node file (an id, six typed properties and a label per row), streams
it through ``open_snapshot(...).node_batches`` and through a bare ``csv.reader`` that does no
typing, and prints rows per second and the peak memory traced while reading. The reader's
peak should stay flat as the file grows fourfold: only one batch is ever held.

Rates are CPU seconds of this process (both readers are single-threaded and CPU-bound), the
best of ``--repeat`` runs taken alternately, so other work on a shared machine moves both
sides alike; the typed ÷ bare ratio is the figure that counts (goal: at least 0.30).

    python benchmarks/bench_csv_reader.py [--sizes 100000,400000] [--batch-size 10000]
    BENCH_QUICK=1 python benchmarks/bench_csv_reader.py     # one small file
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from bgtui.readers import open_snapshot

HEADER = [
    "personId:ID(people)",
    "name",
    "born:int",
    "score:double",
    "active:boolean",
    "joined:date",
    "tags:string[]",
    ":LABEL",
]
TAGS = ["gold", "silver", "bronze", "trial", "partner", "staff"]


def write_people(root: Path, rows: int) -> Path:
    """A snapshot folder with one node file of ``rows`` people."""
    rng = random.Random(11)
    start = date(2000, 1, 1)
    (root / "nodes").mkdir(parents=True)
    with (root / "nodes" / "people.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index in range(rows):
            writer.writerow(
                [
                    f"p{index}",
                    f"Person {index}",
                    rng.randint(1920, 2010),
                    round(rng.uniform(0, 100), 3),
                    "true" if index % 3 else "false",
                    (start + timedelta(days=rng.randint(0, 8000))).isoformat(),
                    ";".join(rng.sample(TAGS, 2)),
                    "Person;Customer" if index % 5 == 0 else "Person",
                ]
            )
    return root


def read_with_bgtui(root: Path, batch_size: int) -> int:
    reader = open_snapshot(root)
    reader.check()
    return sum(len(batch.rows) for batch in reader.node_batches(batch_size))


def read_with_csv_module(root: Path) -> int:
    """The baseline: parse the same file into lists of strings, no types, no checks."""
    count = 0
    with (root / "nodes" / "people.csv").open(newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        next(rows)
        for _ in rows:
            count += 1
    return count


def timed(read: Callable[[], int]) -> tuple[int, float]:
    started = time.process_time()
    rows = read()
    return rows, time.process_time() - started


def traced_peak(read: Callable[[], int]) -> int:
    tracemalloc.start()
    read()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def side_by_side(
    typed: Callable[[], int], bare: Callable[[], int], repeat: int
) -> tuple[int, float, int, float]:
    """Rows and best CPU seconds of each reader, run alternately ``repeat`` times."""
    best_typed = best_bare = float("inf")
    rows = base_rows = 0
    for _ in range(repeat):
        rows, seconds = timed(typed)
        best_typed = min(best_typed, seconds)
        base_rows, seconds = timed(bare)
        best_bare = min(best_bare, seconds)
    return rows, best_typed, base_rows, best_bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    quick = os.environ.get("BENCH_QUICK") == "1"
    parser.add_argument("--sizes", default="50000" if quick else "100000,400000")
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2 if quick else 3)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(
        f"{'rows':>9} {'file MB':>8} {'reader':>8} {'rows/s':>10} {'peak MiB':>9} "
        f"{'csv rows/s':>11} {'csv peak':>9} {'typed ÷ bare':>13}"
    )
    peaks = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = write_people(Path(folder) / "snapshot", size)
            megabytes = (root / "nodes" / "people.csv").stat().st_size / 1e6
            typed, bare = (
                partial(read_with_bgtui, root, args.batch_size),
                partial(read_with_csv_module, root),
            )
            rows, seconds, base_rows, base_seconds = side_by_side(typed, bare, args.repeat)
            peak, base_peak = traced_peak(typed), traced_peak(bare)
        assert rows == base_rows == size, (rows, base_rows, size)
        rate, base_rate = rows / seconds, base_rows / base_seconds
        peaks.append(peak)
        print(
            f"{size:>9,} {megabytes:>8.1f} {'bgtui':>8} {rate:>10,.0f} {peak / 2**20:>9.1f} "
            f"{base_rate:>11,.0f} {base_peak / 2**20:>8.2f}M {rate / base_rate:>13.3f}"
        )
    if len(peaks) > 1:
        growth = peaks[-1] / peaks[0]
        print(
            f"peak memory grew {growth:.2f}x while the file grew {sizes[-1] / sizes[0]:.0f}x "
            f"(batch size {args.batch_size:,}: one batch in memory at a time)"
        )


if __name__ == "__main__":
    main()
