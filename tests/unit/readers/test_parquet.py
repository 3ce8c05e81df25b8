"""The Parquet layout of the replaced pipeline: positions, labels, nulls, types, many files."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import neo4j.time
import pytest

from bgtui.readers import (
    GLOBAL_ID_SPACE,
    NodeRow,
    ParquetFormatError,
    RelationshipRow,
    SnapshotFormatError,
    open_snapshot,
)
from tests.unit.readers.reading import node_batches, nodes, relationship_batches, relationships

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def write_table(root: Path, relative: str, columns: dict[str, Any], **kwargs: Any) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns), path, **kwargs)
    return path


@pytest.fixture
def people(snapshot: Path) -> Path:
    write_table(
        snapshot,
        "nodes/Person/part-0.parquet",
        {
            "node_id": ["p1", "p2", "p3"],
            "labels": ["Person", "Person, Engineer", ""],
            "name": ["Ada", "Alan", None],
            "age": [36, 41, 29],
        },
    )
    write_table(
        snapshot,
        "relationships/KNOWS/part-0.parquet",
        {"src": ["p1", "p2"], "dst": ["p2", "p3"], "kind": ["KNOWS", None], "since": [1840, None]},
    )
    return snapshot


def test_nodes_by_position_with_labels_and_nulls_left_out(people: Path) -> None:
    assert nodes(people) == [
        NodeRow("p1", ("Person",), {"name": "Ada", "age": 36}),
        NodeRow("p2", ("Person", "Engineer"), {"name": "Alan", "age": 41}),
        NodeRow("p3", ("Person",), {"age": 29}),  # empty labels: the folder's name
    ]
    (batch,) = node_batches(people)
    assert (batch.group, batch.id_space) == ("Person", GLOBAL_ID_SPACE)
    assert batch.source == "nodes/Person/part-0.parquet rows 1-3"


def test_relationships_by_position(people: Path) -> None:
    assert relationships(people) == [
        RelationshipRow("p1", "p2", "KNOWS", {"since": 1840}),
        RelationshipRow("p2", "p3", "KNOWS", {}),  # null type: the folder's name
    ]
    (batch,) = relationship_batches(people)
    assert (batch.start_space, batch.end_space) == (GLOBAL_ID_SPACE, GLOBAL_ID_SPACE)


def test_one_global_id_space_and_exact_row_counts(people: Path) -> None:
    reader = open_snapshot(people)
    assert reader.format == "parquet"
    assert reader.id_spaces() == [GLOBAL_ID_SPACE]
    assert reader.estimated_rows() == 5


def test_files_in_numeric_order_and_batches_across_files(snapshot: Path) -> None:
    for number in (10, 2, 1):
        write_table(
            snapshot,
            f"nodes/Item/part-{number}.parquet",
            {"id": [number * 100 + i for i in range(3)], "labels": ["Item"] * 3},
        )
    batches = node_batches(snapshot, batch_size=4)
    ids = [row.id for batch in batches for row in batch.rows]
    assert ids == [100, 101, 102, 200, 201, 202, 1000, 1001, 1002]
    assert [len(batch.rows) for batch in batches] == [4, 4, 1]
    assert batches[0].source == (
        "nodes/Item/part-1.parquet rows 1-3, nodes/Item/part-2.parquet row 1"
    )


def test_record_batches_stream_within_a_file(snapshot: Path) -> None:
    write_table(
        snapshot,
        "nodes/Item/part-0.parquet",
        {"id": list(range(10)), "labels": ["Item"] * 10},
        row_group_size=3,
    )
    batches = node_batches(snapshot, batch_size=4)
    assert [len(batch.rows) for batch in batches] == [4, 4, 2]
    assert batches[1].source == "nodes/Item/part-0.parquet rows 5-8"


def test_arrow_types_become_driver_values(snapshot: Path) -> None:
    stamp = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    write_table(
        snapshot,
        "nodes/Thing/part-0.parquet",
        {
            "id": pa.array(["t1", "t2"]),
            "labels": pa.array(["Thing", "Thing"]).dictionary_encode(),
            "flag": [True, False],
            "ratio": [0.5, None],
            "price": pa.array([Decimal("1.25"), Decimal("2.50")], type=pa.decimal128(5, 2)),
            "day": [date(2024, 5, 1), None],
            "at": pa.array([stamp, stamp], type=pa.timestamp("us", tz="UTC")),
            "exact": pa.array([1_000_000_000_123, 5_000_000_000_000], type=pa.timestamp("ns")),
            "took": pa.array([1_500, 2_000], type=pa.duration("ns")),
            "tags": [["a", "b"], []],
            "blob": [b"\x00\x01", None],
        },
    )
    first, second = nodes(snapshot)
    assert first.properties["price"] == 1.25 and isinstance(first.properties["price"], float)
    assert first.properties["day"] == date(2024, 5, 1)
    assert first.properties["at"] == stamp
    exact = first.properties["exact"]
    assert isinstance(exact, neo4j.time.DateTime)
    assert (exact.second, exact.nanosecond) == (40, 123)  # 1000 s + 123 ns after the epoch
    assert second.properties["exact"] == datetime(1970, 1, 1, 1, 23, 20)
    assert first.properties["took"] == neo4j.time.Duration(nanoseconds=1_500)
    assert second.properties["took"] == timedelta(microseconds=2)
    assert first.properties["tags"] == ["a", "b"]
    assert first.properties["blob"] == b"\x00\x01"
    assert set(second.properties) == {"flag", "price", "at", "exact", "took"}  # nulls, []


@pytest.mark.parametrize(
    ("columns", "fragment", "column_name"),
    [
        ({"id": ["a"]}, "expected at least 2 columns (node id and labels), got 1", None),
        ({"id": [1.5], "labels": ["X"]}, "column 1 should hold integers or strings", "id"),
        ({"id": ["a"], "labels": [1]}, "column 2 should hold strings", "labels"),
        (
            {"id": ["a"], "labels": ["X"], "address": [{"city": "Oslo"}]},
            "cannot be stored as Neo4j properties",
            "address",
        ),
        ({"id": ["a"], "labels": ["X"], "grid": [[[1]]]}, "lists of lists", "grid"),
    ],
)
def test_layouts_that_cannot_load_fail_the_check(
    snapshot: Path, columns: dict[str, Any], fragment: str, column_name: str | None
) -> None:
    write_table(snapshot, "nodes/X/part-0.parquet", columns)
    with pytest.raises(ParquetFormatError) as error:
        open_snapshot(snapshot).check()
    assert error.value.path == Path("nodes/X/part-0.parquet")
    assert error.value.column_name == column_name
    assert fragment in str(error.value)


def test_rows_that_cannot_load_name_their_row(snapshot: Path) -> None:
    write_table(
        snapshot,
        "nodes/Person/part-0.parquet",
        {"id": ["p1", "p2", "p3"], "labels": ["Person", "Bad Label", "L" * 65535]},
    )
    with pytest.raises(ParquetFormatError) as error:
        nodes(snapshot)
    assert str(error.value).startswith("nodes/Person/part-0.parquet, row 3, column 'labels': 'LLLL")
    assert "is not an allowed label (a label, type or property name is at most 65,534" in str(
        error.value
    )


@pytest.mark.parametrize(
    ("columns", "fragment"),
    [
        ({"id": ["p1", None], "labels": ["A", "A"]}, "row 2, column 'id': the id is empty"),
        ({"id": ["p1"], "labels": [""]}, "folder name 'my-things' is not an allowed label"),
        ({"id": ["p1"], "labels": ["A"], "xs": [[1, None]]}, "a list holds a null"),
        (
            {"id": ["p1"], "labels": ["A"], "n": pa.array([2**64 - 1], type=pa.uint64())},
            "expected integers up to 9223372036854775807",
        ),
    ],
)
def test_bad_rows(snapshot: Path, columns: dict[str, Any], fragment: str) -> None:
    write_table(snapshot, "nodes/my-things/part-0.parquet", columns)
    with pytest.raises(ParquetFormatError, match=fragment):
        nodes(snapshot)


def test_a_file_that_is_not_parquet(snapshot: Path) -> None:
    write_table(snapshot, "nodes/A/part-0.parquet", {"id": ["a"], "labels": ["A"]})
    (snapshot / "nodes" / "A" / "part-1.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(ParquetFormatError, match=r"part-1\.parquet: not a readable Parquet file"):
        open_snapshot(snapshot).check()


def test_markers_are_skipped_and_stray_files_refused(snapshot: Path) -> None:
    write_table(snapshot, "nodes/A/part-0.parquet", {"id": ["a"], "labels": ["A"]})
    (snapshot / "nodes" / "A" / "_SUCCESS").write_text("")
    (snapshot / "nodes" / "A" / ".part-0.parquet.crc").write_text("")
    assert [row.id for row in nodes(snapshot)] == ["a"]
    (snapshot / "nodes" / "A" / "notes.txt").write_text("hello")
    with pytest.raises(SnapshotFormatError, match=r"nodes/A/notes.txt is not a .parquet file"):
        open_snapshot(snapshot)
