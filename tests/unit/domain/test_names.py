"""Neo4j name rules: what may ever become a database, alias, label or type."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bgtui.domain.names import (
    MAX_IDENTIFIER_LENGTH,
    InvalidNameError,
    alias_for_customer,
    database_for_snapshot,
    database_name_problem,
    identifier_problem,
    parse_timestamp,
    quote_identifier,
)
from bgtui.domain.snapshot import SnapshotId


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "The provided database name is empty."),
        ("ab", "The provided database name must have a length between 3 and 63 characters."),
        ("a" * 64, "The provided database name must have a length between 3 and 63 characters."),
        ("1abc", "Database name '1abc' is not starting with an ASCII alphabetic character."),
        (
            "data_base",
            "Database name 'data_base' contains illegal characters. "
            "Use simple ascii characters, numbers, dots and dashes.",
        ),
        ("system-mine", "Database name 'system-mine' is invalid, due to the prefix 'system'."),
    ],
)
def test_invalid_database_names_get_neo4js_messages(name: str, message: str) -> None:
    assert database_name_problem(name) == message


def test_valid_names_are_accepted_case_insensitively() -> None:
    assert database_name_problem("Acme-20240501t120000z") is None


@pytest.mark.parametrize(
    ("customer", "alias"),
    [("Acme_Corp", "acme-corp"), ("globex", "globex"), ("  Initech  Ltd ", "initech-ltd")],
)
def test_customer_folders_become_aliases(customer: str, alias: str) -> None:
    assert alias_for_customer(customer) == alias


@pytest.mark.parametrize("customer", ["__", "x", "system", "9lives", "é"])
def test_customers_that_cannot_become_aliases_are_refused_with_the_reason(customer: str) -> None:
    with pytest.raises(InvalidNameError, match="cannot become a Neo4j alias"):
        alias_for_customer(customer)


def test_snapshot_databases_join_alias_and_timestamp() -> None:
    assert (
        database_for_snapshot("Acme_Corp", "2024-05-01T12:00:00Z") == "acme-corp-20240501t120000z"
    )
    assert database_for_snapshot("acme", "1714564800") == "acme-1714564800"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1714564800", datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        ("1714564800000", datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        ("2024-05-01T12:00:00Z", datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        ("2024-05-01T12-00-00", datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        ("20240501T120000Z", datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        ("20240501", datetime(2024, 5, 1, tzinfo=UTC)),
    ],
)
def test_timestamps_as_producers_write_them(text: str, expected: datetime) -> None:
    assert parse_timestamp(text) == expected


def test_timestamps_order_across_formats() -> None:
    names = ["2024-05-02T00:00:00Z", "1714564800", "20240430"]
    ordered = sorted(names, key=parse_timestamp)
    assert ordered == ["20240430", "1714564800", "2024-05-02T00:00:00Z"]


def test_a_folder_that_is_not_a_timestamp_says_what_was_expected() -> None:
    with pytest.raises(InvalidNameError, match="expected epoch seconds or an ISO date-time"):
        parse_timestamp("latest")
    assert "not a timestamp" in (SnapshotId("acme", "latest").name_problem() or "")


@pytest.mark.parametrize(
    "label",
    ["Person", "ACTED_IN", "_internal", "L2", "Movie-Sequel", "Café", "2024Q1", "has space"],
)
def test_any_name_neo4j_accepts_quoted_is_backtick_quoted(label: str) -> None:
    assert quote_identifier(label) == f"`{label}`"


def test_embedded_backticks_are_doubled() -> None:
    assert quote_identifier("a`b") == "`a``b`"
    assert quote_identifier("`") == "````"


@pytest.mark.parametrize("label", ["", "x" * (MAX_IDENTIFIER_LENGTH + 1)], ids=["empty", "long"])
def test_empty_and_overlong_names_are_refused_before_cypher_is_built(label: str) -> None:
    with pytest.raises(InvalidNameError):
        quote_identifier(label)
    assert identifier_problem("x" * MAX_IDENTIFIER_LENGTH) is None


@given(st.text(min_size=1))
def test_a_quoted_identifier_always_reads_back_as_the_name(text: str) -> None:
    quoted = quote_identifier(text)
    inner = quoted[1:-1]
    assert quoted[0] == quoted[-1] == "`"
    assert "`" not in inner.replace("``", ""), "every inner backtick is doubled"
    assert inner.replace("``", "`") == text


@pytest.mark.parametrize(
    ("customer", "alias"), [("acme.eu", "acme-eu"), ("Acme..EU", "acme-eu"), ("a.b-c", "a-b-c")]
)
def test_dots_never_reach_an_alias(customer: str, alias: str) -> None:
    assert alias_for_customer(customer) == alias
    assert "." not in database_for_snapshot(customer, "2024-05-01T12:00Z")


@given(st.text(min_size=1, max_size=80))
def test_every_alias_produced_is_a_valid_database_name(text: str) -> None:
    try:
        alias = alias_for_customer(text)
    except InvalidNameError:
        return
    assert database_name_problem(alias) is None
