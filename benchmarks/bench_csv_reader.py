"""CSV reader throughput and memory at two file sizes, side by side with plain ``csv.reader``.

Generates a neo4j-admin node file (an id, six typed properties and a label per row), streams
it through ``open_snapshot(...).node_batches`` and through a bare ``csv.reader`` that does no
typing, and prints rows per second and the peak memory traced while reading. The reader's
peak should stay flat as the file grows fourfold: only one batch is ever held.

    python benchmarks/bench_csv_reader.py [--sizes 100000,400000] [--batch-size 10000]
"""

from __future__ import annotations

import argparse
import csv
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


def measure(read: Callable[[], int]) -> tuple[int, float, int]:
    """Rows, seconds (untraced run) and peak traced bytes (a second, traced run)."""
    started = time.perf_counter()
    rows = read()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    read()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,400000")
    parser.add_argument("--batch-size", type=int, default=10_000)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(
        f"{'rows':>9} {'file MB':>8} {'reader':>8} {'rows/s':>10} {'peak MiB':>9} "
        f"{'csv rows/s':>11} {'csv peak':>9} {'slower':>7}"
    )
    peaks = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = write_people(Path(folder) / "snapshot", size)
            megabytes = (root / "nodes" / "people.csv").stat().st_size / 1e6
            rows, seconds, peak = measure(partial(read_with_bgtui, root, args.batch_size))
            base_rows, base_seconds, base_peak = measure(partial(read_with_csv_module, root))
        assert rows == base_rows == size, (rows, base_rows, size)
        rate, base_rate = rows / seconds, base_rows / base_seconds
        peaks.append(peak)
        print(
            f"{size:>9,} {megabytes:>8.1f} {'bgtui':>8} {rate:>10,.0f} {peak / 2**20:>9.1f} "
            f"{base_rate:>11,.0f} {base_peak / 2**20:>8.2f}M {base_rate / rate:>6.1f}x"
        )
    if len(peaks) > 1:
        growth = peaks[-1] / peaks[0]
        print(
            f"peak memory grew {growth:.2f}x while the file grew {sizes[-1] / sizes[0]:.0f}x "
            f"(batch size {args.batch_size:,}: one batch in memory at a time)"
        )


if __name__ == "__main__":
    main()
