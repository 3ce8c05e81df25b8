"""What the sandbox grew to stand in for real deployments: clusters, Aura, stopped databases,
and the faults that bgtui's fixes for them are tested with. All through the real driver.

Most of these describe the sandbox itself (its fault switches, its cluster and Aura modes),
so they run only against it; the stopped-``neo4j`` test also runs against a real Neo4j.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import neo4j
import pytest
from neo4j import GraphDatabase, RoutingControl
from neo4j import exceptions as neo4j_errors

from bgtui.graph import cypher
from bgtui.sandbox.server import SandboxServer
from tests.helpers.neo4j_target import SANDBOX_PASSWORD, SANDBOX_USER, Neo4jTarget

pytestmark = pytest.mark.integration

AUTH = (SANDBOX_USER, SANDBOX_PASSWORD)
ALLOCATION_COLUMNS = (
    "SHOW DATABASE $name YIELD name, address, role, writer, currentStatus, replicationLag, "
    "currentPrimariesCount, currentSecondariesCount, requestedPrimariesCount, "
    "requestedSecondariesCount"
)


def system(driver: neo4j.Driver, query: str, **parameters: Any) -> list[neo4j.Record]:
    return driver.execute_query(query, parameters, database_="system").records


@pytest.fixture
def cluster() -> Iterator[SandboxServer]:
    with SandboxServer(user=SANDBOX_USER, password=SANDBOX_PASSWORD, servers=3) as server:
        yield server


class TestCluster:
    def test_topology_gives_one_row_per_copy_with_counts(self, cluster: SandboxServer) -> None:
        with GraphDatabase.driver(cluster.uri, auth=AUTH) as driver:
            system(
                driver,
                "CREATE DATABASE $name TOPOLOGY $p PRIMARIES $s SECONDARIES WAIT",
                name="acme-1",
                p=1,
                s=2,
            )
            rows = system(driver, ALLOCATION_COLUMNS, name="acme-1")
        assert len(rows) == 3
        assert sorted(row["role"] for row in rows) == ["primary", "secondary", "secondary"]
        assert [row["writer"] for row in rows].count(True) == 1
        assert sorted(row["address"] for row in rows) == sorted(cluster.addresses)
        for row in rows:
            assert row["currentStatus"] == "online" and row["replicationLag"] == 0
            assert (row["currentPrimariesCount"], row["currentSecondariesCount"]) == (1, 2)
            assert (row["requestedPrimariesCount"], row["requestedSecondariesCount"]) == (1, 2)

    def test_without_topology_one_primary_as_the_server_default(
        self, cluster: SandboxServer
    ) -> None:
        with GraphDatabase.driver(cluster.uri, auth=AUTH) as driver:
            system(driver, "CREATE DATABASE $name WAIT", name="acme-2")
            rows = system(driver, ALLOCATION_COLUMNS, name="acme-2")
        assert [(row["role"], row["writer"]) for row in rows] == [("primary", True)]

    def test_more_copies_than_servers_leaves_a_shortfall(self, cluster: SandboxServer) -> None:
        with GraphDatabase.driver(cluster.uri, auth=AUTH) as driver:
            system(driver, "CREATE DATABASE $name TOPOLOGY 2 PRIMARIES 2 SECONDARIES", name="big")
            rows = system(driver, ALLOCATION_COLUMNS, name="big")
        assert len(rows) == 3
        assert rows[0]["currentSecondariesCount"] == 1 and rows[0]["requestedSecondariesCount"] == 2

    def test_routing_sends_reads_to_the_copies_and_writes_to_the_writer(
        self, cluster: SandboxServer
    ) -> None:
        with GraphDatabase.driver(cluster.uri, auth=AUTH) as driver:
            system(driver, "CREATE DATABASE $name TOPOLOGY 1 PRIMARY 1 SECONDARY WAIT", name="r-db")
            rows = system(driver, ALLOCATION_COLUMNS, name="r-db")
        writer = next(row["address"] for row in rows if row["writer"])
        reader = next(row["address"] for row in rows if not row["writer"])
        with GraphDatabase.driver(cluster.routing_uri, auth=AUTH) as routed:
            write = routed.execute_query(cypher.COUNT_ALL_NODES, database_="r-db")
            read = routed.execute_query(
                cypher.COUNT_ALL_NODES, database_="r-db", routing_=RoutingControl.READ
            )
        assert _address(write.summary) == writer
        assert _address(read.summary) == reader

    def test_replication_lag_fault_shows_on_the_copies_until_cleared(
        self, cluster: SandboxServer
    ) -> None:
        with GraphDatabase.driver(cluster.uri, auth=AUTH) as driver:
            system(driver, "CREATE DATABASE $name TOPOLOGY 1 PRIMARY 2 SECONDARIES", name="lag")
            system(driver, "CALL sandbox.fault.replicationLag($d, $n)", d="lag", n=7)
            lagging = system(driver, ALLOCATION_COLUMNS, name="lag")
            system(driver, "CALL sandbox.fault.replicationLag('lag', 0)")
            caught_up = system(driver, ALLOCATION_COLUMNS, name="lag")
        assert sorted(row["replicationLag"] for row in lagging) == [0, 7, 7]
        assert next(row for row in lagging if row["writer"])["replicationLag"] == 0
        assert [row["replicationLag"] for row in caught_up] == [0, 0, 0]


def _address(summary: neo4j.ResultSummary) -> str:
    address = summary.server.address
    return f"{address.host}:{address.port}"


class TestDropAfterNext:
    def test_the_change_commits_but_the_client_hears_incomplete_commit(
        self, sandbox_server: SandboxServer, driver: neo4j.Driver
    ) -> None:
        database = f"drop-{uuid.uuid4().hex[:6]}"
        system(driver, "CREATE DATABASE $d WAIT", d=database)
        system(driver, "CALL sandbox.fault.dropAfterNext($p)", p="CREATE ALIAS")
        with pytest.raises(neo4j_errors.IncompleteCommit):
            system(driver, cypher.CREATE_ALIAS, alias="dropped", database=database)
        targets = {row["name"]: row["database"] for row in system(driver, cypher.SHOW_ALIASES)}
        assert targets["dropped"] == database
        system(driver, "DROP ALIAS dropped FOR DATABASE")

    def test_only_the_next_matching_statement_is_cut_off(
        self, sandbox_server: SandboxServer, driver: neo4j.Driver
    ) -> None:
        sandbox_server.faults.drop_after_next("RETURN 1")
        with driver.session() as session, pytest.raises(neo4j_errors.ServiceUnavailable):
            session.run("RETURN 1 AS ok").consume()
        assert driver.execute_query("RETURN 1 AS ok").records[0]["ok"] == 1


class TestAura:
    def test_create_database_is_refused_as_on_aura(self) -> None:
        with (
            SandboxServer(edition="aura", user=SANDBOX_USER, password=SANDBOX_PASSWORD) as aura,
            GraphDatabase.driver(aura.uri, auth=AUTH) as driver,
        ):
            with pytest.raises(neo4j_errors.ClientError) as refused:
                system(driver, cypher.CREATE_DATABASE, name="acme-1")
            components = system(driver, cypher.SERVER_COMPONENTS)
            listed = [row["name"] for row in system(driver, cypher.SHOW_DATABASES)]
        assert refused.value.code == "Neo.ClientError.Statement.NotSystemDatabaseError"
        assert "CREATE DATABASE" in (refused.value.message or "")
        assert components[0]["edition"] == "enterprise"
        assert "acme-1" not in listed


class TestStoppedDatabase:
    def test_a_stopped_neo4j_answers_unavailable_while_system_works(
        self, neo4j_target: Neo4jTarget, driver: neo4j.Driver
    ) -> None:
        system(driver, "STOP DATABASE neo4j WAIT")
        try:
            status = system(driver, "SHOW DATABASE neo4j YIELD requestedStatus, currentStatus")[0]
            assert (status["requestedStatus"], status["currentStatus"]) == ("offline", "offline")
            with (
                driver.session(database="neo4j") as session,
                pytest.raises(neo4j_errors.DatabaseUnavailable),
            ):
                session.run(cypher.COUNT_ALL_NODES).consume()
            assert system(driver, cypher.SERVER_COMPONENTS)
        finally:
            system(driver, "START DATABASE neo4j WAIT")
        assert driver.execute_query(cypher.COUNT_ALL_NODES, database_="neo4j").records


MEMORY_AND_LIMIT_CODES = [
    ("Neo.TransientError.General.MemoryPoolOutOfMemoryError", neo4j_errors.TransientError),
    ("Neo.TransientError.General.TransactionMemoryLimit", neo4j_errors.TransientError),
    ("Neo.ClientError.General.TransactionOutOfMemoryError", neo4j_errors.ClientError),
    ("Neo.DatabaseError.Database.DatabaseLimitReached", neo4j_errors.DatabaseError),
    ("Neo.TransientError.General.DatabaseUnavailable", neo4j_errors.DatabaseUnavailable),
    ("Neo.ClientError.Security.Forbidden", neo4j_errors.Forbidden),
    ("Neo.ClientError.Statement.NotSystemDatabaseError", neo4j_errors.ClientError),
]


class TestFailNext:
    @pytest.mark.parametrize(("code", "raised"), MEMORY_AND_LIMIT_CODES)
    def test_every_code_bgtui_reacts_to_reaches_the_driver(
        self,
        sandbox_server: SandboxServer,
        driver: neo4j.Driver,
        code: str,
        raised: type[neo4j_errors.Neo4jError],
    ) -> None:
        system(driver, "CALL sandbox.fault.failNext($p, 1, $c)", p="^RETURN 2", c=code)
        with driver.session() as session, pytest.raises(raised) as caught:
            session.run("RETURN 2 AS two").consume()
        assert caught.value.code == code
        assert driver.execute_query("RETURN 2 AS two").records[0]["two"] == 2


class TestFailStart:
    def test_a_database_that_fails_to_start_says_why(
        self, sandbox_server: SandboxServer, driver: neo4j.Driver
    ) -> None:
        system(driver, "CALL sandbox.fault.failStart($d, $m)", d="broken-1", m="No space left")
        system(driver, cypher.CREATE_DATABASE, name="broken-1")
        row = system(driver, cypher.SHOW_DATABASE, name="broken-1")[0]
        system(driver, "DROP DATABASE `broken-1`")
        assert (row["requestedStatus"], row["currentStatus"]) == ("online", "offline")
        assert row["statusMessage"] == "No space left"
