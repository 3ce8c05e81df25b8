"""What the real neo4j driver sees over TCP: connecting, errors, big batches, concurrency, outages.

Runs against the sandbox, or against a real Neo4j 5 Enterprise when ``BGTUI_TEST_NEO4J_URI`` is
set; tests that need the sandbox's fault switches skip there. The error table follows
Neo4j's status codes (https://neo4j.com/docs/status-codes/current/) row by row; rows not
confirmed there say UNCONFIRMED.
"""

from __future__ import annotations

import datetime
import re
import select
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import neo4j
import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DatabaseUnavailable,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from neo4j.spatial import CartesianPoint
from neo4j.time import DateTime

from bgtui.graph import cypher
from bgtui.sandbox.server import SandboxServer

if TYPE_CHECKING:
    from tests.helpers.neo4j_target import Neo4jTarget

#: A query on a user database (bgtui's own PING goes to ``system``).
RETURN_ONE = "RETURN 1 AS ok"

pytestmark = pytest.mark.integration

TRANSIENT = "Neo.TransientError.General.DatabaseUnavailable"


@pytest.fixture(params=["bolt", "neo4j"])
def uri(request: pytest.FixtureRequest, neo4j_target: Neo4jTarget) -> str:
    """Both ways in: direct (``bolt://``) and routed (``neo4j://``, which sends ROUTE)."""
    return neo4j_target.uri if request.param == "bolt" else neo4j_target.routing_uri


@pytest.fixture
def single(neo4j_target: Neo4jTarget) -> Iterator[neo4j.Driver]:
    """A driver with one pooled connection, so "the driver works again" means that connection."""
    with GraphDatabase.driver(
        neo4j_target.uri, auth=neo4j_target.auth, max_connection_pool_size=1
    ) as opened:
        yield opened


@dataclass(frozen=True)
class Names:
    db: str
    alias: str
    missing: str

    def parameters(self) -> dict[str, str]:
        return {"db": self.db, "alias": self.alias, "missing": self.missing}


@pytest.fixture
def names(driver: neo4j.Driver) -> Iterator[Names]:
    """Fresh names for one test; whatever it created is dropped afterwards."""
    suffix = uuid.uuid4().hex[:8]
    made = Names(f"conf-{suffix}-db", f"conf-{suffix}", f"conf-{suffix}-missing")
    yield made
    for query in (
        "DROP ALIAS $alias IF EXISTS FOR DATABASE",
        "DROP DATABASE $db IF EXISTS CASCADE ALIASES",
    ):
        driver.execute_query(query, made.parameters(), database_="system")


def system(driver: neo4j.Driver, query: str, **parameters: Any) -> neo4j.EagerResult:
    return driver.execute_query(query, parameters, database_="system")


def ping(driver: neo4j.Driver, database: str | None = None) -> int:
    records = driver.execute_query(RETURN_ONE, database_=database).records
    return int(records[0]["ok"])


# --- connecting -------------------------------------------------------------------------------


def test_verify_connectivity(uri: str, neo4j_target: Neo4jTarget) -> None:
    with GraphDatabase.driver(uri, auth=neo4j_target.auth) as opened:
        opened.verify_connectivity()


def test_server_info_names_neo4j_and_bolt_5(uri: str, neo4j_target: Neo4jTarget) -> None:
    with GraphDatabase.driver(uri, auth=neo4j_target.auth) as opened:
        info = opened.get_server_info()
    assert info.agent.startswith("Neo4j/")
    assert info.protocol_version >= (5, 0)


def test_show_databases_on_system(uri: str, neo4j_target: Neo4jTarget) -> None:
    with GraphDatabase.driver(uri, auth=neo4j_target.auth) as opened:
        result = opened.execute_query("SHOW DATABASES", database_="system")
    listed = {record["name"] for record in result.records}
    assert {"system", "neo4j"} <= listed
    assert result.summary.database == "system"


def test_a_session_on_an_alias_reaches_its_target(
    uri: str, neo4j_target: Neo4jTarget, driver: neo4j.Driver, names: Names
) -> None:
    system(driver, "CREATE DATABASE $db WAIT", db=names.db)
    system(driver, cypher.CREATE_ALIAS, alias=names.alias, database=names.db)
    with driver.session(database=names.db) as session:
        session.run(cypher.create_nodes(["Person"], None), rows=[{"props": {"n": 1}}]).consume()
    with (
        GraphDatabase.driver(uri, auth=neo4j_target.auth) as opened,
        opened.session(database=names.alias) as session,
    ):
        record = session.run(cypher.COUNT_ALL_NODES).single(strict=True)
    assert record["count"] == 1


def test_a_wrong_password_is_an_auth_error(uri: str, neo4j_target: Neo4jTarget) -> None:
    with (
        GraphDatabase.driver(uri, auth=(neo4j_target.user, "not-the-password")) as opened,
        pytest.raises(AuthError) as caught,
    ):
        opened.verify_connectivity()
    assert caught.value.code == "Neo.ClientError.Security.Unauthorized"


# --- the error catalogue (Neo4j status codes) ----------------------------------------------


@dataclass(frozen=True)
class ErrorRow:
    scenario: str
    setup: tuple[str, ...]  # run on system first, with the Names as parameters
    query: str
    code: str | None  # None: the reference does not know it
    gql_status: str | None = None
    cause: str | None = None  # a GQL status somewhere down the cause chain
    database: str = "system"  # or "missing" / "db" for that name
    error: type[Neo4jError] = ClientError


CREATE_DB = "CREATE DATABASE $db WAIT"
CREATE_ALIAS = "CREATE ALIAS $alias FOR DATABASE $db"
DB_AND_ALIAS = (CREATE_DB, CREATE_ALIAS)
EXISTS = "Neo.ClientError.Database.ExistingDatabaseFound"
NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"
RETARGET = "ALTER ALIAS $alias SET DATABASE TARGET $missing"

ERROR_ROWS = [
    ErrorRow("db exists", (CREATE_DB,), "CREATE DATABASE $db", EXISTS, "42001", "42N11"),
    ErrorRow(
        "db name is an alias", DB_AND_ALIAS, "CREATE DATABASE $alias", EXISTS, "42001", "42N11"
    ),
    ErrorRow("alias exists", DB_AND_ALIAS, CREATE_ALIAS, EXISTS, "42001", "42N11"),
    ErrorRow(
        "alias name is a db",
        (CREATE_DB,),
        "CREATE ALIAS $db FOR DATABASE $db",
        EXISTS,
        "42001",
        "42N11",
    ),
    ErrorRow(
        "alias target missing",
        (),
        "CREATE ALIAS $alias FOR DATABASE $missing",
        NOT_FOUND,
        "42001",
        "42N00",
    ),
    ErrorRow("alter alias to a missing db", DB_AND_ALIAS, RETARGET, NOT_FOUND, "42001", "42N00"),
    # UNCONFIRMED: the code and GQL status when the alias itself is missing.
    ErrorRow(
        "alter a missing alias",
        (CREATE_DB,),
        "ALTER ALIAS $missing SET DATABASE TARGET $db",
        NOT_FOUND,
        "42001",
    ),
    ErrorRow("drop a missing alias", (), "DROP ALIAS $missing FOR DATABASE", NOT_FOUND, "42001"),
    ErrorRow("drop a missing db", (), "DROP DATABASE $missing", NOT_FOUND, "42001", "42N00"),
    ErrorRow("start a missing db", (), "START DATABASE $missing", NOT_FOUND, "42001", "42N00"),
    ErrorRow("stop a missing db", (), "STOP DATABASE $missing", NOT_FOUND, "42001", "42N00"),
    ErrorRow(
        "drop a db with aliases",
        DB_AND_ALIAS,
        "DROP DATABASE $db",
        "Neo.ClientError.Database.ExistingAliasFound",
        "42N82",
    ),
    ErrorRow("query a missing db", (), RETURN_ONE, NOT_FOUND, "22000", "22N51", database="missing"),
    # UNCONFIRMED: ArgumentError for an invalid name, and its GQL status.
    ErrorRow(
        "invalid db name",
        (),
        "CREATE DATABASE `bad_name-x`",
        "Neo.ClientError.Statement.ArgumentError",
    ),
    # UNCONFIRMED: the Neo4j code of a data query on system.
    ErrorRow("MATCH on system", (), cypher.COUNT_ALL_NODES, None, "42001", "42N17"),
    # UNCONFIRMED: the GQL status of an unavailable database.
    ErrorRow(
        "offline db",
        (CREATE_DB, "STOP DATABASE $db WAIT"),
        RETURN_ONE,
        TRANSIENT,
        database="db",
        error=DatabaseUnavailable,
    ),
]


@pytest.mark.parametrize("row", ERROR_ROWS, ids=[row.scenario for row in ERROR_ROWS])
def test_each_error_reaches_the_driver_as_neo4j_raises_it(
    row: ErrorRow, single: neo4j.Driver, names: Names
) -> None:
    parameters = names.parameters()
    for statement in row.setup:
        single.execute_query(statement, parameters, database_="system")
    database = {"system": "system", "missing": names.missing, "db": names.db}[row.database]
    with single.session(database=database) as session, pytest.raises(Neo4jError) as caught:
        session.run(row.query, parameters).consume()  # auto-commit: the driver does not retry
    error = caught.value
    assert type(error) is row.error, error
    if row.code is not None:
        assert error.code == row.code
    if row.gql_status is not None:
        assert error.gql_status == row.gql_status
    if row.cause is not None:
        assert error.find_by_gql_status(row.cause) is not None, error
    assert ping(single) == 1  # the same connection serves the next query


def test_a_failure_inside_a_transaction_rolls_it_back(single: neo4j.Driver, names: Names) -> None:
    system(single, CREATE_DB, db=names.db)
    with single.session(database=names.db) as session:
        tx = session.begin_transaction()
        tx.run(cypher.create_nodes(["Person"], None), rows=[{"props": {}}]).consume()
        with pytest.raises(ClientError):
            tx.run("SHOW DATABASES YIELD nothing_of_the_sort").consume()
        tx.close()
        count = session.run(cypher.COUNT_ALL_NODES).single(strict=True)["count"]
    assert count == 0
    assert ping(single) == 1


def test_routing_to_a_missing_database_is_a_client_error(
    neo4j_target: Neo4jTarget, names: Names
) -> None:
    with (
        GraphDatabase.driver(neo4j_target.routing_uri, auth=neo4j_target.auth) as routed,
        pytest.raises(ClientError) as caught,
    ):
        routed.execute_query(RETURN_ONE, database_=names.missing)
    assert caught.value.code == NOT_FOUND


def test_community_edition_refuses_enterprise_commands(neo4j_target: Neo4jTarget) -> None:
    if not neo4j_target.is_sandbox:
        pytest.skip("a real server's edition cannot be switched by the test")
    with (
        SandboxServer(edition="community") as community,
        GraphDatabase.driver(community.uri, auth=neo4j_target.auth) as opened,
    ):
        with pytest.raises(ClientError) as caught:
            system(opened, "CREATE DATABASE $name", name="acme-20240501")
        assert caught.value.code == "Neo.ClientError.Statement.UnsupportedAdministrationCommand"
        assert caught.value.message == "Unsupported administration command: CREATE DATABASE $name"
        assert ping(opened) == 1


# --- values that are structures -----------------------------------------------------------------


def test_nodes_and_temporal_and_spatial_values_round_trip(
    driver: neo4j.Driver, names: Names
) -> None:
    system(driver, CREATE_DB, db=names.db)
    props = {
        "born": datetime.date(1990, 5, 1),
        "seen": DateTime(2024, 5, 1, 12, 30, 15, 123456789, tzinfo=datetime.UTC),
        "where": CartesianPoint((1.5, -2.0)),
        "took": datetime.timedelta(days=3, seconds=5),
        "raw": b"\x00\xff",
    }
    with driver.session(database=names.db) as session:
        session.run(cypher.create_nodes(["Person"], None), rows=[{"props": props}]).consume()
        record = session.run("MATCH (n:Person) RETURN n").single(strict=True)
    node = record["n"]
    assert set(node.labels) == {"Person"}
    assert node["born"] == props["born"]
    assert node["seen"] == props["seen"]
    assert node["where"] == props["where"]
    assert node["took"] == neo4j.time.Duration(days=3, seconds=5)
    assert node["raw"] == props["raw"]


# --- volume and concurrency ---------------------------------------------------------------------


def test_fifty_thousand_rows_in_one_run(driver: neo4j.Driver, names: Names) -> None:
    system(driver, CREATE_DB, db=names.db)
    rows = [
        {
            "id": f"p{i}",
            "props": {
                "name": f"Person {i}",
                "age": i % 90,
                "score": i / 7,
                "active": i % 2 == 0,
                "tags": ["a", "b"],
                "city": "Oslo",
            },
        }
        for i in range(50_000)
    ]
    with driver.session(database=names.db) as session:
        session.run(cypher.create_id_constraint(0)).consume()
        summary = session.run(cypher.create_nodes(["Person"], 0), rows=rows).consume()
        count = session.run(cypher.count_nodes_with_label("Person")).single(strict=True)[0]
    assert summary.counters.nodes_created == 50_000
    assert count == 50_000


def test_many_concurrent_sessions_all_succeed(driver: neo4j.Driver, names: Names) -> None:
    system(driver, CREATE_DB, db=names.db)
    failures: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            for query in range(20):
                with driver.session(database=names.db) as session:
                    rows = [{"props": {"worker": number, "query": query}}]
                    session.run(cypher.create_nodes(["Person"], None), rows=rows).consume()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    with driver.session(database=names.db) as session:
        assert session.run(cypher.COUNT_ALL_NODES).single(strict=True)["count"] == 16 * 20


# --- outages and faults (sandbox only) -----------------------------------------------------------


def test_a_server_stopped_mid_query_fails_fast_and_a_restart_recovers(
    sandbox_server: SandboxServer, driver: neo4j.Driver
) -> None:
    assert ping(driver) == 1
    sandbox_server.faults.set_latency(10)
    threading.Timer(0.3, sandbox_server.stop).start()
    started = time.monotonic()
    with driver.session() as session, pytest.raises((ServiceUnavailable, SessionExpired)):
        session.run(RETURN_ONE).consume()
    assert time.monotonic() - started < 5
    sandbox_server.faults.clear()
    sandbox_server.restart()
    assert ping(driver) == 1


def test_a_restart_keeps_databases_and_the_port(
    sandbox_server: SandboxServer, names: Names
) -> None:
    port = sandbox_server.port
    with GraphDatabase.driver(sandbox_server.uri, auth=("neo4j", "bgtui-sandbox")) as opened:
        system(opened, CREATE_DB, db=names.db)
        sandbox_server.restart()
        assert sandbox_server.port == port
        listed = {r["name"] for r in system(opened, "SHOW DATABASES").records}
    assert names.db in listed


def test_dropped_connections_fail_the_query_and_the_driver_reconnects(
    sandbox_server: SandboxServer, driver: neo4j.Driver
) -> None:
    sandbox_server.faults.set_latency(10)
    threading.Timer(0.3, sandbox_server.faults.drop_connections).start()
    with driver.session() as session, pytest.raises((ServiceUnavailable, SessionExpired)):
        session.run(RETURN_ONE).consume()
    sandbox_server.faults.clear()
    assert ping(driver) == 1


def test_transient_failures_are_retried_by_managed_transactions(
    sandbox_server: SandboxServer, driver: neo4j.Driver
) -> None:
    sandbox_server.faults.fail_next(re.escape(RETURN_ONE), 1, TRANSIENT, "Down for a moment.")
    with driver.session() as session, pytest.raises(TransientError) as caught:
        session.run(RETURN_ONE).consume()
    assert caught.value.is_retryable() and caught.value.message == "Down for a moment."
    sandbox_server.faults.fail_next(re.escape(RETURN_ONE), 1, TRANSIENT)
    assert ping(driver) == 1  # execute_query retried past the failure


def test_faults_can_be_set_through_the_driver(
    sandbox_server: SandboxServer, driver: neo4j.Driver
) -> None:
    arguments = {"pattern": "RETURN 1", "code": "Neo.ClientError.Statement.ArgumentError"}
    driver.execute_query("CALL sandbox.fault.failNext($pattern, 1, $code, 'nope')", arguments)
    with pytest.raises(ClientError) as caught:
        ping(driver)
    assert caught.value.code == arguments["code"] and caught.value.message == "nope"
    driver.execute_query("CALL sandbox.fault.latency(150)")
    started = time.monotonic()
    ping(driver)
    assert time.monotonic() - started >= 0.15
    driver.execute_query("CALL sandbox.fault.clear()")
    assert sandbox_server.faults.latency == 0


def test_bolt_6_through_the_handshake_manifest(neo4j_target: Neo4jTarget) -> None:
    if not neo4j_target.is_sandbox:
        pytest.skip("whether a real server offers Bolt 6 depends on its version")
    with (
        SandboxServer(allow_bolt_6=True) as server,
        GraphDatabase.driver(server.uri, auth=neo4j_target.auth) as opened,
    ):
        assert opened.get_server_info().protocol_version == (6, 0)
        assert ping(opened) == 1
        with pytest.raises(ClientError) as caught:
            ping(opened, "no-such-db")
        assert caught.value.gql_status == "22000"
        assert ping(opened) == 1


# --- the standalone process ---------------------------------------------------------------------


def test_the_standalone_sandbox_says_what_it_is_and_serves_the_driver(
    neo4j_target: Neo4jTarget,
) -> None:
    if not neo4j_target.is_sandbox:
        pytest.skip("this starts the sandbox itself")
    command = [sys.executable, "-m", "bgtui.sandbox"]
    assert (
        "NOT a database"
        in subprocess.run(
            [*command, "--help"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    )
    process = subprocess.Popen(
        [*command, "--port", "0", "--password", "pw-standalone", "--latency-ms", "50"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 30)
        assert ready, "the sandbox printed nothing within 30 s"
        line = process.stdout.readline()
        assert "not a database" in line
        found = re.search(r"bolt://[\d.]+:\d+", line)
        assert found, line
        with GraphDatabase.driver(found.group(), auth=("neo4j", "pw-standalone")) as opened:
            started = time.monotonic()
            assert ping(opened) == 1
            assert time.monotonic() - started >= 0.05
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
    finally:
        process.kill()
        process.wait()
