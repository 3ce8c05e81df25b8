"""Every statement in ``bgtui.graph.cypher.catalogue()`` runs on the sandbox and answers sensibly.

Each entry gets a fresh sandbox prepared the way bgtui would have left it before sending that
statement (a snapshot database, its ID-space constraints, a few nodes), and a check of what a
Neo4j server would answer. A catalogue entry without a check here fails the test, so the
sandbox cannot silently fall behind the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bgtui.graph import cypher
from bgtui.graph.cypher import CatalogueEntry
from bgtui.sandbox.dbms import Dbms
from bgtui.sandbox.results import CypherFailure, QueryResult

from .statement_runner import rows, run

DATABASE = "acme-20240501"
USER_DATABASE = "loaded"


def prepared() -> Dbms:
    """A snapshot database with both ID spaces constrained and one person and one movie."""
    dbms = Dbms()
    run(dbms, "system", cypher.CREATE_DATABASE, name=USER_DATABASE)
    for space in (0, 1):
        run(dbms, USER_DATABASE, cypher.create_id_constraint(space))
    run(
        dbms,
        USER_DATABASE,
        cypher.create_nodes(["Person"], 0),
        rows=[{"id": "p1", "props": {"name": "Ada"}}],
    )
    run(
        dbms,
        USER_DATABASE,
        cypher.create_nodes(["Movie"], 1),
        rows=[{"id": "m1", "props": {"title": "Matrix"}}],
    )
    return dbms


def with_snapshot_database(dbms: Dbms) -> None:
    run(dbms, "system", cypher.CREATE_DATABASE, name=DATABASE)


def with_alias(dbms: Dbms) -> None:
    with_snapshot_database(dbms)
    run(dbms, "system", "CREATE DATABASE `acme-20240401`")
    run(dbms, "system", cypher.CREATE_ALIAS, alias="acme", database="acme-20240401")


Check = Callable[[QueryResult, Dbms], None]


def expect(fields: list[str], records: list[list[object]]) -> Check:
    def check(result: QueryResult, dbms: Dbms) -> None:
        assert (result.fields, result.records) == (fields, records)

    return check


def created_database(result: QueryResult, dbms: Dbms) -> None:
    assert result.records == [["localhost:7687", "CaughtUp", "caught up", True]]
    assert dbms.current_status(dbms.databases[DATABASE]) == "online"


def dropped_database(result: QueryResult, dbms: Dbms) -> None:
    assert result.stats["system-updates"] == 1 and DATABASE not in dbms.databases


def aliased(result: QueryResult, dbms: Dbms) -> None:
    assert result.stats["system-updates"] == 1 and dbms.aliases["acme"].target == DATABASE


def shows_snapshot(result: QueryResult, dbms: Dbms) -> None:
    assert rows(result) == [
        {
            "name": DATABASE,
            "type": "standard",
            "aliases": [],
            "requestedStatus": "online",
            "currentStatus": "online",
            "statusMessage": "",
            "address": "localhost:7687",
            "role": "primary",
            "writer": True,
            "replicationLag": 0,
            "currentPrimariesCount": 1,
            "requestedPrimariesCount": 1,
            "currentSecondariesCount": 0,
            "requestedSecondariesCount": 0,
        }
    ]


def created_with_topology(result: QueryResult, dbms: Dbms) -> None:
    created_database(result, dbms)
    record = dbms.databases[DATABASE]
    assert (record.primaries, record.secondaries) == (1, 2)


def stopped(result: QueryResult, dbms: Dbms) -> None:
    record = dbms.databases[DATABASE]
    assert result.stats["system-updates"] == 1
    assert (record.requested_status, dbms.current_status(record)) == ("offline", "offline")


def started(result: QueryResult, dbms: Dbms) -> None:
    record = dbms.databases[DATABASE]
    assert (record.requested_status, dbms.current_status(record)) == ("online", "online")


def with_stopped_database(dbms: Dbms) -> None:
    with_snapshot_database(dbms)
    run(dbms, "system", cypher.STOP_DATABASE, name=DATABASE)


def shows_all_databases(result: QueryResult, dbms: Dbms) -> None:
    assert [row["name"] for row in rows(result)] == [USER_DATABASE, "neo4j", "system"]


def heap(result: QueryResult, dbms: Dbms) -> None:
    assert rows(result) == [{"used": dbms.heap_used_bytes, "max": dbms.heap_max_bytes}]


def counted(field: str, expected: int) -> Check:
    def check(result: QueryResult, dbms: Dbms) -> None:
        assert result.fields == [field] and result.records == [[expected]]
        assert result.stats.get("contains-updates") is (True if expected else None)

    return check


def schema_change(key: str) -> Check:
    def check(result: QueryResult, dbms: Dbms) -> None:
        assert result.query_type == "s" and result.stats.get(key) == 1

    return check


SETUPS: dict[str, Callable[[Dbms], None]] = {
    "show_database": with_snapshot_database,
    "drop_database": with_snapshot_database,
    "create_alias": with_snapshot_database,
    "alter_alias": with_alias,
    "stop_database": with_snapshot_database,
    "start_database": with_stopped_database,
    "create_id_constraint": lambda dbms: run(dbms, USER_DATABASE, cypher.drop_id_constraint(0)),
}

CHECKS: dict[str, Check] = {
    "server_components": expect(
        ["name", "versions", "edition"], [["Neo4j Kernel", ["5.26.0"], "enterprise"]]
    ),
    "show_databases": shows_all_databases,
    "show_database": shows_snapshot,
    "show_aliases": expect(["name", "database", "location"], []),
    "create_database": created_database,
    "create_database_with_topology": created_with_topology,
    "stop_database": stopped,
    "start_database": started,
    "drop_database": dropped_database,
    "create_alias": aliased,
    "alter_alias": aliased,
    "ping": expect(["name"], [["Neo4j Kernel"]]),
    "heap_usage": heap,
    "labels": expect(["label"], [["BgtuiIdSpace0"], ["BgtuiIdSpace1"], ["Movie"], ["Person"]]),
    "relationship_types": expect(["relationshipType"], []),
    "count_all_nodes": expect(["count"], [[2]]),
    "count_all_relationships": expect(["count"], [[0]]),
    "count_nodes_with_label": expect(["count"], [[1]]),
    "count_relationships_of_type": expect(["count"], [[0]]),
    "create_id_constraint": schema_change("constraints-added"),
    "drop_id_constraint": schema_change("constraints-removed"),
    "create_nodes": counted("created", 1),
    "create_nodes_without_id": counted("created", 1),
    "create_nodes_without_labels": counted("created", 1),
    "create_nodes_skipping_duplicates": counted("created", 0),  # p1 is already loaded
    "create_relationships": counted("created", 1),
    "find_missing_endpoints": expect(["start", "end", "startMissing", "endMissing"], []),
    "strip_id_space": counted("done", 1),
}
#: ``create_nodes`` carries p1, which ``prepared`` already loaded: send a new person instead.
OVERRIDES = {"create_nodes": {"rows": [{"id": "p2", "props": {"name": "Alan", "born": 1912}}]}}
ENTRIES = list(cypher.catalogue())


def test_every_catalogue_entry_has_a_check() -> None:
    assert {entry.name for entry in ENTRIES} == set(CHECKS)


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.name for entry in ENTRIES])
def test_the_sandbox_answers_the_catalogue_entry(entry: CatalogueEntry) -> None:
    dbms = prepared()
    SETUPS.get(entry.name, lambda dbms: None)(dbms)
    parameters = {**entry.parameters, **OVERRIDES.get(entry.name, {})}
    database = "system" if entry.database == "system" else USER_DATABASE
    try:
        result = run(dbms, database, entry.statement, **parameters)
    except CypherFailure as failure:
        pytest.fail(f"{entry.name}: {failure.neo4j_code}: {failure.message}")
    CHECKS[entry.name](result, dbms)
