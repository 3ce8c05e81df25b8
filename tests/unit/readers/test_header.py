"""Header tokens of the neo4j-admin format: every token, its options, and the bad ones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from neo4j.spatial import WGS84Point

from bgtui.readers import GLOBAL_ID_SPACE, CsvFormatError, ImportOptions
from bgtui.readers.csv.header import (
    NodeHeader,
    RelationshipHeader,
    parse_node_header,
    parse_relationship_header,
)

FILE = Path("nodes/people.csv")
OPTIONS = ImportOptions()


def node_header(*tokens: str, options: ImportOptions = OPTIONS) -> NodeHeader:
    return parse_node_header(list(tokens), FILE, 1, options)


def relationship_header(*tokens: str) -> RelationshipHeader:
    return parse_relationship_header(list(tokens), Path("relationships/knows.csv"), 1, OPTIONS)


def converted(token: str, text: str) -> object:
    (column,) = node_header(token).properties
    return column.convert(text)


class TestIdColumns:
    def test_an_unnamed_id_is_in_the_global_space_and_stores_no_property(self) -> None:
        header = node_header(":ID", "name")
        assert header.id is not None
        assert (header.id.index, header.id.space, header.id.property_name) == (
            0,
            GLOBAL_ID_SPACE,
            None,
        )

    def test_a_named_id_in_a_space_stores_its_name(self) -> None:
        header = node_header("name", "personId:ID(Actor-ID)")
        assert header.id is not None
        assert (header.id.index, header.id.space, header.id.property_name) == (
            1,
            "Actor-ID",
            "personId",
        )

    @pytest.mark.parametrize(("option", "integer"), [("long", True), ("string", False)])
    def test_id_type_option(self, option: str, integer: bool) -> None:
        header = node_header(f"id:ID(people){{id-type:{option}}}")
        assert header.id is not None and header.id.integer is integer

    def test_the_label_option_of_incremental_import_is_accepted(self) -> None:
        header = node_header("uuid:ID{label:Person}")
        assert header.id is not None and header.id.space == GLOBAL_ID_SPACE

    def test_a_group_without_an_id_column(self) -> None:
        assert node_header("name", ":LABEL").id is None

    def test_two_id_columns_are_refused(self) -> None:
        with pytest.raises(CsvFormatError) as error:
            node_header(":ID", "name", "code:ID")
        assert error.value.column == 3
        assert "more than one :ID column" in str(error.value)

    def test_an_unknown_id_type(self) -> None:
        with pytest.raises(CsvFormatError, match="unknown id-type 'float'"):
            node_header(":ID{id-type:float}")


class TestLabelsAndIgnored:
    def test_label_columns_and_ignored_columns(self) -> None:
        header = node_header(":ID", ":LABEL", "skip:IGNORE", "", "extra:LABEL", "name")
        assert header.label_columns == (1, 4)
        assert [column.name for column in header.properties] == ["name"]

    def test_tokens_are_case_insensitive(self) -> None:
        header = node_header(":id", ":label", "born:INT")
        assert header.id is not None and header.label_columns == (1,)
        assert header.properties[0].convert("7") == 7


class TestRelationshipColumns:
    def test_start_end_and_type(self) -> None:
        header = relationship_header(":START_ID(people)", "role", ":END_ID(movies)", ":TYPE")
        assert (header.start.index, header.start.space) == (0, "people")
        assert (header.end.index, header.end.space) == (2, "movies")
        assert header.type_column == 3
        assert [column.name for column in header.properties] == ["role"]

    def test_names_on_start_and_end_are_ignored(self) -> None:
        header = relationship_header("from:START_ID", "to:END_ID")
        assert header.start.space == header.end.space == GLOBAL_ID_SPACE
        assert header.start.property_name is None and header.properties == ()

    @pytest.mark.parametrize(
        ("tokens", "missing"),
        [((":END_ID", ":TYPE"), ":START_ID"), ((":START_ID", ":TYPE"), ":END_ID")],
    )
    def test_a_missing_endpoint_column(self, tokens: tuple[str, ...], missing: str) -> None:
        with pytest.raises(CsvFormatError) as error:
            relationship_header(*tokens)
        assert str(error.value).startswith(f"relationships/knows.csv, line 1: no {missing} column")

    def test_a_repeated_type_column(self) -> None:
        with pytest.raises(CsvFormatError, match="more than one :TYPE column") as error:
            relationship_header(":START_ID", ":END_ID", ":TYPE", ":TYPE")
        assert error.value.column == 4

    @pytest.mark.parametrize("token", [":ID", ":LABEL"])
    def test_node_columns_do_not_belong_in_relationship_files(self, token: str) -> None:
        with pytest.raises(CsvFormatError, match="does not belong in a relationship file"):
            relationship_header(":START_ID", ":END_ID", token)

    @pytest.mark.parametrize("token", [":START_ID", ":END_ID", ":TYPE"])
    def test_relationship_columns_do_not_belong_in_node_files(self, token: str) -> None:
        with pytest.raises(CsvFormatError, match="does not belong in a node file") as error:
            node_header(":ID", token)
        assert (error.value.column, error.value.column_name) == (2, token)


class TestPropertyTypes:
    @pytest.mark.parametrize(
        ("token", "text", "value"),
        [
            ("name", "Ada", "Ada"),
            ("name:string", "Ada", "Ada"),
            ("n:int", "-42", -42),
            ("n:long", "9007199254740993", 9007199254740993),
            ("n:short", "32767", 32767),
            ("n:byte", "-128", -128),
            ("x:float", "1.5", 1.5),
            ("x:double", "-2e3", -2000.0),
            ("ok:boolean", "true", True),
            ("ok:boolean", "True", False),
            ("ok:boolean", "yes", False),
            ("c:char", "x", "x"),
            ("d:date", "2015-07-21", date(2015, 7, 21)),
            ("t:localtime", "12:50:35.556", time(12, 50, 35, 556000)),
            ("t:time", "12:50:35+01:00", time(12, 50, 35, tzinfo=timezone(timedelta(hours=1)))),
            ("t:localdatetime", "2015-07-21T21:40:32", datetime(2015, 7, 21, 21, 40, 32)),
            ("t:datetime", "2015-07-21T21:40:32Z", datetime(2015, 7, 21, 21, 40, 32, tzinfo=UTC)),
            ("tags:string[]", "a;b;c", ["a", "b", "c"]),
            ("scores:float[]", "1.5;2", [1.5, 2.0]),
            ("flags:boolean[]", "true;false", [True, False]),
            ("days:date[]", "2020-01-01;2020-01-02", [date(2020, 1, 1), date(2020, 1, 2)]),
        ],
    )
    def test_each_type_converts(self, token: str, text: str, value: object) -> None:
        assert converted(token, text) == value

    def test_duration_type(self) -> None:
        assert str(converted("d:duration", "P14DT16H12M")) == "P14DT16H12M"

    def test_point_defaults_come_from_the_header(self) -> None:
        point = converted("where:point{crs:WGS-84}", "{x:12.9, y:55.6}")
        assert isinstance(point, WGS84Point) and tuple(point) == (12.9, 55.6)

    def test_time_zone_defaults_come_from_the_header(self) -> None:
        value = converted("at:datetime{timezone:Europe/Stockholm}", "2024-01-01T12:00")
        assert isinstance(value, datetime)
        assert value.utcoffset() == timedelta(hours=1)
        assert str(value.tzinfo) == "Europe/Stockholm"

    def test_a_colon_in_the_name_splits_at_the_last_colon(self) -> None:
        (column,) = node_header("a:b:int").properties
        assert (column.name, column.convert("3")) == ("a:b", 3)

    def test_the_array_delimiter_is_an_option(self) -> None:
        header = node_header("tags:string[]", options=ImportOptions(array_delimiter="|"))
        assert header.properties[0].convert("a;b|c") == ["a;b", "c"]


class TestBadHeaders:
    @pytest.mark.parametrize(
        ("tokens", "column", "fragment"),
        [
            ((":ID", "born:integer"), 2, "unknown type 'integer'"),
            ((":ID", "born:int(x)"), 2, "only ID, START_ID and END_ID take an ID space"),
            ((":ID", ":LABEL[]"), 2, "':LABEL' cannot be an array"),
            ((":ID", ":int"), 2, "a property column needs a name"),
            ((":ID", "at:datetime{zone:UTC}"), 2, "unknown header option 'zone'"),
            ((":ID", "n:int{timezone:UTC}"), 2, "it takes none"),
            ((":ID", "at:datetime{timezone:Mars/Olympus}"), 2, "known time zone"),
            ((":ID", "at:time{timezone:Europe/Stockholm}"), 2, "not the zone"),
            ((":ID", "p:point{crs:mercator}"), 2, "expected crs cartesian"),
            ((":ID", "at:datetime{timezone:UTC"), 2, "closing '}'"),
            ((":ID", "n:in t"), 2, "is not a column type"),
        ],
    )
    def test_bad_token(self, tokens: tuple[str, ...], column: int, fragment: str) -> None:
        with pytest.raises(CsvFormatError) as error:
            node_header(*tokens)
        assert (error.value.line, error.value.column) == (1, column)
        assert error.value.column_name == tokens[column - 1]
        assert fragment in str(error.value)

    def test_duplicate_property_names(self) -> None:
        with pytest.raises(CsvFormatError) as error:
            node_header(":ID", "name", "born:int", "name:string")
        assert str(error.value) == (
            "nodes/people.csv, line 1, column 4 (name:string): the name 'name' is already used "
            "by column 2; each property needs its own column"
        )

    def test_a_named_id_collides_with_a_property(self) -> None:
        with pytest.raises(CsvFormatError, match="already used by column 1"):
            node_header("name:ID", "name")

    def test_ignored_and_label_columns_may_share_names(self) -> None:
        header = node_header("x:IGNORE", "x:IGNORE", "kind:LABEL", "kind")
        assert [column.name for column in header.properties] == ["kind"]
