"""Administration on ``system``: databases, aliases, SHOW, WAIT, counters, name handling."""

from __future__ import annotations

import pytest

from bgtui.sandbox.dbms import Dbms
from bgtui.sandbox.results import CypherFailure

from .statement_runner import fails, rows, run

WAIT_ROW = [["localhost:7687", "CaughtUp", "caught up", True]]


@pytest.fixture
def dbms() -> Dbms:
    return Dbms()


def names(dbms: Dbms) -> list[str]:
    return [row["name"] for row in rows(run(dbms, "system", "SHOW DATABASES"))]


def targets(dbms: Dbms) -> dict[str, str]:
    result = run(dbms, "system", "SHOW ALIASES FOR DATABASE")
    return {row["name"]: row["database"] for row in rows(result)}


class TestCreateDatabase:
    def test_a_fresh_server_has_system_and_neo4j(self, dbms: Dbms) -> None:
        assert names(dbms) == ["neo4j", "system"]

    def test_create_without_wait_returns_no_records_and_counts_a_system_update(
        self, dbms: Dbms
    ) -> None:
        result = run(dbms, "system", "CREATE DATABASE $name", name="acme-1")
        assert (result.fields, result.records) == ([], [])
        assert result.stats["system-updates"] == 1
        assert result.query_type == "w"
        assert "acme-1" in names(dbms)

    @pytest.mark.parametrize("wait", ["WAIT", "WAIT 300 SECONDS", "WAIT 5 SEC", "WAIT 1 SECOND"])
    def test_wait_returns_the_caught_up_row(self, dbms: Dbms, wait: str) -> None:
        result = run(dbms, "system", f"CREATE DATABASE acme {wait}")
        assert result.fields == ["address", "state", "message", "success"]
        assert result.records == WAIT_ROW

    def test_nowait_topology_options_and_language_are_accepted(self, dbms: Dbms) -> None:
        run(
            dbms,
            "system",
            "CREATE DATABASE foo IF NOT EXISTS DEFAULT LANGUAGE CYPHER 5 "
            "TOPOLOGY 1 PRIMARY 0 SECONDARIES OPTIONS {storeFormat: 'block'} NOWAIT",
        )
        assert "foo" in names(dbms)

    @pytest.mark.parametrize(
        ("written", "parameters", "stored"),
        [
            ("`Acme-Corp-2024`", {}, "acme-corp-2024"),
            ("$name", {"name": "Acme-Corp-2024"}, "acme-corp-2024"),
            ("Acme.Corp", {}, "acme.corp"),
        ],
    )
    def test_names_as_backticks_parameters_or_identifiers(
        self, dbms: Dbms, written: str, parameters: dict[str, str], stored: str
    ) -> None:
        run(dbms, "system", f"CREATE DATABASE {written}", **parameters)
        assert stored in names(dbms)

    def test_existing_name_fails_unless_if_not_exists(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE DATABASE acme")
        failure = fails(dbms, "system", "CREATE DATABASE ACME")
        assert failure.neo4j_code == "Neo.ClientError.Database.ExistingDatabaseFound"
        quiet = run(dbms, "system", "CREATE DATABASE acme IF NOT EXISTS")
        assert quiet.stats == {}

    def test_or_replace_empties_the_database_and_counts_two_updates(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE DATABASE acme")
        run(
            dbms,
            "acme",
            "UNWIND $rows AS row CREATE (n:P) SET n += row.props RETURN count(n) AS created",
            rows=[{"props": {"a": 1}}],
        )
        result = run(dbms, "system", "CREATE OR REPLACE DATABASE acme")
        assert result.stats["system-updates"] == 2
        assert run(dbms, "acme", "MATCH (n) RETURN count(n) AS c").records == [[0]]

    def test_or_replace_with_if_not_exists_is_a_syntax_error(self, dbms: Dbms) -> None:
        failure = fails(dbms, "system", "CREATE OR REPLACE DATABASE acme IF NOT EXISTS")
        assert failure.neo4j_code == "Neo.ClientError.Statement.SyntaxError"

    @pytest.mark.parametrize(
        ("name", "message"),
        [
            ("ab", "must have a length between 3 and 63 characters"),
            ("`1abc`", "is not starting with an ASCII alphabetic character"),
            ("`data_base`", "contains illegal characters"),
            ("`system-mine`", "invalid, due to the prefix 'system'"),
        ],
    )
    def test_invalid_names_get_the_validator_message(
        self, dbms: Dbms, name: str, message: str
    ) -> None:
        failure = fails(dbms, "system", f"CREATE DATABASE {name}")
        assert failure.neo4j_code == "Neo.ClientError.Statement.ArgumentError"
        assert message in failure.message


class TestDropStartStop:
    def test_drop_removes_the_database(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE DATABASE acme")
        result = run(dbms, "system", "DROP DATABASE $name IF EXISTS WAIT 300 SECONDS", name="acme")
        assert result.records == WAIT_ROW and result.stats["system-updates"] == 1
        assert "acme" not in names(dbms)

    def test_drop_if_exists_of_a_missing_database_changes_nothing(self, dbms: Dbms) -> None:
        assert run(dbms, "system", "DROP DATABASE nothere IF EXISTS").stats == {}

    def test_drop_accepts_its_clauses(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE DATABASE acme")
        run(dbms, "system", "DROP DATABASE acme IF EXISTS RESTRICT DESTROY DATA NOWAIT")
        run(dbms, "system", "CREATE DATABASE acme")
        run(dbms, "system", "DROP COMPOSITE DATABASE acme DUMP DATA")
        assert "acme" not in names(dbms)

    def test_cascade_drops_the_aliases_too(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE DATABASE `acme-1` WAIT")
        run(dbms, "system", "CREATE ALIAS acme FOR DATABASE `acme-1`")
        run(dbms, "system", "DROP DATABASE `acme-1` CASCADE ALIASES")
        assert targets(dbms) == {}

    def test_stop_and_start_flip_both_statuses(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE DATABASE acme")
        query = "SHOW DATABASE acme YIELD requestedStatus, currentStatus"
        run(dbms, "system", "STOP DATABASE acme WAIT")
        assert run(dbms, "system", query).records == [["offline", "offline"]]
        run(dbms, "system", "START DATABASE $db", db="acme")
        assert run(dbms, "system", query).records == [["online", "online"]]

    def test_system_cannot_be_dropped_or_stopped(self, dbms: Dbms) -> None:
        assert fails(dbms, "system", "DROP DATABASE system").message == (
            "Not allowed to delete system database."
        )
        assert "stop" in fails(dbms, "system", "STOP DATABASE system").message


class TestShowDatabases:
    def test_default_columns_in_order(self, dbms: Dbms) -> None:
        result = run(dbms, "system", "SHOW DATABASES")
        assert result.fields == [
            "name",
            "type",
            "aliases",
            "access",
            "address",
            "role",
            "writer",
            "requestedStatus",
            "currentStatus",
            "statusMessage",
            "default",
            "home",
            "constituents",
        ]
        neo4j = rows(result)[0]
        assert neo4j["name"] == "neo4j" and neo4j["default"] and neo4j["home"]
        assert rows(result)[1]["type"] == "system"

    def test_yield_star_gives_every_526_column(self, dbms: Dbms) -> None:
        fields = run(dbms, "system", "SHOW DATABASES YIELD *").fields
        assert fields[:5] == ["name", "type", "aliases", "access", "databaseID"]
        assert {"creationTime", "lastCommittedTxn", "store", "options"} <= set(fields)
        assert len(fields) == 26

    def test_show_database_by_alias_returns_the_target_row(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE DATABASE `acme-1`")
        run(dbms, "system", "CREATE ALIAS acme FOR DATABASE `acme-1`")
        result = run(dbms, "system", "SHOW DATABASE acme YIELD name, aliases")
        assert rows(result) == [{"name": "acme-1", "aliases": ["acme"]}]

    def test_a_missing_name_gives_no_rows(self, dbms: Dbms) -> None:
        assert run(dbms, "system", "SHOW DATABASE $n", n="nothere").records == []

    def test_where_on_yielded_columns(self, dbms: Dbms) -> None:
        for name in ("aaa", "bbb", "ccc"):
            run(dbms, "system", f"CREATE DATABASE {name}")
        result = run(
            dbms,
            "system",
            "SHOW DATABASES YIELD name, currentStatus WHERE name IN $names AND "
            "currentStatus = 'online'",
            names=["aaa", "ccc", "zzz"],
        )
        assert result.records == [["aaa", "online"], ["ccc", "online"]]

    def test_default_and_home_database(self, dbms: Dbms) -> None:
        for which in ("DEFAULT", "HOME"):
            result = run(dbms, "system", f"SHOW {which} DATABASE")
            assert result.records[0][0] == "neo4j"
            assert "default" not in result.fields and "home" not in result.fields

    def test_show_works_in_community(self) -> None:
        community = Dbms(edition="community")
        assert names(community) == ["neo4j", "system"]


class TestAliases:
    def test_create_alter_drop_and_show(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE DATABASE `acme-1`")
        run(dbms, "system", "CREATE DATABASE `acme-2`")
        created = run(
            dbms,
            "system",
            "CREATE ALIAS $alias FOR DATABASE $database",
            alias="acme",
            database="acme-1",
        )
        assert created.stats["system-updates"] == 1
        assert targets(dbms) == {"acme": "acme-1"}
        run(
            dbms,
            "system",
            "ALTER ALIAS $alias SET DATABASE TARGET $database",
            alias="acme",
            database="acme-2",
        )
        assert targets(dbms) == {"acme": "acme-2"}
        run(dbms, "system", "DROP ALIAS acme FOR DATABASE")
        assert targets(dbms) == {}

    def test_show_aliases_columns(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE DATABASE movies")
        run(dbms, "system", "CREATE ALIAS films FOR DATABASE movies PROPERTIES {Kind: 'demo'}")
        default = run(dbms, "system", "SHOW ALIAS films FOR DATABASES")
        assert default.fields == ["name", "composite", "database", "location", "url", "user"]
        assert default.records == [["films", None, "movies", "local", None, None]]
        every = rows(run(dbms, "system", "SHOW ALIASES FOR DATABASE YIELD *"))
        assert every[0]["driver"] is None and every[0]["properties"] == {"kind": "demo"}

    def test_if_not_exists_if_exists_and_or_replace(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE DATABASE one")
        run(dbms, "system", "CREATE DATABASE two")
        run(dbms, "system", "CREATE ALIAS a FOR DATABASE one")
        assert run(dbms, "system", "CREATE ALIAS a IF NOT EXISTS FOR DATABASE two").stats == {}
        assert targets(dbms) == {"a": "one"}
        run(dbms, "system", "CREATE OR REPLACE ALIAS a FOR DATABASE two")
        assert targets(dbms) == {"a": "two"}
        assert run(dbms, "system", "ALTER ALIAS b IF EXISTS SET DATABASE TARGET one").stats == {}
        assert run(dbms, "system", "DROP ALIAS b IF EXISTS FOR DATABASE").stats == {}

    def test_databases_and_aliases_share_one_namespace(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE DATABASE acme")
        run(dbms, "system", "CREATE DATABASE other")
        run(dbms, "system", "CREATE ALIAS films FOR DATABASE other")
        alias_over_db = fails(dbms, "system", "CREATE ALIAS acme FOR DATABASE other")
        assert alias_over_db.message.endswith("Database exists with that name.")
        db_over_alias = fails(dbms, "system", "CREATE DATABASE films")
        assert db_over_alias.neo4j_code == "Neo.ClientError.Database.ExistingDatabaseFound"
        assert run(dbms, "system", "CREATE DATABASE films IF NOT EXISTS").stats == {}

    def test_an_alias_cannot_target_another_alias(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE DATABASE one")
        run(dbms, "system", "CREATE ALIAS a FOR DATABASE one")
        failure = fails(dbms, "system", "CREATE ALIAS b FOR DATABASE a")
        assert failure.neo4j_code == "Neo.ClientError.Database.DatabaseNotFound"

    def test_queries_to_an_alias_reach_its_target(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE DATABASE one")
        run(dbms, "system", "CREATE DATABASE two")
        run(dbms, "system", "CREATE ALIAS live FOR DATABASE one")
        run(
            dbms,
            "live",
            "UNWIND $rows AS row CREATE (n:P) SET n += row.props RETURN count(n) AS created",
            rows=[{"props": {}}] * 3,
        )
        run(dbms, "system", "ALTER ALIAS live SET DATABASE TARGET two")
        assert run(dbms, "live", "MATCH (n) RETURN count(n) AS c").records == [[0]]
        assert run(dbms, "ONE", "MATCH (n) RETURN count(n) AS c").records == [[3]]
        assert dbms.begin("LIVE").database == "live"


class TestRoutingAndCounters:
    def test_admin_commands_sent_to_a_user_database_run_on_system(self, dbms: Dbms) -> None:
        run(dbms, None, "CREATE DATABASE routed")
        run(dbms, "neo4j", "CREATE ALIAS r FOR DATABASE routed")
        assert targets(dbms) == {"r": "routed"}
        assert dbms.databases["system"].last_committed_txn == 2

    def test_route_echoes_the_requested_name_and_knows_missing_ones(self, dbms: Dbms) -> None:
        run(dbms, "system", "CREATE DATABASE one")
        run(dbms, "system", "CREATE ALIAS Live FOR DATABASE one")
        assert dbms.resolve_for_route(None) == "neo4j"
        assert dbms.resolve_for_route("Live") == "Live"
        with pytest.raises(CypherFailure) as caught:
            dbms.resolve_for_route("nothere")
        assert caught.value.message == (
            "Unable to get a routing table for database 'nothere' because this database does "
            "not exist"
        )
