"""Loader throughput at several batch sizes, side by side with one statement per row.

Generates a CSV snapshot (people in one ID space, KNOWS relationships between them), loads it
through ``Neo4jGraph.load_snapshot`` at each batch size, and compares rows per second with a
naive baseline that sends one statement per row (timed on the first rows, extrapolated).

Against the in-process sandbox the figures measure the driver, Bolt and the stand-in's Python,
not Neo4j; set BGTUI_BENCH_NEO4J_URI (with _USER and _PASSWORD) to measure a real server.

    python benchmarks/bench_loader.py [--nodes 100000] [--relationships 200000]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

from bgtui.engine.ports import LoadOptions
from bgtui.graph import Neo4jGraph
from bgtui.graph.cypher import create_id_constraint, create_nodes

NAIVE_ROWS = 2_000


def write_snapshot(root: Path, nodes: int, relationships: int) -> Path:
    """A neo4j-admin CSV snapshot: ``nodes`` people, ``relationships`` KNOWS between them."""
    random.seed(7)
    (root / "nodes").mkdir(parents=True)
    (root / "relationships").mkdir(parents=True)
    with (root / "nodes" / "people.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["id:ID(people)", "name", "born:int", "score:float", "active:boolean", ":LABEL"]
        )
        for index in range(nodes):
            writer.writerow(
                [
                    f"p{index}",
                    f"Person {index}",
                    1900 + index % 100,
                    index / 7,
                    index % 2 == 0,
                    "Person",
                ]
            )
    with (root / "relationships" / "knows.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([":START_ID(people)", ":END_ID(people)", "since:int", ":TYPE"])
        for _ in range(relationships):
            start, end = random.randrange(nodes), random.randrange(nodes)
            writer.writerow([f"p{start}", f"p{end}", random.randint(1950, 2024), "KNOWS"])
    return root


def naive_rows_per_second(graph: Neo4jGraph, database: str, rows: int) -> float:
    """One auto-commit statement per node row: what a straightforward port would do."""
    statement = create_nodes(["Person"], 0)
    with graph.driver.session(database=database) as session:
        session.run(create_id_constraint(0)).consume()
        started = time.perf_counter()
        for index in range(rows):
            row = {"id": f"p{index}", "props": {"name": f"Person {index}", "born": 1900}}
            session.run(statement, rows=[row]).consume()
        return rows / (time.perf_counter() - started)


def timed_load(graph: Neo4jGraph, snapshot: Path, batch_size: int) -> tuple[int, float]:
    database = f"bench-{uuid.uuid4().hex[:8]}"
    graph.create_database(database)
    try:
        started = time.perf_counter()
        report = graph.load_snapshot(
            database,
            snapshot,
            LoadOptions(batch_size=batch_size),
            None,
            lambda progress: None,
            lambda level, message: None,
            threading.Event(),
        )
        elapsed = time.perf_counter() - started
        return report.nodes + report.relationships, elapsed
    finally:
        graph.drop_database(database)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--relationships", type=int, default=200_000)
    parser.add_argument("--batch-sizes", default="1000,10000,50000")
    args = parser.parse_args()
    batch_sizes = [int(size) for size in args.batch_sizes.split(",")]

    with ExitStack() as stack:
        uri = os.environ.get("BGTUI_BENCH_NEO4J_URI")
        if uri:
            user = os.environ.get("BGTUI_BENCH_NEO4J_USER", "neo4j")
            password = os.environ["BGTUI_BENCH_NEO4J_PASSWORD"]
            where = uri
        else:
            from bgtui.sandbox.server import SandboxServer

            server = stack.enter_context(SandboxServer())
            uri, user, password = server.uri, "neo4j", "bgtui-sandbox"
            where = f"the in-process sandbox at {uri}"
        graph = Neo4jGraph(uri, user, password)
        stack.callback(graph.close)
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        snapshot = write_snapshot(folder / "snapshot", args.nodes, args.relationships)
        total_rows = args.nodes + args.relationships
        print(f"loading {args.nodes:,} nodes + {args.relationships:,} relationships into {where}")

        naive_db = f"bench-naive-{uuid.uuid4().hex[:8]}"
        graph.create_database(naive_db)
        try:
            naive = naive_rows_per_second(graph, naive_db, min(NAIVE_ROWS, args.nodes))
        finally:
            graph.drop_database(naive_db)
        print(
            f"naive baseline: one statement per row, {min(NAIVE_ROWS, args.nodes):,} rows timed: "
            f"{naive:,.0f} rows/s (the whole snapshot would take ~{total_rows / naive:,.0f} s)"
        )
        print(f"{'batch size':>10} {'rows':>9} {'seconds':>8} {'rows/s':>9} {'vs naive':>9}")
        for size in batch_sizes:
            rows, seconds = timed_load(graph, snapshot, size)
            rate = rows / seconds
            print(f"{size:>10,} {rows:>9,} {seconds:>8.1f} {rate:>9,.0f} {rate / naive:>8.1f}x")


if __name__ == "__main__":
    main()
