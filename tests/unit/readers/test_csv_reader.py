"""Reading a CSV snapshot: batches and their sources, ID spaces, typed ids, dialects, estimates."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from bgtui.readers import GLOBAL_ID_SPACE, ImportOptions, NodeRow, open_snapshot
from tests.helpers.readers import WriteFile
from tests.unit.readers.reading import node_batches, nodes, relationship_batches, relationships


def test_batches_span_the_parts_of_a_group_and_say_where_they_came_from(
    snapshot: Path, write: WriteFile
) -> None:
    write("nodes/people-header.csv", ":ID(people),:LABEL")
    write("nodes/people-part1.csv", *[f"a{i},Person" for i in range(3)])
    write("nodes/people-part2.csv", *[f"b{i},Person" for i in range(4)])
    batches = node_batches(snapshot, batch_size=3)
    assert [len(batch.rows) for batch in batches] == [3, 3, 1]
    assert [batch.source for batch in batches] == [
        "nodes/people-part1.csv lines 1-3",
        "nodes/people-part2.csv lines 1-3",
        "nodes/people-part2.csv line 4",
    ]
    batches = node_batches(snapshot, batch_size=5)
    assert [batch.source for batch in batches] == [
        "nodes/people-part1.csv lines 1-3, nodes/people-part2.csv lines 1-2",
        "nodes/people-part2.csv lines 3-4",
    ]
    assert {(batch.group, batch.id_space) for batch in batches} == {("people", "people")}


def test_a_batch_never_mixes_groups(snapshot: Path, write: WriteFile) -> None:
    write("nodes/a.csv", ":ID(a),:LABEL", "1,A")
    write("nodes/b.csv", ":ID(b),:LABEL", "1,B", "2,B")
    batches = node_batches(snapshot, batch_size=10)
    assert [(batch.group, len(batch.rows)) for batch in batches] == [("a", 1), ("b", 2)]


def test_id_spaces_in_first_seen_order(snapshot: Path, write: WriteFile) -> None:
    write("nodes/a.csv", ":ID(zeta),:LABEL", "1,A")
    write("nodes/b.csv", ":ID,:LABEL", "1,B")
    write("nodes/c.csv", ":ID(alpha),:LABEL", "1,C")
    write("nodes/d.csv", ":ID(zeta),:LABEL", "2,D")
    write("nodes/e.csv", "name,:LABEL", "x,E")
    reader = open_snapshot(snapshot)
    assert reader.id_spaces() == ["zeta", GLOBAL_ID_SPACE, "alpha"]
    assert node_batches(snapshot)[-1].id_space is None


def test_ids_and_endpoints_follow_the_type_of_their_id_space(
    snapshot: Path, write: WriteFile
) -> None:
    write("nodes/people.csv", "pid:ID(people){id-type:long},:LABEL", "1,Person", "2,Person")
    write("nodes/movies.csv", ":ID(movies),:LABEL", "1,Movie")
    write(
        "relationships/acted.csv",
        ":START_ID(people),:END_ID(movies),:TYPE",
        "1,1,ACTED_IN",
        " 2 ,1,ACTED_IN",
    )
    assert [(row.id, row.properties) for row in nodes(snapshot)] == [
        ("1", {}),
        (1, {"pid": 1}),
        (2, {"pid": 2}),
    ]
    assert [(row.start, row.end) for row in relationships(snapshot)] == [(1, "1"), (2, "1")]


@pytest.mark.parametrize("id_type", ["integer", "actual"])
def test_integer_id_type_for_all_spaces(snapshot: Path, write: WriteFile, id_type: str) -> None:
    write("nodes/people.csv", ":ID,:LABEL", "1,Person")
    write("relationships/KNOWS.csv", ":START_ID,:END_ID", "1,1")
    options = ImportOptions(id_type=id_type)
    assert nodes(snapshot, options)[0].id == 1
    assert relationships(snapshot, options)[0].start == 1


def test_relationship_batches(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", ":ID(people),:LABEL", "1,Person")
    write("nodes/movies.csv", ":ID(movies),:LABEL", "1,Movie")
    write(
        "relationships/acted_in.csv",
        ":START_ID(people),role,:END_ID(movies),:TYPE",
        "1,Neo,1,ACTED_IN",
        "1,,1,ACTED_IN",
    )
    (batch,) = relationship_batches(snapshot)
    assert (batch.group, batch.start_space, batch.end_space) == ("acted_in", "people", "movies")
    assert batch.source == "relationships/acted_in.csv lines 2-3"
    assert [row.properties for row in batch.rows] == [{"role": "Neo"}, {}]


def test_empty_fields_are_left_out_as_neo4j_admin_does(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", ":ID,name,born:int,tags:string[],:LABEL", 'p1,"",,,Person')
    assert nodes(snapshot)[0].properties == {}


def test_several_labels_and_label_columns(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", ":ID,:LABEL,:LABEL", "p1, Person ;Actor;,Actor;Director")
    assert nodes(snapshot)[0].labels == ("Person", "Actor", "Director")


def test_tab_delimiter_custom_quote_and_array_delimiter(snapshot: Path, write: WriteFile) -> None:
    write(
        "nodes/people.tsv",
        ":ID\tname\ttags:string[]\t:LABEL",
        "p1\t'Ada, Countess\tof ''Lovelace'''\tmath|poetry\tPerson|Pioneer",
    )
    options = ImportOptions(delimiter="TAB", quote="'", array_delimiter="|")
    (row,) = nodes(snapshot, options)
    assert row == NodeRow(
        "p1",
        ("Person", "Pioneer"),
        {"name": "Ada, Countess\tof 'Lovelace'", "tags": ["math", "poetry"]},
    )


def test_multiline_quoted_fields_and_doubled_quotes(snapshot: Path, write: WriteFile) -> None:
    write("nodes/notes.csv", ":ID,text,:LABEL", 'n1,"line one\nline ""two""",Note', "n2,plain,Note")
    batch = node_batches(snapshot)[0]
    assert batch.rows[0].properties["text"] == 'line one\nline "two"'
    assert batch.source == "nodes/notes.csv lines 2-4"


def test_a_byte_order_mark_before_the_header_is_dropped(snapshot: Path) -> None:
    (snapshot / "nodes").mkdir()
    (snapshot / "nodes" / "people.csv").write_bytes("\ufeff:ID,when:date\np1,2024-05-01\n".encode())
    assert nodes(snapshot)[0] == NodeRow("p1", ("people",), {"when": date(2024, 5, 1)})


def test_a_batch_size_below_one_is_refused(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", ":ID", "p1")
    with pytest.raises(ValueError, match="at least 1"):
        next(iter(open_snapshot(snapshot).node_batches(0)))


class TestEstimatedRows:
    def test_small_snapshots_are_counted_exactly(self, snapshot: Path, write: WriteFile) -> None:
        write("nodes/people-header.csv", ":ID,:LABEL")
        write("nodes/people-part1.csv", "1,Person", "2,Person")
        write("nodes/people-part2.csv.gz", "3,Person")
        write("nodes/movies.csv", ":ID(m),:LABEL", "1,Movie")
        write("relationships/KNOWS.csv", ":START_ID,:END_ID", "1,2", "2,3")
        assert open_snapshot(snapshot).estimated_rows() == 6

    def test_large_files_are_estimated_from_a_sample(
        self, snapshot: Path, write: WriteFile
    ) -> None:
        rng = random.Random(3)
        rows = [f"p{i},{'x' * rng.randint(5, 40)},Person" for i in range(20_000)]
        write("nodes/people-header.csv", ":ID,name,:LABEL")
        write("nodes/people-part1.csv.gz", *rows[:10_000])
        write("nodes/people-part2.csv", *rows[10_000:])
        estimate = open_snapshot(snapshot).estimated_rows()
        assert estimate is not None
        assert abs(estimate - 20_000) < 2_000
