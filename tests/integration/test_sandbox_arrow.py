"""The sandbox's GDS Arrow Flight stand-in, through the real pyarrow Flight client and driver.

Databases built through Arrow must look to Bolt like any other: listed, counted, readable
through an alias. Errors must reach a pyarrow client as the exception classes the real
server's gRPC statuses give.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import neo4j
import pytest

pa = pytest.importorskip("pyarrow")
flight = pytest.importorskip("pyarrow.flight")

from bgtui.sandbox.arrow_flight import ArrowFlightServer  # noqa: E402
from bgtui.sandbox.arrow_import import ImportBehaviour  # noqa: E402
from bgtui.sandbox.columnar import ColumnarGraphStore  # noqa: E402
from bgtui.sandbox.server import SandboxServer  # noqa: E402

pytestmark = pytest.mark.integration

USER, PASSWORD = "neo4j", "arrow-secret"


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(user=USER, password=PASSWORD) as server:
        yield server


@pytest.fixture
def arrow(sandbox: SandboxServer) -> Iterator[ArrowFlightServer]:
    with ArrowFlightServer(sandbox.dbms) as server:
        yield server


@pytest.fixture
def driver(sandbox: SandboxServer) -> Iterator[neo4j.Driver]:
    with neo4j.GraphDatabase.driver(sandbox.uri, auth=(USER, PASSWORD)) as opened:
        yield opened


class Client:
    """A pyarrow client authenticated by Handshake, as the official GDS client does."""

    def __init__(self, location: str, user: str = USER, password: str = PASSWORD) -> None:
        self.flight = flight.FlightClient(location)
        header = self.flight.authenticate_basic_token(user, password)
        self.options = flight.FlightCallOptions(headers=[header])

    def action(self, action_type: str, body: dict[str, Any]) -> dict[str, Any]:
        results = list(
            self.flight.do_action(
                flight.Action(action_type, json.dumps(body).encode()), self.options
            )
        )
        assert len(results) == 1
        reply: dict[str, Any] = json.loads(results[0].body.to_pybytes())
        return reply

    def put(self, name: str, entity_type: str, table: Any, *, v1: bool = True) -> int:
        """Upload a table; returns how many acks came back."""
        body = {"name": name, "entity_type": entity_type}
        command = {"name": "PUT_COMMAND", "version": "v1", "body": body} if v1 else body
        descriptor = flight.FlightDescriptor.for_command(json.dumps(command))
        writer, reader = self.flight.do_put(descriptor, table.schema, self.options)
        acks = 0
        for batch in table.to_batches(max_chunksize=2):
            writer.write_batch(batch)
            if reader.read() is not None:
                acks += 1
        writer.done_writing()
        writer.close()
        return acks


def people() -> Any:
    return pa.table(
        {
            "nodeId": pa.array(["p1", "p2", "p3"]),
            "labels": pa.array([["Person", "Actor"], ["Person"], ["Person"]]),
            "name": pa.array(["Ada", "Alan", None]),
            "born": pa.array([1815, 1912, 1906], pa.int64()),
        }
    )


def movies() -> Any:
    return pa.table({"nodeId": pa.array(["m1", "m2"]), "labels": pa.array(["Movie", "Movie"])})


def acted_in() -> Any:
    return pa.table(
        {
            "sourceNodeId": pa.array(["p1", "p1", "p3"]),
            "targetNodeId": pa.array(["m1", "m2", "m1"]),
            "relationshipType": pa.array(["ACTED_IN"] * 3).dictionary_encode(),
            "weight": pa.array([1.0, 0.5, 2.0]),
        }
    )


def build(client: Client, name: str, *, v1: bool = True) -> tuple[dict[str, Any], ...]:
    prefix = "v1/" if v1 else ""
    created = client.action(
        f"{prefix}CREATE_DATABASE", {"name": name, "id_type": "STRING", "id_property": "key"}
    )
    client.put(name, "node", people(), v1=v1)
    client.put(name, "node", movies(), v1=v1)
    nodes = client.action(f"{prefix}NODE_LOAD_DONE", {"name": name})
    client.put(name, "relationship", acted_in(), v1=v1)
    rels = client.action(f"{prefix}RELATIONSHIP_LOAD_DONE", {"name": name})
    return created, nodes, rels


def count(driver: neo4j.Driver, database: str, query: str) -> int:
    records, _, _ = driver.execute_query(query, database_=database)
    return int(records[0]["count"])


def test_a_database_built_through_arrow_is_seen_by_bolt(
    arrow: ArrowFlightServer, driver: neo4j.Driver, sandbox: SandboxServer
) -> None:
    client = Client(arrow.location)
    created, nodes, rels = build(client, "Acme-1")
    assert created == {"name": "Acme-1"}
    assert nodes == {"name": "Acme-1", "node_count": 5}
    assert rels == {"name": "Acme-1", "relationship_count": 3}

    records, _, _ = driver.execute_query(
        "SHOW DATABASES YIELD name, currentStatus", database_="system"
    )
    assert {"name": "acme-1", "currentStatus": "online"} in [r.data() for r in records]
    graph = sandbox.dbms.databases["acme-1"].graph
    assert isinstance(graph, ColumnarGraphStore)
    assert count(driver, "acme-1", "MATCH (n:Person) RETURN count(n) AS count") == 3
    assert count(driver, "acme-1", "MATCH ()-[r:ACTED_IN]->() RETURN count(r) AS count") == 3
    assert not graph.materialised  # counts came from the columns

    driver.execute_query("CREATE ALIAS acme FOR DATABASE $db", db="acme-1", database_="system")
    records, _, _ = driver.execute_query(
        "MATCH (n:Person) RETURN n.key AS key, n.name AS name, n.born AS born ORDER BY key",
        database_="acme",
    )
    assert [r.data() for r in records] == [
        {"key": "p1", "name": "Ada", "born": 1815},
        {"key": "p2", "name": "Alan", "born": 1912},
        {"key": "p3", "name": None, "born": 1906},
    ]
    labels, _, _ = driver.execute_query(
        "CALL db.labels() YIELD label RETURN label", database_="acme"
    )
    assert sorted(r["label"] for r in labels) == ["Actor", "Movie", "Person"]
    keys, _, _ = driver.execute_query(
        "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey", database_="acme"
    )
    assert sorted(r["propertyKey"] for r in keys) == ["born", "key", "name", "weight"]


def test_handshake_hands_out_a_bearer_token_and_calls_use_it(arrow: ArrowFlightServer) -> None:
    client = Client(arrow.location)
    build(client, "tokens-1")
    assert {call.auth for call in arrow.calls} == {"bearer"}
    assert {call.form for call in arrow.calls} == {"v1"}


def test_basic_on_every_call_works_as_the_old_pipeline_sends_it(
    arrow: ArrowFlightServer, driver: neo4j.Driver
) -> None:
    client = flight.FlightClient(arrow.location)
    basic = base64.b64encode(f"{USER}:{PASSWORD}".encode())
    bare = Client.__new__(Client)
    bare.flight = client
    bare.options = flight.FlightCallOptions(headers=[(b"authorization", b"Basic " + basic)])
    build(bare, "oldway-1", v1=False)
    assert {call.auth for call in arrow.calls} == {"basic"}
    assert {call.form for call in arrow.calls} == {"alpha"}
    assert count(driver, "oldway-1", "MATCH (n) RETURN count(n) AS count") == 5


def test_wrong_credentials_are_refused_as_unauthenticated(arrow: ArrowFlightServer) -> None:
    with pytest.raises(flight.FlightUnauthenticatedError):
        Client(arrow.location, password="wrong")
    client = flight.FlightClient(arrow.location)
    bad = base64.b64encode(f"{USER}:wrong".encode())
    options = flight.FlightCallOptions(headers=[(b"authorization", b"Basic " + bad)])
    with pytest.raises(flight.FlightUnauthenticatedError):
        list(client.list_actions(options))
    with pytest.raises(flight.FlightUnauthenticatedError):
        list(client.list_actions())
    forged = flight.FlightCallOptions(headers=[(b"authorization", b"Bearer forged")])
    with pytest.raises(flight.FlightUnauthenticatedError):
        list(client.list_actions(forged))


def test_list_actions_names_the_v1_versions(arrow: ArrowFlightServer) -> None:
    client = Client(arrow.location)
    types = sorted(action.type for action in client.flight.list_actions(client.options))
    assert types == [
        "v1/ABORT",
        "v1/CREATE_DATABASE",
        "v1/NODE_LOAD_DONE",
        "v1/RELATIONSHIP_LOAD_DONE",
    ]


def test_an_older_server_knows_only_the_unprefixed_names(sandbox: SandboxServer) -> None:
    with ArrowFlightServer(sandbox.dbms, legacy=True) as old:
        client = Client(old.location)
        types = {action.type for action in client.flight.list_actions(client.options)}
        assert "CREATE_DATABASE" in types and not any("/" in t for t in types)
        with pytest.raises(pa.ArrowNotImplementedError):
            client.action("v1/CREATE_DATABASE", {"name": "old-1"})
        build(client, "old-1", v1=False)
    assert sandbox.dbms.lookup("old-1") is not None


def test_unknown_names_and_duplicates_fail_as_the_real_server_does(
    arrow: ArrowFlightServer,
) -> None:
    client = Client(arrow.location)
    with pytest.raises(KeyError, match="No arrow process with name `ghost` is running"):
        client.action("v1/NODE_LOAD_DONE", {"name": "ghost"})
    with pytest.raises(KeyError, match="No arrow process"):
        client.action("v1/ABORT", {"name": "ghost"})
    client.action("v1/CREATE_DATABASE", {"name": "twice-1"})
    with pytest.raises(flight.FlightServerError, match="ALREADY_EXISTS"):
        client.action("v1/CREATE_DATABASE", {"name": "twice-1"})
    with pytest.raises(flight.FlightServerError, match="ALREADY_EXISTS"):
        client.action("v1/CREATE_DATABASE", {"name": "neo4j"})
    with pytest.raises(flight.FlightServerError, match=r"Unexpected configuration key\(s\)"):
        client.action("v1/CREATE_DATABASE", {"name": "keys-1", "debug_log": True})


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pa.table({"id": pa.array(["a"])}), "Missing required column `nodeId`"),
        (pa.table({"nodeId": pa.array([1], pa.int64())}), "must be of type string"),
        (pa.table({"nodeId": pa.array(["a"], pa.large_string())}), "must be of type string"),
        (
            pa.table({"nodeId": pa.array(["a"]), "m": pa.array([{"x": 1}])}),
            "unsupported type",
        ),
    ],
)
def test_a_bad_schema_fails_the_put_as_invalid_argument(
    arrow: ArrowFlightServer, table: Any, message: str
) -> None:
    client = Client(arrow.location)
    client.action("v1/CREATE_DATABASE", {"name": "schema-1", "id_type": "STRING"})
    with pytest.raises(pa.ArrowInvalid, match=message):
        client.put("schema-1", "node", table)


def test_an_injected_put_failure_reaches_the_client_and_abort_discards_the_import(
    arrow: ArrowFlightServer, sandbox: SandboxServer
) -> None:
    client = Client(arrow.location)
    client.action("v1/CREATE_DATABASE", {"name": "broken-1", "id_type": "STRING"})
    arrow.faults.fail_put_after_batches = 1
    with pytest.raises(flight.FlightInternalError, match="injected"):
        client.put("broken-1", "node", people())
    assert client.action("v1/ABORT", {"name": "broken-1"}) == {"name": "broken-1"}
    assert arrow.imports.running() == []
    with pytest.raises(KeyError):
        client.action("v1/NODE_LOAD_DONE", {"name": "broken-1"})
    assert sandbox.dbms.lookup("broken-1") is None


def test_calls_out_of_order_are_refused(arrow: ArrowFlightServer) -> None:
    client = Client(arrow.location)
    client.action("v1/CREATE_DATABASE", {"name": "order-1", "id_type": "STRING"})
    with pytest.raises(pa.ArrowInvalid, match="not allowed now"):
        client.action("v1/RELATIONSHIP_LOAD_DONE", {"name": "order-1"})
    client.put("order-1", "node", people())
    client.action("v1/NODE_LOAD_DONE", {"name": "order-1"})
    with pytest.raises(pa.ArrowInvalid, match="not allowed now"):
        client.put("order-1", "node", movies())


def test_relationships_to_missing_nodes_fail_the_import(arrow: ArrowFlightServer) -> None:
    client = Client(arrow.location)
    client.action("v1/CREATE_DATABASE", {"name": "dangling-1", "id_type": "STRING"})
    client.put("dangling-1", "node", people())
    client.action("v1/NODE_LOAD_DONE", {"name": "dangling-1"})
    client.put("dangling-1", "relationship", acted_in())
    with pytest.raises(pa.ArrowInvalid, match="'m1' does not refer to an imported node"):
        client.action("v1/RELATIONSHIP_LOAD_DONE", {"name": "dangling-1"})


def test_integer_ids_and_a_slow_start(sandbox: SandboxServer, driver: neo4j.Driver) -> None:
    behaviour = ImportBehaviour(online_delay_seconds=0.5)
    with ArrowFlightServer(sandbox.dbms, behaviour=behaviour) as server:
        client = Client(server.location)
        client.action("v1/CREATE_DATABASE", {"name": "ints-1", "id_property": "id"})
        client.put("ints-1", "node", pa.table({"nodeId": pa.array([1, 2], pa.int64())}))
        client.action("v1/NODE_LOAD_DONE", {"name": "ints-1"})
        edges = pa.table(
            {
                "sourceNodeId": pa.array([1], pa.int64()),
                "targetNodeId": pa.array([2], pa.int64()),
                "relationshipType": pa.array(["NEXT"]),
            }
        )
        client.put("ints-1", "relationship", edges)
        client.action("v1/RELATIONSHIP_LOAD_DONE", {"name": "ints-1"})
    status, _, _ = driver.execute_query(
        "SHOW DATABASE $name YIELD currentStatus", name="ints-1", database_="system"
    )
    assert status[0]["currentStatus"] == "starting"
    time.sleep(0.6)
    records, _, _ = driver.execute_query(
        "MATCH (n) RETURN n.id AS id ORDER BY id", database_="ints-1"
    )
    assert [r["id"] for r in records] == [1, 2]
