"""Every row of the error catalogue: code, message, GQL status and chain.

The catalogue follows https://neo4j.com/docs/status-codes/current/.
"""

from __future__ import annotations

import pytest

from bgtui.sandbox import errors
from bgtui.sandbox.dbms import Dbms
from bgtui.sandbox.results import CypherFailure

from .statement_runner import chain, fails, run

NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"
EXISTS = "Neo.ClientError.Database.ExistingDatabaseFound"


@pytest.fixture
def dbms() -> Dbms:
    dbms = Dbms()
    run(dbms, "system", "CREATE DATABASE `acme-1`")
    run(dbms, "system", "CREATE ALIAS acme FOR DATABASE `acme-1`")
    return dbms


def test_create_database_over_a_database_or_an_alias(dbms: Dbms) -> None:
    for name in ("acme-1", "acme"):
        failure = fails(dbms, "system", "CREATE DATABASE $n", n=name)
        assert failure.neo4j_code == EXISTS
        assert failure.message == (
            f"Failed to create the specified database '{name}': "
            "Database name or alias already exists."
        )
        assert chain(failure) == ["42001", "42N11"]
        assert failure.description == (
            "error: syntax error or access rule violation - invalid syntax"
        )
        assert failure.cause is not None
        assert failure.cause.message == f"A graph reference with the name `{name}` already exists."


def test_create_alias_that_exists(dbms: Dbms) -> None:
    failure = fails(dbms, "system", "CREATE ALIAS acme FOR DATABASE `acme-1`")
    assert (failure.neo4j_code, chain(failure)) == (EXISTS, ["42001", "42N11"])
    assert failure.message == (
        "Failed to create the specified database alias 'acme': "
        "Database name or alias already exists."
    )


def test_create_alias_named_like_a_database(dbms: Dbms) -> None:
    failure = fails(dbms, "system", "CREATE ALIAS `acme-1` FOR DATABASE `acme-1`")
    assert (failure.neo4j_code, chain(failure)) == (EXISTS, ["42001", "42N11"])
    assert failure.message == (
        "Failed to create the specified database alias 'acme-1': Database exists with that name."
    )


def test_create_alias_for_a_missing_database(dbms: Dbms) -> None:
    inline = fails(dbms, "system", "CREATE ALIAS b FOR DATABASE nothere")
    assert inline.neo4j_code == NOT_FOUND
    assert inline.message == (
        "Failed to create the specified database alias 'b': Database 'nothere' does not exist."
    )
    assert chain(inline) == ["42001", "42N00"]
    as_parameter = fails(dbms, "system", "CREATE ALIAS b FOR DATABASE $db", db="nothere")
    assert chain(as_parameter) == ["42001", "42N51", "42N00"]


def test_alter_alias_to_a_missing_database(dbms: Dbms) -> None:
    failure = fails(dbms, "system", "ALTER ALIAS acme SET DATABASE TARGET nothere")
    assert (failure.neo4j_code, chain(failure)) == (NOT_FOUND, ["42001", "42N00"])
    assert failure.message == (
        "Failed to alter the specified database alias 'acme': Database 'nothere' does not exist."
    )


@pytest.mark.parametrize(
    ("query", "action"),
    [
        ("ALTER ALIAS ghost SET DATABASE TARGET `acme-1`", "alter"),
        ("DROP ALIAS ghost FOR DATABASE", "delete"),
    ],
)
def test_alter_or_drop_of_a_missing_alias(dbms: Dbms, query: str, action: str) -> None:
    failure = fails(dbms, "system", query)
    assert (failure.neo4j_code, chain(failure)) == (NOT_FOUND, ["42001", "42N00"])
    assert failure.message == (
        f"Failed to {action} the specified database alias 'ghost': Database alias does not exist."
    )


@pytest.mark.parametrize(
    ("query", "action"),
    [
        ("DROP DATABASE foo", "delete"),
        ("DROP DATABASE $db", "delete"),
        ("START DATABASE foo", "start"),
        ("STOP DATABASE foo", "stop"),
    ],
)
def test_missing_database_for_drop_start_stop(dbms: Dbms, query: str, action: str) -> None:
    failure = fails(dbms, "system", query, db="foo")
    assert (failure.neo4j_code, chain(failure)) == (NOT_FOUND, ["42001", "42N00"])
    assert failure.message == (
        f"Failed to {action} the specified database 'foo': Database does not exist."
    )


def test_drop_database_with_aliases_even_if_exists(dbms: Dbms) -> None:
    run(dbms, "system", "CREATE ALIAS other FOR DATABASE `acme-1`")
    for query in ("DROP DATABASE `acme-1`", "DROP DATABASE `acme-1` IF EXISTS"):
        failure = fails(dbms, "system", query)
        assert failure.neo4j_code == "Neo.ClientError.Database.ExistingAliasFound"
        assert failure.message == (
            "Failed to delete the specified database 'acme-1': Database has one or more "
            "aliases. Drop the aliases: ['acme', 'other'] before dropping the database."
        )
        assert chain(failure) == ["42N82"]
    assert "acme-1" in dbms.databases


def test_query_against_a_missing_database(dbms: Dbms) -> None:
    with pytest.raises(CypherFailure) as caught:
        dbms.begin("foo")
    failure = caught.value
    assert failure.neo4j_code == NOT_FOUND
    assert failure.message == "Database does not exist. Database name: 'foo'."
    assert chain(failure) == ["22000", "22N51"]
    assert failure.description == "error: data exception"
    assert failure.cause is not None
    assert failure.cause.description == (
        "error: data exception - graph reference not found. A graph reference with the name "
        "`foo` was not found. Verify that the spelling is correct."
    )


def test_route_for_a_missing_database(dbms: Dbms) -> None:
    with pytest.raises(CypherFailure) as caught:
        dbms.resolve_for_route("foo")
    assert caught.value.neo4j_code == NOT_FOUND
    assert caught.value.gql_status == "22000"


@pytest.mark.parametrize(
    ("query", "feature"),
    [
        ("CREATE DATABASE foo", "CREATE DATABASE"),
        ("CREATE DATABASE $foo", "CREATE DATABASE"),
        ("CREATE OR REPLACE DATABASE foo WAIT", "CREATE DATABASE"),
        ("DROP DATABASE foo IF EXISTS", "DROP DATABASE"),
        ("START DATABASE foo", "START DATABASE"),
        ("STOP DATABASE foo", "STOP DATABASE"),
        ("CREATE ALIAS a FOR DATABASE neo4j", "CREATE ALIAS"),
        ("ALTER ALIAS a SET DATABASE TARGET neo4j", "ALTER ALIAS"),
        ("DROP ALIAS a FOR DATABASE", "DROP ALIAS"),
        ("SHOW ALIASES FOR DATABASE", "SHOW ALIASES"),
    ],
)
def test_community_refuses_enterprise_commands_verbatim(query: str, feature: str) -> None:
    community = Dbms(edition="community")
    failure = fails(community, "system", query, foo="foo")
    assert failure.neo4j_code == "Neo.ClientError.Statement.UnsupportedAdministrationCommand"
    assert failure.message == f"Unsupported administration command: {query}"
    assert failure.gql_status == "51N27"
    assert f"`{feature}` is not supported in community edition." in failure.description
    assert sorted(community.databases) == ["neo4j", "system"]


def test_invalid_database_name(dbms: Dbms) -> None:
    failure = fails(dbms, "system", "CREATE DATABASE `acme_corp`")
    assert failure.neo4j_code == "Neo.ClientError.Statement.ArgumentError"
    assert failure.message == (
        "Database name 'acme_corp' contains illegal characters. "
        "Use simple ascii characters, numbers, dots and dashes."
    )


def test_administration_on_a_user_database_without_routing_factory() -> None:
    failure = errors.not_system_database_command()
    assert failure.neo4j_code == "Neo.ClientError.Statement.NotSystemDatabaseError"
    assert "should be executed against the system database" in failure.message


def test_offline_database_is_unavailable_and_retryable(dbms: Dbms) -> None:
    run(dbms, "system", "STOP DATABASE `acme-1`")
    for name in ("acme-1", "acme"):
        with pytest.raises(CypherFailure) as caught:
            dbms.begin(name)
        failure = caught.value
        assert failure.neo4j_code == "Neo.TransientError.General.DatabaseUnavailable"
        assert failure.classification == "TRANSIENT_ERROR"
        assert failure.gql_status == "08N09"
        assert "`acme-1` is currently unavailable" in failure.description


def test_a_read_on_system_is_not_allowed(dbms: Dbms) -> None:
    failure = fails(dbms, "system", "MATCH (n) RETURN count(n) AS c")
    assert failure.message == "`MATCH` is not allowed on the system database."
    assert chain(failure) == ["42001", "42N17", "42NA9"]
    unwind = fails(dbms, "system", "UNWIND [1] AS x RETURN x")
    assert unwind.message == "`UNWIND` is not allowed on the system database."
    labels = fails(dbms, "system", "CALL db.labels()")
    assert labels.message == "`CALL db.labels` is not allowed on the system database."


def test_unrecognised_statements_say_so_and_show_the_statement(dbms: Dbms) -> None:
    query = "MERGE (n:Thing {id: 1}) RETURN n"
    failure = fails(dbms, "acme", query)
    assert failure.neo4j_code == "Neo.ClientError.Statement.SyntaxError"
    assert failure.gql_status == "42001"
    assert "bgtui sandbox" in failure.message and query in failure.message
    assert "does not understand" in fails(dbms, "system", "GRANT ROLE x TO y").message
