"""Bad data points at the file (relative to the snapshot), the physical line and the column."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtui.readers import CsvFormatError, ImportOptions, SnapshotFormatError, open_snapshot
from tests.helpers.readers import WriteFile
from tests.unit.readers.reading import nodes, relationships

PEOPLE_HEADER = "personId:ID(people),name,born:int,:LABEL"


def error_of(root: Path, options: ImportOptions | None = None) -> CsvFormatError:
    with pytest.raises(CsvFormatError) as error:
        nodes(root, options)
        relationships(root, options)
    return error.value


def test_the_example_message_of_the_brief(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people-header.csv", PEOPLE_HEADER)
    rows = [f"{index},Person {index},{1900 + index},Person" for index in range(1, 12)]
    rows[10] = "11,Person 11,abc,Person"
    write("nodes/people-part1.csv", *rows[:10], "", rows[10])  # line 11 is blank: skipped
    error = error_of(snapshot)
    assert (error.path, error.line, error.column, error.column_name) == (
        Path("nodes/people-part1.csv"),
        12,
        3,
        "born:int",
    )
    assert str(error) == (
        "nodes/people-part1.csv, line 12, column 3 (born:int): expected an int "
        "(a whole number from -2147483648 to 2147483647), got 'abc'"
    )


def test_lines_count_the_header_and_quoted_line_breaks(snapshot: Path, write: WriteFile) -> None:
    write(
        "nodes/people.csv",
        PEOPLE_HEADER,
        '1,"Ada\nLovelace\n(the first programmer)",1815,Person',
        "2,Alan,19x2,Person",
    )
    error = error_of(snapshot)
    assert (error.line, error.column) == (5, 3)


def test_crlf_line_endings_count_once(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", PEOPLE_HEADER, "1,Ada,1815,Person", "2,Alan,?,Person", newline="\r\n")
    assert error_of(snapshot).line == 3


def test_errors_in_gzip_parts_name_the_part(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people-header.csv", PEOPLE_HEADER)
    write("nodes/people-part1.csv", "1,Ada,1815,Person")
    write("nodes/people-part2.csv.gz", "2,Alan,1912,Person", "3,Grace,?,Person")
    error = error_of(snapshot)
    assert str(error).startswith("nodes/people-part2.csv.gz, line 2, column 3 (born:int): ")


def test_labels_neo4j_accepts_quoted_are_read(snapshot: Path, write: WriteFile) -> None:
    """Neo4j accepts any label backtick-quoted (up to its length limit)."""
    write("nodes/people.csv", PEOPLE_HEADER, "1,Ada,1815,Per son;Movie-Sequel;Café;2024Q1")
    assert [row.labels for row in nodes(snapshot)] == [
        ("Per son", "Movie-Sequel", "Café", "2024Q1")
    ]


def test_a_label_longer_than_neo4j_allows_is_refused(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", PEOPLE_HEADER, "1,Ada,1815," + "L" * 65535)
    error = error_of(snapshot)
    assert (error.line, error.column) == (2, 4)
    assert "at most 65,534 characters" in error.problem


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("1,Ada,1815", "expected 4 fields as in the header, got 3"),
        (
            "1,Ada,1815,Person,extra",
            "expected 4 fields as in the header, got 5 (set ignore_extra_columns to skip the "
            "extra ones)",
        ),
    ],
)
def test_wrong_column_counts(snapshot: Path, write: WriteFile, line: str, problem: str) -> None:
    write("nodes/people.csv", PEOPLE_HEADER, "0,Zed,1900,Person", line)
    error = error_of(snapshot)
    assert (error.line, error.column, error.problem) == (3, None, problem)


def test_extra_columns_can_be_ignored(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", PEOPLE_HEADER, "1,Ada,1815,Person,extra,more")
    (row,) = nodes(snapshot, ImportOptions(ignore_extra_columns=True))
    assert row.properties == {"name": "Ada", "born": 1815, "personId": "1"}


def test_an_empty_id(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", PEOPLE_HEADER, ",Ada,1815,Person")
    error = error_of(snapshot)
    assert (error.line, error.column, error.problem) == (
        2,
        1,
        "expected a node id, the field is empty",
    )


def test_integer_ids_must_be_integers(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", PEOPLE_HEADER, "p1,Ada,1815,Person")
    error = error_of(snapshot, ImportOptions(id_type="integer"))
    assert (error.line, error.column) == (2, 1)
    assert error.problem.startswith("expected a long")


@pytest.mark.parametrize(
    ("row", "column", "problem"),
    [
        (",2,KNOWS", 1, "expected a :START_ID, the field is empty"),
        ("1,,KNOWS", 2, "expected an :END_ID, the field is empty"),
        ("1,2,", 3, "expected a relationship type, the :TYPE field is empty"),
        ("1,2," + "K" * 65535, 3, "'KKKK"),
    ],
)
def test_missing_endpoints_and_types(
    snapshot: Path, write: WriteFile, row: str, column: int, problem: str
) -> None:
    write("nodes/people.csv", PEOPLE_HEADER, "1,Ada,1815,Person")
    write("relationships/knows.csv", ":START_ID(people),:END_ID(people),:TYPE", row)
    error = error_of(snapshot)
    assert (error.path, error.line, error.column) == (Path("relationships/knows.csv"), 2, column)
    assert error.problem.startswith(problem)


def test_a_quote_never_closed(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", PEOPLE_HEADER, '1,"Ada,1815,Person', "2,Alan,1912,Person")
    error = error_of(snapshot)
    assert error.line == 2
    assert "a quote that is never closed" in error.problem


def test_text_after_a_closing_quote(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", PEOPLE_HEADER, "1,Ada,1815,Person", '2,"Alan"x,1912,Person')
    error = error_of(snapshot)
    assert error.line == 3 and error.problem.startswith("not valid CSV")


def test_not_utf8(snapshot: Path, write: WriteFile) -> None:
    path = write("nodes/people.csv", PEOPLE_HEADER, "1,Ada,1815,Person")
    path.write_bytes(path.read_bytes() + b"2,Ren\xe9,1912,Person\n")
    error = error_of(snapshot)
    assert error.problem.startswith("not UTF-8 text")
    assert error.path == Path("nodes/people.csv")


def test_a_broken_gzip_file(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people-header.csv", PEOPLE_HEADER)
    path = write("nodes/people-part1.csv.gz", *[f"{i},P{i},1900,Person" for i in range(500)])
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(CsvFormatError, match=r"nodes/people-part1.csv.gz, line \d+: the file"):
        nodes(snapshot)


def test_an_empty_first_file(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv")
    error = error_of(snapshot)
    assert str(error) == "nodes/people.csv, line 1: the file is empty; expected a header line first"


def test_a_relationship_group_without_a_type(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", PEOPLE_HEADER, "1,Ada,1815,Person")
    write("relationships/knows-well.csv", ":START_ID(people),:END_ID(people)", "1,1")
    reader = open_snapshot(snapshot)
    with pytest.raises(CsvFormatError, match="no :TYPE column, and the group name 'knows-well'"):
        reader.check()


def test_one_id_space_holds_one_id_type(snapshot: Path, write: WriteFile) -> None:
    write("nodes/a.csv", "id:ID(things){id-type:long},:LABEL", "1,A")
    write("nodes/b.csv", "id:ID(things),:LABEL", "x,B")
    with pytest.raises(CsvFormatError, match="holds string ids here but integer ids in nodes/a"):
        open_snapshot(snapshot).check()


def test_every_error_is_a_snapshot_format_error(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", "name:float", "x")
    with pytest.raises(SnapshotFormatError):
        nodes(snapshot)
