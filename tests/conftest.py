"""Shared fixtures: the Neo4j that integration tests talk to.

By default that is a sandbox on a free port, one per test module. Setting
``BGTUI_TEST_NEO4J_URI`` (with ``BGTUI_TEST_NEO4J_USER`` and ``BGTUI_TEST_NEO4J_PASSWORD``)
points the same tests at a real Neo4j instead; tests that need the sandbox's fault switches
then skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import neo4j
import pytest

from bgtui.sandbox.server import SandboxServer
from tests.helpers.neo4j_target import SANDBOX_PASSWORD, SANDBOX_USER, Neo4jTarget


def _real_target() -> Neo4jTarget | None:
    uri = os.environ.get("BGTUI_TEST_NEO4J_URI")
    if not uri:
        return None
    scheme, _, rest = uri.partition("://")
    routing_scheme = scheme.replace("bolt", "neo4j", 1)  # bolt+s:// -> neo4j+s://, keeps TLS
    return Neo4jTarget(
        uri=uri,
        routing_uri=f"{routing_scheme}://{rest}",
        user=os.environ.get("BGTUI_TEST_NEO4J_USER", "neo4j"),
        password=os.environ.get("BGTUI_TEST_NEO4J_PASSWORD", ""),
    )


@pytest.fixture(scope="module")
def module_sandbox() -> Iterator[SandboxServer]:
    """One sandbox for a whole test module (databases persist between its tests)."""
    with SandboxServer(user=SANDBOX_USER, password=SANDBOX_PASSWORD) as server:
        yield server


@pytest.fixture
def neo4j_target(request: pytest.FixtureRequest) -> Iterator[Neo4jTarget]:
    """The Neo4j under test; afterwards the sandbox is running again with no faults set."""
    real = _real_target()
    if real is not None:
        yield real
        return
    server: SandboxServer = request.getfixturevalue("module_sandbox")
    yield Neo4jTarget(server.uri, server.routing_uri, SANDBOX_USER, SANDBOX_PASSWORD, server)
    server.faults.clear()
    if not server.running:
        server.start()


@pytest.fixture
def sandbox_server(neo4j_target: Neo4jTarget) -> SandboxServer:
    """The module's sandbox, for tests that inject faults; skips against a real Neo4j."""
    if neo4j_target.server is None:
        pytest.skip("fault injection exists only in the sandbox, not in a real Neo4j")
    return neo4j_target.server


@pytest.fixture
def driver(neo4j_target: Neo4jTarget) -> Iterator[neo4j.Driver]:
    """A direct (``bolt://``) driver to the target, closed after the test."""
    with neo4j.GraphDatabase.driver(neo4j_target.uri, auth=neo4j_target.auth) as opened:
        yield opened
