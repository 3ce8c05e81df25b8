"""Loading snapshots through the real driver into the sandbox (or a real Neo4j when configured).

Snapshots are written into tmp_path in the neo4j-admin CSV layout (and once as Parquet), loaded
with small batches so every path crosses batch boundaries, then read back from the database.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bgtui.engine.events import Level, LoadProgress
from bgtui.engine.ports import LoadOptions, LoadReport
from bgtui.graph import BadDataError, LoadCancelledError, Neo4jGraph

pytestmark = pytest.mark.integration

PEOPLE_HEADER = "personId:ID(people),name,born:int,score:float,active:boolean,tags:string[],:LABEL"
PEOPLE_PART1 = [
    '1,"Ada Lovelace",1815,9.5,true,math;poetry,Person;Actor',
    "2,Alan Turing,1912,9.9,true,math,Person",
    "3,Grace Hopper,1906,9.7,false,,Person;Actor",
]
PEOPLE_PART2 = [
    "4,Edsger Dijkstra,1930,9.1,true,algorithms,Person",
    "5,Barbara Liskov,1939,9.8,true,,Person",
]
# The same ids as the people: separate ID spaces keep them apart.
MOVIES = [
    "movieId:ID(movies),title,released:date,:LABEL",
    "1,The Matrix,1999-03-31,Movie",
    "2,The Matrix Reloaded,2003-05-15,Movie;Sequel",
]
ACTED_IN = [
    ":START_ID(people),role,:END_ID(movies),:TYPE",
    "1,Neo,1,ACTED_IN",
    "1,Neo,2,ACTED_IN",
    "3,Trinity,1,ACTED_IN",
    "4,Morpheus,2,ACTED_IN",
]
KNOWS = [
    ":START_ID(people),:END_ID(people),since:int,:TYPE",
    "1,2,1936,KNOWS",
    "2,3,1950,KNOWS",
    "4,5,1975,KNOWS",
]

EXPECTED_LABELS = {"Person": 5, "Actor": 2, "Movie": 2, "Sequel": 1}
EXPECTED_TYPES = {"ACTED_IN": 4, "KNOWS": 3}


def write_lines(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_csv_snapshot(root: Path, *, knows: list[str] = KNOWS) -> Path:
    write_lines(root / "nodes" / "people-header.csv", [PEOPLE_HEADER])
    write_lines(root / "nodes" / "people-part1.csv", PEOPLE_PART1)
    write_lines(root / "nodes" / "people-part2.csv", PEOPLE_PART2)
    write_lines(root / "nodes" / "movies.csv", MOVIES)
    write_lines(root / "relationships" / "acted_in.csv", ACTED_IN)
    write_lines(root / "relationships" / "knows.csv", knows)
    return root


class Recorder:
    """Collects what a load reports, as the engine would receive it."""

    def __init__(self) -> None:
        self.progress: list[LoadProgress] = []
        self.lines: list[tuple[Level, str]] = []

    def on_progress(self, progress: LoadProgress) -> None:
        self.progress.append(progress)

    def on_log(self, level: Level, message: str) -> None:
        self.lines.append((level, message))


@pytest.fixture
def graph(neo4j_target: Any) -> Iterator[Neo4jGraph]:
    client = Neo4jGraph(
        neo4j_target.uri, neo4j_target.user, neo4j_target.password, max_retry_seconds=5.0
    )
    yield client
    client.close()


@pytest.fixture
def database(graph: Neo4jGraph) -> Iterator[str]:
    name = f"loadtest-{uuid.uuid4().hex[:10]}"
    graph.create_database(name)
    yield name
    graph.drop_database(name)


def load(
    graph: Neo4jGraph,
    database: str,
    snapshot: Path,
    recorder: Recorder | None = None,
    cancel: threading.Event | None = None,
    **options: Any,
) -> LoadReport:
    recorder = recorder or Recorder()
    return graph.load_snapshot(
        database,
        snapshot,
        LoadOptions(**{"batch_size": 2, **options}),
        None,
        recorder.on_progress,
        recorder.on_log,
        cancel or threading.Event(),
    )


def nodes_with_label(graph: Neo4jGraph, database: str, label: str) -> list[Any]:
    with graph.driver.session(database=database) as session:
        return [record["n"] for record in session.run(f"MATCH (n:`{label}`) RETURN n")]


def constraint_names(graph: Neo4jGraph, database: str) -> list[str]:
    with graph.driver.session(database=database) as session:
        return [record["name"] for record in session.run("SHOW CONSTRAINTS YIELD name")]


def test_a_csv_snapshot_loads_with_its_labels_types_and_typed_properties(
    graph: Neo4jGraph, database: str, tmp_path: Path
) -> None:
    recorder = Recorder()
    report = load(graph, database, write_csv_snapshot(tmp_path / "snap"), recorder)

    assert report.nodes_by_label == EXPECTED_LABELS
    assert report.relationships_by_type == EXPECTED_TYPES
    assert (report.nodes, report.relationships) == (7, 7)
    assert (report.skipped_duplicates, report.bad_relationships) == (0, 0)
    assert graph.counts(database) == (EXPECTED_LABELS, EXPECTED_TYPES)

    people = {node["name"]: node for node in nodes_with_label(graph, database, "Person")}
    ada = people["Ada Lovelace"]
    assert set(ada.labels) == {"Person", "Actor"}  # no temporary ID-space label left
    assert dict(ada) == {
        "personId": "1",
        "name": "Ada Lovelace",
        "born": 1815,
        "score": 9.5,
        "active": True,
        "tags": ["math", "poetry"],
    }
    assert people["Grace Hopper"]["active"] is False
    movies = {node["title"]: node for node in nodes_with_label(graph, database, "Movie")}
    assert movies["The Matrix"]["released"].to_native() == date(1999, 3, 31)
    assert constraint_names(graph, database) == []


def test_a_load_logs_one_line_per_group_and_reports_progress(
    graph: Neo4jGraph, database: str, tmp_path: Path
) -> None:
    recorder = Recorder()
    load(graph, database, write_csv_snapshot(tmp_path / "snap"), recorder)

    group_lines = [message for _, message in recorder.lines if " group '" in message]
    assert len(group_lines) == 4, group_lines  # people, movies, acted_in, knows: not per batch
    assert any("5 written" in line for line in group_lines)
    phases = [progress.phase for progress in recorder.progress]
    assert phases.index("nodes") < phases.index("relationships") < phases.index("finalising")
    relationships = [p for p in recorder.progress if p.phase == "relationships"]
    assert relationships[0].rows_done >= 7  # the nodes' rows count towards the same total


def test_duplicate_node_ids_fail_the_load_naming_the_id_and_group(
    graph: Neo4jGraph, database: str, tmp_path: Path
) -> None:
    snapshot = write_csv_snapshot(tmp_path / "snap")
    write_lines(
        snapshot / "nodes" / "people-part2.csv", [*PEOPLE_PART2, "2,Alan Again,1912,1,true,,Person"]
    )
    with pytest.raises(BadDataError) as caught:
        load(graph, database, snapshot)
    message = str(caught.value)
    assert "duplicate node id '2'" in message
    assert "people" in message
    assert "skip_duplicate_nodes" in message


def test_duplicate_node_ids_are_skipped_and_counted_when_allowed(
    graph: Neo4jGraph, database: str, tmp_path: Path
) -> None:
    snapshot = write_csv_snapshot(tmp_path / "snap")
    write_lines(
        snapshot / "nodes" / "people-part2.csv",
        [
            *PEOPLE_PART2,
            "2,Alan Again,1912,1,true,,Person",  # repeats an id from an earlier batch
            "6,Frances Allen,1932,9.0,true,,Person",
            "6,Frances Twice,1932,9.0,true,,Person",  # repeats an id within its batch
        ],
    )
    recorder = Recorder()
    report = load(graph, database, snapshot, recorder, skip_duplicate_nodes=True)

    assert report.skipped_duplicates == 2
    assert report.nodes_by_label["Person"] == 6
    assert graph.counts(database)[0]["Person"] == 6
    names = {node["name"] for node in nodes_with_label(graph, database, "Person")}
    assert {"Alan Turing", "Frances Allen"} <= names
    assert not {"Alan Again", "Frances Twice"} & names
    assert any("'2'" in example for example in report.examples)
    assert any("'6'" in example for example in report.examples)
    warnings = [message for level, message in recorder.lines if level is Level.WARNING]
    assert any("2 skipped (duplicate ids)" in line for line in warnings), warnings


def test_relationships_to_missing_nodes_fail_the_load_with_examples(
    graph: Neo4jGraph, database: str, tmp_path: Path
) -> None:
    snapshot = write_csv_snapshot(tmp_path / "snap", knows=[*KNOWS, "5,99,2001,KNOWS"])
    with pytest.raises(BadDataError) as caught:
        load(graph, database, snapshot)
    message = str(caught.value)
    assert "1 relationship(s) in group 'knows'" in message
    assert "refers to missing node '99'" in message
    assert "skip_bad_relationships" in message


def test_relationships_to_missing_nodes_are_skipped_within_the_tolerance(
    graph: Neo4jGraph, database: str, tmp_path: Path
) -> None:
    bad = ["5,99,2001,KNOWS", "98,1,2002,KNOWS"]
    snapshot = write_csv_snapshot(tmp_path / "snap", knows=[*KNOWS, *bad])
    report = load(graph, database, snapshot, skip_bad_relationships=True, bad_tolerance=2)

    assert report.bad_relationships == 2
    assert report.relationships_by_type == EXPECTED_TYPES
    assert graph.counts(database)[1] == EXPECTED_TYPES
    assert any("missing node '99'" in example for example in report.examples)
    assert any("missing node '98'" in example for example in report.examples)


def test_more_bad_relationships_than_tolerated_fail_the_load(
    graph: Neo4jGraph, database: str, tmp_path: Path
) -> None:
    bad = ["5,99,2001,KNOWS", "98,1,2002,KNOWS"]
    snapshot = write_csv_snapshot(tmp_path / "snap", knows=[*KNOWS, *bad])
    with pytest.raises(BadDataError, match="more than the tolerance of 1"):
        load(graph, database, snapshot, skip_bad_relationships=True, bad_tolerance=1)


def test_a_transient_failure_mid_load_is_retried(
    graph: Neo4jGraph,
    database: str,
    tmp_path: Path,
    neo4j_target: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if not neo4j_target.is_sandbox:
        pytest.skip("fault injection exists only in the sandbox")
    neo4j_target.server.faults.fail_next(
        r"\[r:`KNOWS`\]", 1, "Neo.TransientError.Transaction.DeadlockDetected", "deadlock"
    )
    with caplog.at_level(logging.WARNING, logger="neo4j"):
        report = load(graph, database, write_csv_snapshot(tmp_path / "snap"))
    retries = [r.getMessage() for r in caplog.records if "will be retried" in r.getMessage()]
    assert any("deadlock" in message for message in retries), "the fault never fired"
    assert report.relationships_by_type == EXPECTED_TYPES
    assert graph.counts(database) == (EXPECTED_LABELS, EXPECTED_TYPES)


class CancelOnCheck(threading.Event):
    """An event that sets itself on its ``n``-th look, as if an operator quit at that moment."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self._checks_left = n

    def is_set(self) -> bool:
        self._checks_left -= 1
        if self._checks_left <= 0:
            self.set()
        return super().is_set()


def test_cancel_stops_between_batches(graph: Neo4jGraph, database: str, tmp_path: Path) -> None:
    cancel = CancelOnCheck(2)  # the first batch goes through; the check before the second stops
    with pytest.raises(LoadCancelledError, match="cancelled after 2 nodes and 0 relationships"):
        load(graph, database, write_csv_snapshot(tmp_path / "snap"), cancel=cancel)
    labels, types = graph.counts(database)
    assert labels.get("Person", 0) + labels.get("Movie", 0) == 2  # one batch of one group
    assert types == {}


def test_a_parquet_snapshot_loads(graph: Neo4jGraph, database: str, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    snapshot = tmp_path / "snap"
    (snapshot / "nodes" / "Person").mkdir(parents=True)
    (snapshot / "nodes" / "Company").mkdir(parents=True)
    (snapshot / "relationships" / "WORKS_AT").mkdir(parents=True)
    pq.write_table(
        pa.table(
            {
                "node_id": ["p1", "p2", "p3"],
                "labels": ["Person", "Person,Engineer", ""],
                "name": ["Ada", "Alan", None],
                "age": [36, 41, 29],
            }
        ),
        snapshot / "nodes" / "Person" / "part-0.parquet",
    )
    pq.write_table(
        pa.table({"node_id": ["c1"], "labels": ["Company"], "name": ["Analytical Engines"]}),
        snapshot / "nodes" / "Company" / "part-0.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "source": ["p1", "p2", "p3"],
                "target": ["c1", "c1", "c1"],
                "type": ["WORKS_AT"] * 3,
                "since": [1840, 1950, 2020],
            }
        ),
        snapshot / "relationships" / "WORKS_AT" / "part-0.parquet",
    )
    report = load(graph, database, snapshot)

    expected_labels = {"Person": 3, "Engineer": 1, "Company": 1}
    assert report.nodes_by_label == expected_labels
    assert graph.counts(database) == (expected_labels, {"WORKS_AT": 3})
    people = {node["age"]: node for node in nodes_with_label(graph, database, "Person")}
    assert people[36]["name"] == "Ada"
    assert set(people[41].labels) == {"Person", "Engineer"}
    assert "name" not in people[29]  # nulls are left out, as neo4j-admin leaves empty fields
    assert constraint_names(graph, database) == []
