"""The same snapshot loaded over Bolt and through Arrow gives the same graph.

Both loads go into one sandbox through the real driver and the real pyarrow Flight client;
nodes, labels and properties are read back over Bolt, relationships from the sandbox's stored
graph (its Cypher has no relationship reads).
"""

from __future__ import annotations

import gzip
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from bgtui.engine.events import Level, LoadProgress  # noqa: E402
from bgtui.engine.ports import GraphError, LoadOptions  # noqa: E402
from bgtui.graph.arrow_endpoint import ArrowEndpoint  # noqa: E402
from bgtui.graph.client import Neo4jGraph  # noqa: E402
from bgtui.readers.errors import CsvFormatError  # noqa: E402
from bgtui.sandbox.arrow_flight import ArrowFlightServer  # noqa: E402
from bgtui.sandbox.server import SandboxServer  # noqa: E402

pytestmark = pytest.mark.integration

USER, PASSWORD = "neo4j", "same-graph"


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(user=USER, password=PASSWORD) as server:
        yield server


@pytest.fixture
def arrow(sandbox: SandboxServer) -> Iterator[ArrowFlightServer]:
    with ArrowFlightServer(sandbox.dbms) as server:
        yield server


@pytest.fixture
def graph(sandbox: SandboxServer, arrow: ArrowFlightServer) -> Iterator[Neo4jGraph]:
    endpoint = ArrowEndpoint(arrow.host, arrow.port, USER, PASSWORD)
    client = Neo4jGraph(sandbox.uri, USER, PASSWORD, arrow=endpoint)
    yield client
    client.close()


def write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines) + "\n"
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")


def write_csv_snapshot(root: Path) -> Path:
    """One ID space, named ids, a header file, a gzip part, arrays and every Arrow type."""
    write(
        root / "nodes" / "people-header.csv",
        ["key:ID,name,born:int,score:double,active:boolean,tags:string[],lucky:long[],:LABEL"],
    )
    write(
        root / "nodes" / "people-part1.csv",
        [
            'p1,"Ada, Countess",1815,9.5,true,math;poetry,7;13,Person;Pioneer',
            "p2,Alan,1912,,false,math,,Person",
        ],
    )
    write(root / "nodes" / "people-part2.csv.gz", ["p3,,1906,9.7,true,,42,Person"])
    write(root / "nodes" / "Machine.csv", ["key:ID,model", "m1,Analytical Engine", "m2,ACE"])
    write(
        root / "relationships" / "built.csv",
        [":START_ID,:END_ID,year:int,:TYPE", "p1,m1,1843,DESIGNED", "p2,m2,1945,DESIGNED"],
    )
    write(root / "relationships" / "KNOWS.csv", [":START_ID,:END_ID,since:int", "p1,p2,1936"])
    return root


def write_parquet_snapshot(root: Path) -> Path:
    for sub in ("nodes/Person", "relationships/KNOWS"):
        (root / sub).mkdir(parents=True)
    pq.write_table(
        pa.table(
            {
                "id": pa.array([1, 2, 3], pa.int64()),
                "labels": ["Person", "Person,Pioneer", None],
                "name": ["Ada", None, "Grace"],
                "score": pa.array([9.5, 9.9, None], pa.float32()),
                "tags": [["a", "b"], [], None],
            }
        ),
        root / "nodes" / "Person" / "part-0.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "src": pa.array([1, 2], pa.int64()),
                "dst": pa.array([2, 3], pa.int64()),
                "type": ["KNOWS", ""],
                "since": pa.array([1936, 1950], pa.int16()),
            }
        ),
        root / "relationships" / "KNOWS" / "part-0.parquet",
    )
    return root


def load(graph: Neo4jGraph, snapshot: Path, method: str) -> tuple[str, list[str]]:
    database = f"{method}-{uuid.uuid4().hex[:8]}"
    lines: list[str] = []

    def on_log(level: Level, message: str) -> None:
        lines.append(message)

    def on_progress(progress: LoadProgress) -> None:
        pass

    graph.load_new_database(
        database,
        snapshot,
        LoadOptions(batch_size=2),
        None,
        on_progress,
        on_log,
        threading.Event(),
        method=method,
    )
    return database, lines


def node_key(properties: dict[str, Any], id_property: str) -> Any:
    return properties.get(id_property)


def snapshot_of(
    graph: Neo4jGraph, sandbox: SandboxServer, database: str, id_property: str
) -> dict[str, Any]:
    """Everything that makes the graph: nodes by id, relationships by endpoints and type."""
    with graph.driver.session(database=database) as session:
        nodes = {
            node[id_property]: (frozenset(node.labels), dict(node))
            for node in (record["n"] for record in session.run("MATCH (n) RETURN n"))
        }
    store = sandbox.dbms.databases[database].graph
    store.nodes_in_order(limit=0)  # make sure rows exist
    by_internal = {node.id: node.properties.get(id_property) for node in store.nodes.values()}
    relationships = Counter(
        (
            by_internal[rel.start],
            rel.type,
            by_internal[rel.end],
            tuple(sorted(rel.properties.items())),
        )
        for rel in store.relationships.values()
    )
    return {
        "nodes": nodes,
        "relationships": relationships,
        "counts": graph.counts(database),
    }


def test_a_csv_snapshot_gives_the_same_graph_through_arrow_and_bolt(
    graph: Neo4jGraph, sandbox: SandboxServer, arrow: ArrowFlightServer, tmp_path: Path
) -> None:
    snapshot = write_csv_snapshot(tmp_path / "snap")
    over_bolt, _ = load(graph, snapshot, "bolt")
    through_arrow, lines = load(graph, snapshot, "arrow")

    assert any("through the GDS Arrow endpoint" in line for line in lines)
    assert [call.form for call in arrow.calls if call.kind == "put"]  # Arrow really ran
    bolt_graph = snapshot_of(graph, sandbox, over_bolt, "key")
    arrow_graph = snapshot_of(graph, sandbox, through_arrow, "key")
    assert arrow_graph == bolt_graph
    assert bolt_graph["counts"] == (
        {"Person": 3, "Pioneer": 1, "Machine": 2},
        {"DESIGNED": 2, "KNOWS": 1},
    )
    ada = bolt_graph["nodes"]["p1"][1]
    assert ada == {
        "key": "p1",
        "name": "Ada, Countess",
        "born": 1815,
        "score": 9.5,
        "active": True,
        "tags": ["math", "poetry"],
        "lucky": [7, 13],
    }


def test_a_parquet_snapshot_gives_the_same_graph_but_for_the_kept_ids(
    graph: Neo4jGraph, sandbox: SandboxServer, tmp_path: Path
) -> None:
    snapshot = write_parquet_snapshot(tmp_path / "snap")
    over_bolt, _ = load(graph, snapshot, "bolt")
    through_arrow, _ = load(graph, snapshot, "arrow")

    # The GDS importer keeps every node's id in a property (here 'id', the id column's name);
    # the Bolt path does not store Parquet ids. Everything else is the same.
    arrow_graph = snapshot_of(graph, sandbox, through_arrow, "id")
    with graph.driver.session(database=over_bolt) as session:
        bolt_nodes = sorted(
            (sorted(record["n"].labels), sorted(dict(record["n"]).items()))
            for record in session.run("MATCH (n) RETURN n")
        )
    arrow_nodes = sorted(
        (sorted(labels), sorted((k, v) for k, v in properties.items() if k != "id"))
        for labels, properties in arrow_graph["nodes"].values()
    )
    assert arrow_nodes == bolt_nodes
    assert graph.counts(over_bolt) == arrow_graph["counts"]
    assert arrow_graph["counts"] == ({"Person": 3, "Pioneer": 1}, {"KNOWS": 2})
    assert sorted(arrow_graph["nodes"]) == [1, 2, 3]


def test_a_snapshot_the_importer_cannot_take_is_refused_or_goes_over_bolt(
    graph: Neo4jGraph, tmp_path: Path
) -> None:
    snapshot = tmp_path / "snap"
    write(snapshot / "nodes" / "people.csv", ["id:ID(people),born:date", "p1,1815-12-10"])
    write(snapshot / "relationships" / "KNOWS.csv", [":START_ID(people),:END_ID(people)"])
    with pytest.raises(GraphError, match="date values have no documented form"):
        load(graph, snapshot, "arrow")
    database, lines = load(graph, snapshot, "auto")
    assert any(line.startswith("loading over Bolt: the snapshot does not fit") for line in lines)
    assert graph.counts(database)[0] == {"people": 1}


def test_a_bad_csv_value_is_named_by_file_line_and_column(
    graph: Neo4jGraph, arrow: ArrowFlightServer, tmp_path: Path
) -> None:
    snapshot = write_csv_snapshot(tmp_path / "snap")
    write(snapshot / "nodes" / "Machine.csv", ["key:ID,built:int", "m1,1837", "m2,soon"])
    with pytest.raises(CsvFormatError) as caught:
        load(graph, snapshot, "arrow")
    error = caught.value
    assert (error.path.as_posix(), error.line, error.column, error.column_name) == (
        "nodes/Machine.csv",
        3,
        2,
        "built:int",
    )
    assert arrow.imports.running() == []
