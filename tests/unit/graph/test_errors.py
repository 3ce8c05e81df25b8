"""Driver-side exceptions become GraphErrors with the right ``transient`` flag and wording.

Server-side failures (Neo4j codes) are covered through the sandbox with real FAILURE messages
in ``tests/integration/test_graph_client.py``; these are the ones the driver raises itself.
"""

from __future__ import annotations

import pytest
from neo4j import exceptions as neo4j_errors

from bgtui.engine.ports import GraphError
from bgtui.graph.errors import EnterpriseRequiredError, enterprise_required, translate

ADDRESS = "bolt://db.example:7687"


def test_connection_refused_is_transient_and_names_the_address() -> None:
    refused = neo4j_errors.ServiceUnavailable(
        "Couldn't connect to db.example:7687 (resolved to ('10.0.0.1:7687',)):\n"
        "Failed to establish connection to ResolvedIPv4Address(('10.0.0.1', 7687)) "
        "(reason [Errno 111] Connection refused)"
    )
    error = translate(refused, ADDRESS)
    assert error.transient
    assert str(error) == f"Neo4j at {ADDRESS}: connection refused"


@pytest.mark.parametrize(
    ("raised", "wording"),
    [
        (neo4j_errors.ServiceUnavailable("Unable to retrieve routing information"), "unreachable"),
        (neo4j_errors.SessionExpired("Connection to server was lost"), "connection was lost"),
        (neo4j_errors.IncompleteCommit("Connection closed during commit"), "whether the change"),
    ],
)
def test_lost_connections_are_transient(raised: Exception, wording: str) -> None:
    error = translate(raised, ADDRESS)
    assert error.transient
    assert ADDRESS in str(error) and wording in str(error)


def test_configuration_problems_are_permanent() -> None:
    error = translate(neo4j_errors.ConfigurationError("bad trust settings"), ADDRESS)
    assert not error.transient
    assert "connection settings are not valid" in str(error)


def test_a_graph_error_passes_through_unchanged() -> None:
    original = GraphError("already explained", transient=True, code="X")
    assert translate(original, ADDRESS) is original


def test_socket_errors_are_transient() -> None:
    error = translate(ConnectionResetError(104, "Connection reset by peer"), ADDRESS)
    assert error.transient
    assert "Connection reset by peer" in str(error)


def test_the_community_message_says_what_is_missing() -> None:
    error = enterprise_required(ADDRESS, "Unsupported administration command: CREATE DATABASE x")
    assert isinstance(error, EnterpriseRequiredError)
    assert not error.transient
    assert "Community Edition" in str(error) and "Enterprise" in str(error)
    assert "CREATE DATABASE x" in str(error)
