"""The sandbox's reading of Cypher text: templates, names, literal values and SHOW filters."""

from __future__ import annotations

import pytest

from bgtui.sandbox.cypher_text import (
    compile_template,
    parse_labels,
    project_show,
    read_value,
    resolve_name,
    row_filter,
    unquote,
)
from bgtui.sandbox.results import CypherFailure


class TestTemplates:
    def test_words_need_whitespace_but_punctuation_does_not(self) -> None:
        pattern = compile_template("MATCH ({n:var}) RETURN count({n}) AS {c:symbol}")
        assert pattern.match("MATCH (n) RETURN count(n) AS c")
        assert pattern.match("  match ( n )\n return COUNT( n ) as c ;")
        assert not pattern.match("MATCH (n) RETURNcount(n) AS c")

    def test_a_repeated_placeholder_must_repeat_the_same_text(self) -> None:
        pattern = compile_template("MATCH ({n:var}) RETURN count({n})")
        assert pattern.match("MATCH (x) RETURN count(x)")
        assert not pattern.match("MATCH (x) RETURN count(y)")

    def test_optional_parts_and_flags(self) -> None:
        pattern = compile_template("DROP ALIAS {name:name} [[if_exists: IF EXISTS]] FOR DATABASE")
        with_flag = pattern.match("DROP ALIAS a IF EXISTS FOR DATABASE")
        without = pattern.match("DROP ALIAS a FOR DATABASE")
        assert with_flag is not None and with_flag["if_exists"]
        assert without is not None and without["if_exists"] is None

    def test_the_whole_statement_must_match(self) -> None:
        pattern = compile_template("RETURN {value:literal}")
        assert pattern.match("RETURN 1")
        assert not pattern.match("RETURN 1 + 1")

    def test_a_name_is_never_a_keyword(self) -> None:
        pattern = compile_template("SHOW {plural:databases} [[{name:name}]] {tail:tail}")
        match = pattern.match("SHOW DATABASES YIELD name")
        assert match is not None and match["name"] is None and match["tail"] == "YIELD name"

    def test_an_undefined_repeat_is_a_template_error(self) -> None:
        with pytest.raises(ValueError, match="repeats"):
            compile_template("RETURN {n}")


class TestNames:
    def test_plain_backticked_and_parameter_names_are_lowercased(self) -> None:
        assert resolve_name("Acme", {}) == ("acme", None)
        assert resolve_name("`Acme-2024`", {}) == ("acme-2024", None)
        assert resolve_name("$db", {"db": "ACME-2024"}) == ("acme-2024", "db")

    def test_doubled_backticks_are_one_backtick(self) -> None:
        assert unquote("`odd``name`") == "odd`name"
        assert resolve_name("`a``b`", {}) == ("a`b", None)

    def test_a_backticked_parameter_value_is_taken_literally(self) -> None:
        assert resolve_name("$db", {"db": "`quoted`"}) == ("`quoted`", "db")

    def test_missing_and_mistyped_parameters(self) -> None:
        with pytest.raises(CypherFailure) as missing:
            resolve_name("$db", {})
        assert missing.value.neo4j_code == "Neo.ClientError.Statement.ParameterMissing"
        with pytest.raises(CypherFailure) as mistyped:
            resolve_name("$db", {"db": 7})
        assert mistyped.value.neo4j_code == "Neo.ClientError.Statement.TypeError"

    def test_labels(self) -> None:
        assert parse_labels(":`Person`:Actor: `Odd Label`") == ("Person", "Actor", "Odd Label")
        assert parse_labels("") == ()


class TestValues:
    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("'it\\'s'", "it's"),
            ('"double"', "double"),
            ("-12", -12),
            ("2.5", 2.5),
            ("TRUE", True),
            ("null", None),
            ("[1, 'a', [true]]", [1, "a", [True]]),
            ("{a: 1, `b c`: 'x'}", {"a": 1, "b c": "x"}),
            ("[]", []),
        ],
    )
    def test_literals(self, text: str, value: object) -> None:
        assert read_value(text, {}) == value

    def test_parameters_inside_lists(self) -> None:
        assert read_value("[$a, 2]", {"a": "x"}) == ["x", 2]

    def test_unreadable_text_is_a_syntax_error(self) -> None:
        with pytest.raises(CypherFailure) as caught:
            read_value("1 2", {})
        assert caught.value.neo4j_code == "Neo.ClientError.Statement.SyntaxError"


class TestShowFilters:
    ROWS = [
        {"name": "a", "status": "online", "n": 1},
        {"name": "b", "status": "offline", "n": 2},
        {"name": "c", "status": None, "n": 3},
    ]

    def test_equality_inequality_and_in(self) -> None:
        assert [r["name"] for r in self.ROWS if row_filter("status = 'online'", {})(r)] == ["a"]
        assert [r["name"] for r in self.ROWS if row_filter("status <> $s", {"s": "online"})(r)] == [
            "b"
        ]
        assert [r["name"] for r in self.ROWS if row_filter("name IN ['a', 'c']", {})(r)] == [
            "a",
            "c",
        ]

    def test_and_joins_conditions_and_null_never_matches(self) -> None:
        keep = row_filter("n IN [1, 2, 3] AND status = 'offline'", {})
        assert [r["name"] for r in self.ROWS if keep(r)] == ["b"]
        assert not row_filter("status = null", {})(self.ROWS[2])

    def test_other_where_clauses_are_refused(self) -> None:
        with pytest.raises(CypherFailure, match="does not understand"):
            row_filter("n > 1", {})

    def test_yield_order_skip_limit_where_return(self) -> None:
        fields, records = project_show(
            self.ROWS,
            "YIELD name, n ORDER BY n DESC SKIP 1 LIMIT 1 RETURN name AS db",
            {},
            ["name"],
            ["name", "status", "n"],
        )
        assert (fields, records) == (["db"], [["b"]])

    def test_default_and_star_columns(self) -> None:
        assert project_show(self.ROWS[:1], "", {}, ["name"], ["name", "n"]) == (["name"], [["a"]])
        assert project_show(self.ROWS[:1], "YIELD *", {}, ["name"], ["name", "n"]) == (
            ["name", "n"],
            [["a", 1]],
        )

    def test_yielding_an_unknown_column_fails(self) -> None:
        with pytest.raises(CypherFailure, match="non-existing column"):
            project_show(self.ROWS, "YIELD nope", {}, ["name"], ["name"])
