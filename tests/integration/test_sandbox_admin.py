"""The blue/green administration life cycle through the real neo4j driver.

Runs against the sandbox, or against a real Neo4j 5 Enterprise when ``BGTUI_TEST_NEO4J_URI``
is set (the ``neo4j_target`` fixture decides). Names are unique per test so a real server is
left as it was found.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import neo4j
import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import ClientError, DatabaseUnavailable

from bgtui.graph import cypher

pytestmark = pytest.mark.integration


@pytest.fixture
def names(driver: neo4j.Driver) -> Iterator[dict[str, str]]:
    """Two snapshot databases and an alias for one customer, dropped again afterwards."""
    suffix = uuid.uuid4().hex[:8]
    made = {
        "alias": f"it-{suffix}",
        "blue": f"it-{suffix}-20240401",
        "green": f"it-{suffix}-20240501",
    }
    yield made
    system(driver, "DROP ALIAS $a IF EXISTS FOR DATABASE", a=made["alias"])
    for key in ("blue", "green"):
        system(driver, "DROP DATABASE $d IF EXISTS CASCADE ALIASES", d=made[key])


def system(driver: neo4j.Driver, query: str, **parameters: Any) -> neo4j.EagerResult:
    return driver.execute_query(query, parameters, database_="system")


def aliases(driver: neo4j.Driver) -> dict[str, str]:
    records = system(driver, cypher.SHOW_ALIASES).records
    return {record["name"]: record["database"] for record in records}


def node_count(driver: neo4j.Driver, database: str) -> int:
    records = driver.execute_query(cypher.COUNT_ALL_NODES, database_=database).records
    return int(records[0]["count"])


def load(driver: neo4j.Driver, database: str, count: int) -> None:
    with driver.session(database=database) as session:
        session.run(cypher.create_id_constraint(0)).consume()
        rows = [{"id": f"p{i}", "props": {"name": f"Person {i}"}} for i in range(count)]
        summary = session.run(cypher.create_nodes(["Person"], 0), rows=rows).consume()
    assert summary.counters.nodes_created == count


def test_blue_green_life_cycle(driver: neo4j.Driver, names: dict[str, str]) -> None:
    alias, blue, green = names["alias"], names["blue"], names["green"]

    created = system(driver, cypher.CREATE_DATABASE, name=blue)
    assert [record.data() for record in created.records] == [
        {
            "address": created.records[0]["address"],
            "state": "CaughtUp",
            "message": "caught up",
            "success": True,
        }
    ]
    assert created.summary.counters.system_updates >= 1
    load(driver, blue, 3)

    first_switch = system(driver, cypher.CREATE_ALIAS, alias=alias, database=blue)
    assert first_switch.summary.counters.contains_system_updates
    assert node_count(driver, alias) == 3

    system(driver, cypher.CREATE_DATABASE, name=green)
    load(driver, green, 5)
    system(driver, cypher.ALTER_ALIAS, alias=alias, database=green)
    assert aliases(driver)[alias] == green
    assert node_count(driver, alias) == 5

    shown = system(driver, cypher.SHOW_DATABASE, name=alias).records
    assert [(r["name"], r["aliases"], r["currentStatus"]) for r in shown] == [
        (green, [alias], "online")
    ]

    with pytest.raises(ClientError) as refused:
        system(driver, cypher.DROP_DATABASE, name=green)
    assert refused.value.code == "Neo.ClientError.Database.ExistingAliasFound"

    # rollback: the alias goes back to blue, then the retired green is dropped
    system(driver, cypher.ALTER_ALIAS, alias=alias, database=blue)
    assert node_count(driver, alias) == 3
    dropped = system(driver, cypher.DROP_DATABASE, name=green)
    assert dropped.summary.counters.system_updates >= 1
    listed = [r["name"] for r in system(driver, cypher.SHOW_DATABASES).records]
    assert blue in listed and green not in listed

    system(driver, "DROP ALIAS $a FOR DATABASE", a=alias)
    assert alias not in aliases(driver)


def test_names_as_backticks_and_parameters_are_one_name(
    driver: neo4j.Driver, names: dict[str, str]
) -> None:
    blue = names["blue"]
    system(driver, f"CREATE DATABASE `{blue.upper()}` WAIT")
    with pytest.raises(ClientError) as taken:
        system(driver, "CREATE DATABASE $n", n=blue)
    assert taken.value.code == "Neo.ClientError.Database.ExistingDatabaseFound"
    assert taken.value.gql_status == "42001"
    assert taken.value.find_by_gql_status("42N11") is not None
    quiet = system(driver, "CREATE DATABASE $n IF NOT EXISTS", n=blue)
    assert not quiet.summary.counters.contains_system_updates


def test_queries_to_a_missing_database(driver: neo4j.Driver, names: dict[str, str]) -> None:
    with pytest.raises(ClientError) as missing:
        driver.execute_query(cypher.PING, database_=names["green"])
    assert missing.value.code == "Neo.ClientError.Database.DatabaseNotFound"
    assert missing.value.gql_status == "22000"


def test_a_stopped_database_is_unavailable(driver: neo4j.Driver, names: dict[str, str]) -> None:
    blue = names["blue"]
    system(driver, cypher.CREATE_DATABASE, name=blue)
    system(driver, "STOP DATABASE $d WAIT", d=blue)
    status = system(driver, "SHOW DATABASE $d YIELD requestedStatus, currentStatus", d=blue)
    assert [tuple(record.values()) for record in status.records] == [("offline", "offline")]
    with driver.session(database=blue) as session, pytest.raises(DatabaseUnavailable):
        session.run(cypher.PING).consume()
    system(driver, "START DATABASE $d WAIT", d=blue)
    assert node_count(driver, blue) == 0


def test_routing_driver_reaches_an_alias(
    neo4j_target: Any, driver: neo4j.Driver, names: dict[str, str]
) -> None:
    system(driver, cypher.CREATE_DATABASE, name=names["blue"])
    load(driver, names["blue"], 2)
    system(driver, cypher.CREATE_ALIAS, alias=names["alias"], database=names["blue"])
    auth = (neo4j_target.user, neo4j_target.password)
    with GraphDatabase.driver(neo4j_target.routing_uri, auth=auth) as routed:
        assert node_count(routed, names["alias"]) == 2
        with pytest.raises(ClientError) as missing:
            routed.execute_query(cypher.PING, database_=names["green"])
    assert missing.value.code == "Neo.ClientError.Database.DatabaseNotFound"
