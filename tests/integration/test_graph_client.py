"""``Neo4jGraph`` through the real driver, against the sandbox (or a real Neo4j when configured).

Fault injection and heap figures exist only in the sandbox; those tests skip against a real
server. Every database a test creates has a fresh name and is dropped afterwards.
"""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from bgtui.engine.ports import GraphError
from bgtui.graph import EnterpriseRequiredError, Neo4jGraph
from bgtui.graph.cypher import create_nodes, create_relationships

pytestmark = pytest.mark.integration

TRANSIENT_CODE = "Neo.TransientError.General.DatabaseUnavailable"
PERMANENT_CODE = "Neo.ClientError.Statement.ArgumentError"


def fresh_name(prefix: str = "graphtest") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def graph(neo4j_target: Any) -> Iterator[Neo4jGraph]:
    client = Neo4jGraph(
        neo4j_target.uri, neo4j_target.user, neo4j_target.password, max_retry_seconds=1.0
    )
    yield client
    client.close()


@pytest.fixture
def scratch(graph: Neo4jGraph) -> Iterator[list[str]]:
    """Names of databases and aliases a test made; they are removed afterwards."""
    made: list[str] = []
    yield made
    aliases = graph.list_aliases() if graph.server_info().edition == "enterprise" else {}
    with graph.driver.session(database="system") as session:
        for alias in aliases:
            if alias in made:
                session.run("DROP ALIAS $alias IF EXISTS FOR DATABASE", alias=alias).consume()
    for name in made:
        graph.drop_database(name)


def sandbox_only(target: Any) -> Any:
    if not target.is_sandbox:
        pytest.skip("fault injection and heap figures exist only in the sandbox")
    return target.server


def test_server_info_describes_the_server(graph: Neo4jGraph, neo4j_target: Any) -> None:
    info = graph.server_info()
    assert info.version and info.version[0].isdigit()
    assert info.agent.startswith("Neo4j/")
    assert str(info.address).endswith(str(neo4j_target.uri).rsplit(":", 1)[1])
    if neo4j_target.is_sandbox:
        assert info.edition == "enterprise"


def test_ping_measures_a_round_trip(graph: Neo4jGraph) -> None:
    first, second = graph.ping(), graph.ping()
    assert 0 < first < 5_000 and 0 < second < 5_000


def test_ping_waits_for_added_latency(graph: Neo4jGraph, neo4j_target: Any) -> None:
    server = sandbox_only(neo4j_target)
    server.faults.set_latency(0.2)
    try:
        assert graph.ping() >= 190
    finally:
        server.faults.clear()


def test_databases_are_created_online_listed_and_dropped(
    graph: Neo4jGraph, scratch: list[str]
) -> None:
    name = fresh_name()
    scratch.append(name)
    graph.create_database(name)
    status = {db.name: db for db in graph.list_databases()}
    assert status[name].current_status == "online"
    assert status[name].requested_status == "online"
    assert "system" in status
    graph.drop_database(name)
    assert name not in {db.name for db in graph.list_databases()}
    graph.drop_database(name)  # dropping a missing database is not an error


def test_creating_an_existing_empty_database_again_is_harmless(
    graph: Neo4jGraph, scratch: list[str]
) -> None:
    """IF NOT EXISTS: a retry after a lost reply must not fail because the first try worked."""
    name = fresh_name()
    scratch.append(name)
    graph.create_database(name)
    graph.create_database(name)
    assert [db.current_status for db in graph.list_databases() if db.name == name] == ["online"]


def test_an_invalid_database_name_is_refused_before_reaching_neo4j(graph: Neo4jGraph) -> None:
    with pytest.raises(GraphError, match="contains illegal characters"):
        graph.create_database("acme_corp-2024")


def test_aliases_are_created_retargeted_and_read_back(
    graph: Neo4jGraph, scratch: list[str]
) -> None:
    blue, green, alias = fresh_name("blue"), fresh_name("green"), fresh_name("cust")
    scratch += [alias, blue, green]
    graph.create_database(blue)
    graph.create_database(green)
    graph.create_alias(alias, blue)
    assert graph.list_aliases()[alias] == blue
    graph.alter_alias(alias, green)
    assert graph.list_aliases()[alias] == green
    listed = {db.name: db for db in graph.list_databases()}
    assert alias in listed[green].aliases
    assert alias not in listed[blue].aliases


def test_an_alias_to_a_missing_database_names_it(graph: Neo4jGraph, scratch: list[str]) -> None:
    alias, missing = fresh_name("cust"), fresh_name("missing")
    scratch.append(alias)
    with pytest.raises(GraphError) as caught:
        graph.create_alias(alias, missing)
    assert str(caught.value).startswith(f"database '{missing}' does not exist; ")
    assert f"SHOW ALIASES says alias '{alias}' does not exist" in str(caught.value)
    assert caught.value.code == "Neo.ClientError.Database.DatabaseNotFound"
    assert not caught.value.transient


def test_a_database_behind_an_alias_cannot_be_dropped(
    graph: Neo4jGraph, scratch: list[str]
) -> None:
    name, alias = fresh_name(), fresh_name("cust")
    scratch += [alias, name]
    graph.create_database(name)
    graph.create_alias(alias, name)
    with pytest.raises(GraphError) as caught:
        graph.drop_database(name)
    assert caught.value.code == "Neo.ClientError.Database.ExistingAliasFound"
    assert "move the alias" in str(caught.value)


def test_counts_by_label_and_type(graph: Neo4jGraph, scratch: list[str]) -> None:
    name = fresh_name()
    scratch.append(name)
    graph.create_database(name)
    people = [{"id": f"p{i}", "props": {"name": f"P{i}"}} for i in range(3)]
    with graph.driver.session(database=name) as session:
        session.run(create_nodes(["Person", "Actor"], 0), rows=people[:2]).consume()
        session.run(create_nodes(["Person"], 0), rows=people[2:]).consume()
        session.run(create_nodes(["Movie"], 1), rows=[{"id": "m1", "props": {}}]).consume()
        acted = [{"start": f"p{i}", "end": "m1", "props": {"role": "extra"}} for i in (0, 1)]
        session.run(create_relationships("ACTED_IN", 0, 1), rows=acted).consume()
    labels, types = graph.counts(name)
    assert labels == {"Person": 3, "Actor": 2, "Movie": 1, "BgtuiIdSpace0": 3, "BgtuiIdSpace1": 1}
    assert types == {"ACTED_IN": 2}


def test_run_check_returns_the_single_value(graph: Neo4jGraph, scratch: list[str]) -> None:
    name = fresh_name()
    scratch.append(name)
    graph.create_database(name)
    assert graph.run_check(name, "MATCH (n) RETURN count(n) AS count") == 0
    with pytest.raises(GraphError, match="does not exist"):
        graph.run_check(fresh_name("missing"), "RETURN 1 AS ok")


def test_heap_figure_follows_the_server(graph: Neo4jGraph, neo4j_target: Any) -> None:
    server = sandbox_only(neo4j_target)
    server.dbms.set_heap_used_percent(93.0)
    try:
        heap = graph.heap_used_percent()
        assert heap is not None and 92.5 < heap < 93.5
    finally:
        server.dbms.set_heap_used_percent(40.0)
    heap = graph.heap_used_percent()
    assert heap is not None and heap < 50


def test_transient_failures_are_retried_by_the_driver(
    graph: Neo4jGraph, neo4j_target: Any, caplog: pytest.LogCaptureFixture
) -> None:
    server = sandbox_only(neo4j_target)
    server.faults.fail_next("SHOW DATABASES", 1, TRANSIENT_CODE, "Injected: unavailable.")
    with caplog.at_level(logging.WARNING, logger="neo4j"):
        assert "system" in {db.name for db in graph.list_databases()}
    retried = [r.getMessage() for r in caplog.records if "will be retried" in r.getMessage()]
    assert any("Injected: unavailable." in message for message in retried)


def test_persistent_transient_failures_are_marked_transient(
    graph: Neo4jGraph, neo4j_target: Any
) -> None:
    server = sandbox_only(neo4j_target)
    server.faults.fail_next("SHOW DATABASES", 1000, TRANSIENT_CODE, "The database is unavailable.")
    try:
        with pytest.raises(GraphError) as caught:
            graph.list_databases()
    finally:
        server.faults.clear()
    assert caught.value.transient
    assert caught.value.code == TRANSIENT_CODE
    assert "not available right now" in str(caught.value)


def test_client_errors_are_permanent_and_keep_their_code(
    graph: Neo4jGraph, neo4j_target: Any
) -> None:
    server = sandbox_only(neo4j_target)
    server.faults.fail_next("SHOW DATABASES", 1, PERMANENT_CODE, "That argument is not valid.")
    with pytest.raises(GraphError) as caught:
        graph.list_databases()
    assert not caught.value.transient
    assert caught.value.code == PERMANENT_CODE
    assert "That argument is not valid." in str(caught.value)


def test_an_offline_database_is_a_transient_error(
    graph: Neo4jGraph, neo4j_target: Any, scratch: list[str]
) -> None:
    server = sandbox_only(neo4j_target)
    name = fresh_name()
    scratch.append(name)
    graph.create_database(name)
    server.dbms.set_database_online(name, False)
    try:
        with pytest.raises(GraphError) as caught:
            graph.counts(name)
    finally:
        server.dbms.set_database_online(name, True)
    assert caught.value.transient
    assert f"database '{name}' is not available" in str(caught.value)


def test_connection_refused_is_transient_and_names_the_address() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"bolt://127.0.0.1:{port}"
    graph = Neo4jGraph(address, "neo4j", "secret", connect_timeout=1.0, max_retry_seconds=0.5)
    try:
        with pytest.raises(GraphError) as caught:
            graph.ping()
        assert caught.value.transient
        assert str(caught.value) == f"Neo4j at {address}: connection refused"
        with pytest.raises(GraphError, match="connection refused"):
            graph.list_databases()
    finally:
        graph.close()


def test_a_wrong_password_is_permanent(neo4j_target: Any) -> None:
    graph = Neo4jGraph(neo4j_target.uri, neo4j_target.user, "not-the-password")
    try:
        with pytest.raises(GraphError) as caught:
            graph.ping()
    finally:
        graph.close()
    assert not caught.value.transient
    assert "refused the user name or password" in str(caught.value)
    assert "not-the-password" not in str(caught.value)


def test_an_unusable_address_is_reported_clearly() -> None:
    with pytest.raises(GraphError, match="cannot use Neo4j address"):
        Neo4jGraph("http://localhost:7474", "neo4j", "secret")


def test_community_edition_explains_that_blue_green_needs_enterprise() -> None:
    from bgtui.sandbox.server import SandboxServer

    with SandboxServer(edition="community") as server:
        graph = Neo4jGraph(server.uri, "neo4j", "bgtui-sandbox")
        try:
            assert graph.server_info().edition == "community"
            assert "neo4j" in {db.name for db in graph.list_databases()}
            with pytest.raises(EnterpriseRequiredError) as caught:
                graph.create_database("acme-20240501")
            message = str(caught.value)
            assert "Community Edition" in message and "needs Neo4j Enterprise" in message
            assert caught.value.code == "Neo.ClientError.Statement.UnsupportedAdministrationCommand"
            assert not caught.value.transient
            with pytest.raises(EnterpriseRequiredError):
                graph.list_aliases()
        finally:
            graph.close()


def test_a_stopped_server_is_transient_and_a_restart_recovers(neo4j_target: Any) -> None:
    server = sandbox_only(neo4j_target)
    graph = Neo4jGraph(server.uri, neo4j_target.user, neo4j_target.password, max_retry_seconds=0.5)
    try:
        graph.ping()
        server.stop()
        try:
            with pytest.raises(GraphError) as caught:
                graph.ping()
            assert caught.value.transient
        finally:
            server.restart()
        assert graph.ping() > 0
    finally:
        graph.close()
