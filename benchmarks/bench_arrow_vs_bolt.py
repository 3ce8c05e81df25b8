"""The same 1M-row Parquet snapshot through Bolt and through the GDS Arrow path, side by side.

Generates one Parquet snapshot in the replaced pipeline's layout (people with four properties,
KNOWS relationships with one), then takes it from found to live twice in one run against the
in-process sandbox and its Arrow Flight stand-in: once over Bolt (UNWIND batches), once
through Arrow (CREATE_DATABASE, DoPut streams, DONE actions). "Live" means what the engine
does after finding a snapshot: load, wait until online, read the counts back for validation,
point the alias at the new database.

The figures measure bgtui's client side plus the sandbox's Python (a real Neo4j builds the
database with its own importer); the ratio is the point.

    python benchmarks/bench_arrow_vs_bolt.py [--nodes 400000] [--relationships 600000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from bgtui.engine.ports import LoadOptions
from bgtui.graph import Neo4jGraph
from bgtui.graph.arrow_endpoint import ArrowEndpoint
from bgtui.sandbox.arrow_flight import ArrowFlightServer
from bgtui.sandbox.server import SandboxServer

USER, PASSWORD = "neo4j", "bgtui-bench"


def write_snapshot(root: Path, nodes: int, relationships: int) -> Path:
    """``nodes/Person/part-N.parquet`` and ``relationships/KNOWS/part-N.parquet``."""
    random.seed(11)
    people = root / "nodes" / "Person"
    knows = root / "relationships" / "KNOWS"
    people.mkdir(parents=True)
    knows.mkdir(parents=True)
    part = 200_000
    for number, start in enumerate(range(0, nodes, part)):
        stop = min(nodes, start + part)
        pq.write_table(
            pa.table(
                {
                    "id": [f"p{index}" for index in range(start, stop)],
                    "labels": pa.array(["Person"] * (stop - start)).dictionary_encode(),
                    "name": [f"Person {index}" for index in range(start, stop)],
                    "born": pa.array([1900 + index % 100 for index in range(start, stop)]),
                    "score": pa.array([index / 7 for index in range(start, stop)]),
                    "active": pa.array([index % 2 == 0 for index in range(start, stop)]),
                }
            ),
            people / f"part-{number:05d}.parquet",
        )
    for number, start in enumerate(range(0, relationships, part)):
        stop = min(relationships, start + part)
        count = stop - start
        pq.write_table(
            pa.table(
                {
                    "src": [f"p{random.randrange(nodes)}" for _ in range(count)],
                    "dst": [f"p{random.randrange(nodes)}" for _ in range(count)],
                    "type": pa.array(["KNOWS"] * count).dictionary_encode(),
                    "since": pa.array([random.randint(1950, 2024) for _ in range(count)]),
                }
            ),
            knows / f"part-{number:05d}.parquet",
        )
    return root


def to_live(graph: Neo4jGraph, snapshot: Path, method: str, alias: str) -> tuple[int, float]:
    """Load, online, counts, alias: the engine's path from a found snapshot to live."""
    database = f"bench-{method}-{time.time_ns() % 10**9}"
    started = time.perf_counter()
    report = graph.load_new_database(
        database,
        snapshot,
        LoadOptions(batch_size=10_000),
        None,
        lambda progress: None,
        lambda level, message: None,
        threading.Event(),
        method=method,
    )
    labels, types = graph.counts(database)
    assert labels == report.nodes_by_label and types == report.relationships_by_type
    if alias in graph.list_aliases():
        graph.alter_alias(alias, database)
    else:
        graph.create_alias(alias, database)
    return report.nodes + report.relationships, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=400_000)
    parser.add_argument("--relationships", type=int, default=600_000)
    args = parser.parse_args()
    with ExitStack() as stack:
        server = stack.enter_context(SandboxServer(user=USER, password=PASSWORD))
        arrow = stack.enter_context(ArrowFlightServer(server.dbms))
        endpoint = ArrowEndpoint(arrow.host, arrow.port, USER, PASSWORD, timeout=600.0)
        graph = Neo4jGraph(server.uri, USER, PASSWORD, arrow=endpoint, online_timeout=600.0)
        stack.callback(graph.close)
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        started = time.perf_counter()
        snapshot = write_snapshot(folder / "snapshot", args.nodes, args.relationships)
        total = args.nodes + args.relationships
        print(
            f"{total:,}-row Parquet snapshot ({args.nodes:,} nodes, {args.relationships:,} "
            f"relationships) written in {time.perf_counter() - started:.1f}s; "
            f"found -> live (load, online, counts, alias) through the sandbox:"
        )
        print(f"{'path':>6} {'rows':>10} {'seconds':>8} {'rows/s':>10}")
        results = {}
        for method in ("bolt", "arrow"):
            rows, seconds = to_live(graph, snapshot, method, "bench")
            results[method] = seconds
            print(f"{method:>6} {rows:>10,} {seconds:>8.1f} {rows / seconds:>10,.0f}")
        print(f"Arrow is {results['bolt'] / results['arrow']:.1f}x faster than Bolt end to end")


if __name__ == "__main__":
    main()
