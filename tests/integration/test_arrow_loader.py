"""Loading snapshots through the GDS Arrow path: the real pyarrow Flight client, the sandbox's
Flight server, and the real driver reading the result back over Bolt.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from bgtui.engine.events import Level, LoadProgress  # noqa: E402
from bgtui.engine.ports import GraphError, LoadOptions, LoadReport  # noqa: E402
from bgtui.graph.arrow_endpoint import ArrowEndpoint  # noqa: E402
from bgtui.graph.client import Neo4jGraph  # noqa: E402
from bgtui.graph.errors import LoadCancelledError  # noqa: E402
from bgtui.readers.errors import SnapshotFormatError  # noqa: E402
from bgtui.sandbox.arrow_flight import ArrowFlightServer  # noqa: E402
from bgtui.sandbox.server import SandboxServer  # noqa: E402

pytestmark = pytest.mark.integration

USER, PASSWORD = "neo4j", "arrow-loader"


class Recorder:
    def __init__(self) -> None:
        self.progress: list[LoadProgress] = []
        self.lines: list[tuple[Level, str]] = []

    def on_progress(self, progress: LoadProgress) -> None:
        self.progress.append(progress)

    def on_log(self, level: Level, message: str) -> None:
        self.lines.append((level, message))

    def said(self, text: str) -> bool:
        return any(text in line for _, line in self.lines)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(user=USER, password=PASSWORD) as server:
        yield server


@pytest.fixture
def arrow(sandbox: SandboxServer) -> Iterator[ArrowFlightServer]:
    with ArrowFlightServer(sandbox.dbms) as server:
        yield server


def endpoint_of(server: ArrowFlightServer, password: str = PASSWORD) -> ArrowEndpoint:
    return ArrowEndpoint(server.host, server.port, USER, password)


@pytest.fixture
def graph(sandbox: SandboxServer, arrow: ArrowFlightServer) -> Iterator[Neo4jGraph]:
    client = Neo4jGraph(sandbox.uri, USER, PASSWORD, arrow=endpoint_of(arrow))
    yield client
    client.close()


def new_name() -> str:
    return f"arrow-{uuid.uuid4().hex[:10]}"


def load(
    graph: Neo4jGraph,
    database: str,
    snapshot: Path,
    recorder: Recorder | None = None,
    *,
    method: str = "arrow",
    cancel: threading.Event | None = None,
    reader_options: Any = None,
) -> LoadReport:
    recorder = recorder or Recorder()
    return graph.load_new_database(
        database,
        snapshot,
        LoadOptions(batch_size=2),
        reader_options,
        recorder.on_progress,
        recorder.on_log,
        cancel or threading.Event(),
        method=method,
    )


def write_old_pipeline_snapshot(folder: Path, people: int = 3) -> Path:
    """The replaced pipeline's layout: columns by position, labels as comma-separated text."""
    for sub in ("nodes/Person", "nodes/Account", "relationships/OWNS"):
        (folder / sub).mkdir(parents=True)
    ids = [f"p{i}" for i in range(1, people + 1)]
    pq.write_table(
        pa.table(
            {
                "id": ids,
                "labels": ["Person", "Person,Customer"] + ["Person"] * (people - 2),
                "name": ["Ada", "Alan"] + [None] * (people - 2),
                "born": pa.array([1815, 1912] + [1900] * (people - 2), pa.int32()),
                "tags": [["math", "poetry"], []] + [None] * (people - 2),
            }
        ),
        folder / "nodes" / "Person" / "part-00000.parquet",
        row_group_size=2 if people < 10 else None,
    )
    pq.write_table(
        pa.table({"id": ["a1"], "labels": ["Account"], "tier": ["gold"]}),
        folder / "nodes" / "Account" / "part-00000.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "src": ids,
                "dst": ["a1"] * people,
                "type": ["OWNS"] * people,
                "since": [2020.5] * people,
            }
        ),
        folder / "relationships" / "OWNS" / "part-00000.parquet",
    )
    return folder


def read_nodes(graph: Neo4jGraph, database: str, label: str) -> list[Any]:
    with graph.driver.session(database=database) as session:
        return [record["n"] for record in session.run(f"MATCH (n:`{label}`) RETURN n")]


def test_the_old_pipelines_parquet_layout_loads_through_arrow(
    graph: Neo4jGraph, arrow: ArrowFlightServer, tmp_path: Path
) -> None:
    recorder = Recorder()
    database = new_name()
    report = load(graph, database, write_old_pipeline_snapshot(tmp_path / "snap"), recorder)

    assert report.nodes_by_label == {"Person": 3, "Customer": 1, "Account": 1}
    assert report.relationships_by_type == {"OWNS": 3}
    assert graph.counts(database) == (
        {"Person": 3, "Customer": 1, "Account": 1},
        {"OWNS": 3},
    )
    people = {node["id"]: node for node in read_nodes(graph, database, "Person")}
    assert people["p1"]["name"] == "Ada" and people["p1"]["born"] == 1815
    assert people["p1"]["tags"] == ["math", "poetry"]
    assert "tags" not in people["p2"]  # an empty list is not stored, as on Bolt
    assert "name" not in people["p3"]
    assert set(people["p2"].labels) == {"Person", "Customer"}
    assert recorder.said("through the GDS Arrow endpoint")
    assert recorder.said("kept in property 'id'")
    puts = [call for call in arrow.calls if call.kind == "put"]
    # one stream per label set ({Person}, {Customer, Person}, {Account}) and one per type
    assert len(puts) == 4
    assert {call.form for call in arrow.calls} == {"v1"}
    assert {call.auth for call in arrow.calls} == {"bearer"}
    assert {progress.rows_total for progress in recorder.progress} == {7}
    assert 0 < recorder.progress[-1].rows_done <= 7  # reports are throttled
    assert {progress.phase for progress in recorder.progress} == {"nodes", "relationships"}


def test_the_unprefixed_actions_of_an_older_server_are_used_and_said(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    with ArrowFlightServer(sandbox.dbms, legacy=True) as old:
        graph = Neo4jGraph(sandbox.uri, USER, PASSWORD, arrow=endpoint_of(old))
        recorder = Recorder()
        database = new_name()
        try:
            load(graph, database, write_old_pipeline_snapshot(tmp_path / "snap"), recorder)
            assert graph.counts(database)[1] == {"OWNS": 3}
        finally:
            graph.close()
        assert {call.form for call in old.calls} == {"alpha"}
        assert recorder.said("using the unprefixed action names")


def test_wrong_credentials_fail_the_load_and_auto_falls_back_to_bolt(
    sandbox: SandboxServer, arrow: ArrowFlightServer, tmp_path: Path
) -> None:
    snapshot = write_old_pipeline_snapshot(tmp_path / "snap")
    graph = Neo4jGraph(
        sandbox.uri, USER, PASSWORD, arrow=endpoint_of(arrow, password="not-the-password")
    )
    try:
        with pytest.raises(GraphError, match="refused the credentials of user 'neo4j'"):
            load(graph, new_name(), snapshot)
        recorder = Recorder()
        database = new_name()
        load(graph, database, snapshot, recorder, method="auto")
        assert recorder.said("loading over Bolt")
        assert graph.counts(database)[0]["Person"] == 3
    finally:
        graph.close()


def test_auto_uses_bolt_when_no_arrow_endpoint_answers(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    with ArrowFlightServer(sandbox.dbms) as gone:
        endpoint = endpoint_of(gone)
    graph = Neo4jGraph(sandbox.uri, USER, PASSWORD, arrow=endpoint)
    try:
        recorder = Recorder()
        database = new_name()
        load(
            graph, database, write_old_pipeline_snapshot(tmp_path / "snap"), recorder, method="auto"
        )
        assert recorder.said("loading over Bolt")
        assert graph.counts(database)[1] == {"OWNS": 3}
    finally:
        graph.close()


def test_a_server_error_on_doput_aborts_the_import(
    graph: Neo4jGraph, arrow: ArrowFlightServer, sandbox: SandboxServer, tmp_path: Path
) -> None:
    arrow.faults.fail_put_after_batches = 2  # the third stream's first batch
    database = new_name()
    recorder = Recorder()
    with pytest.raises(GraphError, match="injected"):
        load(graph, database, write_old_pipeline_snapshot(tmp_path / "snap", 5), recorder)
    assert arrow.imports.running() == []
    assert sandbox.dbms.lookup(database) is None
    assert [call.name for call in arrow.calls if call.kind == "action"][-1] == "v1/ABORT"
    assert recorder.said("aborted")


def test_a_cancel_halfway_aborts_the_import(
    graph: Neo4jGraph, arrow: ArrowFlightServer, sandbox: SandboxServer, tmp_path: Path
) -> None:
    cancel = threading.Event()
    recorder = Recorder()

    def cancel_once_nodes_are_in(progress: LoadProgress) -> None:
        recorder.on_progress(progress)
        if progress.phase == "relationships":
            cancel.set()

    database = new_name()
    snapshot = write_old_pipeline_snapshot(tmp_path / "snap", 20)
    with pytest.raises(LoadCancelledError, match="cancelled after"):
        graph.load_new_database(
            database,
            snapshot,
            LoadOptions(),
            None,
            cancel_once_nodes_are_in,
            recorder.on_log,
            cancel,
            method="arrow",
        )
    actions = [call.name for call in arrow.calls if call.kind == "action"]
    assert "v1/NODE_LOAD_DONE" in actions
    assert "v1/RELATIONSHIP_LOAD_DONE" not in actions
    assert actions[-1] == "v1/ABORT"
    assert arrow.imports.running() == []
    assert sandbox.dbms.lookup(database) is None


def test_a_bad_value_names_its_file_row_and_column_and_aborts(
    graph: Neo4jGraph, arrow: ArrowFlightServer, tmp_path: Path
) -> None:
    snapshot = write_old_pipeline_snapshot(tmp_path / "snap")
    pq.write_table(
        pa.table({"id": ["b1", None], "labels": ["Bank", "Bank"]}),
        snapshot / "nodes" / "Bank" / "part-00000.parquet"
        if (snapshot / "nodes" / "Bank").mkdir() is None
        else None,
    )
    with pytest.raises(SnapshotFormatError) as caught:
        load(graph, new_name(), snapshot)
    assert str(caught.value) == "nodes/Bank/part-00000.parquet, row 2, column 'id': the id is empty"
    assert arrow.imports.running() == []
