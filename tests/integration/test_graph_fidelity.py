"""``Neo4jGraph`` behaving as a real Neo4j Enterprise needs: clusters, bookmarks, memory
limits, stopped home databases, Aura and failed starts. All through the real driver.

Tests that need a fault switch, a cluster or Aura say so and skip against a real Neo4j
(``BGTUI_TEST_NEO4J_URI``); the others run unchanged there. Names are fresh per test and
every database made is dropped afterwards.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bgtui.domain.topology import Topology
from bgtui.engine.events import Level
from bgtui.engine.ports import GraphError, LoadOptions
from bgtui.graph import Neo4jGraph, cypher
from bgtui.graph.errors import (
    CreateDatabaseRefusedError,
    DatabaseLimitError,
    DatabaseStartFailedError,
)
from bgtui.sandbox.server import SandboxServer
from tests.helpers.neo4j_target import SANDBOX_PASSWORD, SANDBOX_USER, Neo4jTarget
from tests.integration.test_loader import EXPECTED_LABELS, EXPECTED_TYPES, write_csv_snapshot

pytestmark = pytest.mark.integration

CREATE_NODES = r"UNWIND \$rows AS row CREATE"


def fresh(prefix: str = "fid") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def graph(neo4j_target: Neo4jTarget) -> Iterator[Neo4jGraph]:
    client = Neo4jGraph(
        neo4j_target.uri, neo4j_target.user, neo4j_target.password, max_retry_seconds=1.0
    )
    yield client
    client.close()


@pytest.fixture
def scratch(graph: Neo4jGraph) -> Iterator[list[str]]:
    """Databases and aliases a test made, removed afterwards (aliases first)."""
    made: list[str] = []
    yield made
    aliases = graph.list_aliases()
    for name in made:
        if name in aliases:
            graph.driver.execute_query(
                "DROP ALIAS $a IF EXISTS FOR DATABASE", a=name, database_="system"
            )
    for name in made:
        if name not in aliases:
            graph.drop_database(name)


@pytest.fixture
def cluster() -> Iterator[SandboxServer]:
    with SandboxServer(user=SANDBOX_USER, password=SANDBOX_PASSWORD, servers=3) as server:
        yield server


def cluster_graph(server: SandboxServer, **options: Any) -> Neo4jGraph:
    return Neo4jGraph(server.uri, SANDBOX_USER, SANDBOX_PASSWORD, **options)


class Lines:
    def __init__(self) -> None:
        self.lines: list[tuple[Level, str]] = []

    def __call__(self, level: Level, message: str) -> None:
        self.lines.append((level, message))


def load(graph: Neo4jGraph, database: str, snapshot: Path, batch_size: int = 2) -> Lines:
    lines = Lines()
    graph.load_snapshot(
        database,
        snapshot,
        LoadOptions(batch_size=batch_size),
        None,
        lambda progress: None,
        lines,
        threading.Event(),
    )
    return lines


# --- 1. cluster readiness ------------------------------------------------------------------


class TestReadiness:
    def test_a_standalone_database_is_ready_once_online(
        self, graph: Neo4jGraph, scratch: list[str]
    ) -> None:
        name = fresh()
        scratch.append(name)
        graph.create_database(name)
        readiness = graph.database_readiness(name)
        assert readiness.ready and readiness.reason == ""

    def test_copies_lagging_behind_keep_it_waiting_until_they_catch_up(
        self, cluster: SandboxServer
    ) -> None:
        """Sandbox-only: needs a three-member cluster and the replicationLag fault."""
        graph = cluster_graph(cluster, topology=Topology(1, 2))
        try:
            graph.create_database("lagging-1")
            assert graph.database_readiness("lagging-1").ready
            cluster.faults.set_replication_lag("lagging-1", 5)
            waiting = graph.database_readiness("lagging-1")
            heard: list[str] = []
            with pytest.raises(GraphError) as timed_out:
                graph.wait_until_ready("lagging-1", 0.5, heard.append)
            cluster.faults.set_replication_lag("lagging-1", 0)
            assert graph.wait_until_ready("lagging-1", 5).ready
        finally:
            graph.close()
        assert not waiting.ready and (waiting.copies_ready, waiting.copies_wanted) == (1, 3)
        assert waiting.reason.startswith("waiting for 1 of 3 copies")
        assert "behind" in waiting.reason
        assert timed_out.value.transient and "waiting for 1 of 3 copies" in str(timed_out.value)
        assert heard == [waiting.reason]

    def test_a_copy_that_is_not_allocated_is_waited_for(self, cluster: SandboxServer) -> None:
        """Sandbox-only: asks for four copies of a three-member cluster."""
        graph = cluster_graph(cluster)
        try:
            graph.create_database("short-1", Topology(2, 2))
            readiness = graph.database_readiness("short-1")
        finally:
            graph.close()
        assert not readiness.ready
        assert readiness.reason.startswith("waiting for 3 of 4 copies")


# --- 2. one bookmark chain -----------------------------------------------------------------


class TestBookmarks:
    def test_create_load_and_validate_share_one_chain(
        self, graph: Neo4jGraph, neo4j_target: Neo4jTarget, scratch: list[str], tmp_path: Path
    ) -> None:
        name = fresh()
        scratch.append(name)
        graph.create_database(name)
        after_create = set(graph.bookmark_manager.get_bookmarks())
        load(graph, name, write_csv_snapshot(tmp_path))
        after_load = set(graph.bookmark_manager.get_bookmarks())
        by_label, by_type = graph.counts(name)
        assert after_create and after_load and after_load != after_create
        assert (by_label, by_type) == (EXPECTED_LABELS, EXPECTED_TYPES)
        if neo4j_target.server is None:
            return  # what each BEGIN carried is visible only inside the sandbox
        seen = list(neo4j_target.server.dbms.bookmarks_seen)
        on_database = [set(marks) for database, marks in seen if database == name]
        assert on_database and all(on_database), "every transaction on it joins the chain"
        assert after_load <= on_database[-1], "validation waits for the load's last write"


# --- 3. creating a database ----------------------------------------------------------------


class TestCreate:
    def test_a_database_that_already_holds_nodes_is_refused(
        self, graph: Neo4jGraph, scratch: list[str]
    ) -> None:
        name = fresh()
        scratch.append(name)
        graph.driver.execute_query(cypher.CREATE_DATABASE, name=name, database_="system")
        graph.driver.execute_query(
            cypher.create_nodes(["Stray"], None), rows=[{"id": 1, "props": {}}], database_=name
        )
        with pytest.raises(GraphError, match="was not empty after CREATE DATABASE") as refused:
            graph.create_database(name)
        assert not refused.value.transient

    def test_topology_is_asked_for(self, cluster: SandboxServer) -> None:
        """Sandbox-only: TOPOLOGY matters only on a cluster."""
        graph = cluster_graph(cluster, topology=Topology(1, 1))
        try:
            graph.create_database("topo-1")
            graph.create_database("topo-2", Topology(1, 2))
            rows = graph.driver.execute_query(
                "SHOW DATABASES YIELD name, requestedPrimariesCount, requestedSecondariesCount",
                database_="system",
            ).records
        finally:
            graph.close()
        asked = {r["name"]: (r[1], r[2]) for r in rows if r["name"].startswith("topo")}
        assert asked == {"topo-1": (1, 1), "topo-2": (1, 2)}

    def test_a_failed_start_is_reported_at_once_with_its_message(
        self, sandbox_server: SandboxServer, graph: Neo4jGraph, scratch: list[str]
    ) -> None:
        """Sandbox-only: a start that fails needs the failStart fault."""
        name = fresh()
        scratch.append(name)
        sandbox_server.faults.fail_start(name, "File system permissions")
        with pytest.raises(DatabaseStartFailedError, match="File system permissions") as failed:
            graph.create_database(name)
        assert not failed.value.transient

    def test_database_limit_reached_says_so(
        self, sandbox_server: SandboxServer, graph: Neo4jGraph
    ) -> None:
        """Sandbox-only: reaching dbms.max_databases needs the failNext fault."""
        code = "Neo.DatabaseError.Database.DatabaseLimitReached"
        sandbox_server.faults.fail_next("CREATE DATABASE", 1, code, "The limit was reached")
        with pytest.raises(DatabaseLimitError, match=r"dbms\.max_databases") as limited:
            graph.create_database(fresh())
        assert limited.value.code == code


# --- 4. alias writes are read back --------------------------------------------------------


class TestAliasReadBack:
    def test_a_move_whose_reply_was_lost_counts_as_done(
        self, sandbox_server: SandboxServer, graph: Neo4jGraph, scratch: list[str]
    ) -> None:
        """Sandbox-only: the connection drops after COMMIT through dropAfterNext."""
        blue, green, alias = fresh("blue"), fresh("green"), fresh("cust")
        scratch += [alias, blue, green]
        graph.create_database(blue)
        graph.create_database(green)
        graph.create_alias(alias, blue)
        sandbox_server.faults.drop_after_next("ALTER ALIAS")
        graph.alter_alias(alias, green)
        assert graph.list_aliases()[alias] == green

    def test_a_first_create_whose_reply_was_lost_counts_as_done(
        self, sandbox_server: SandboxServer, graph: Neo4jGraph, scratch: list[str]
    ) -> None:
        """Sandbox-only: IncompleteCommit on CREATE ALIAS through dropAfterNext."""
        blue, alias = fresh("blue"), fresh("cust")
        scratch += [alias, blue]
        graph.create_database(blue)
        sandbox_server.faults.drop_after_next("CREATE ALIAS")
        graph.create_alias(alias, blue)
        assert graph.list_aliases()[alias] == blue

    def test_a_refused_move_reports_where_the_alias_really_is(
        self, sandbox_server: SandboxServer, graph: Neo4jGraph, scratch: list[str]
    ) -> None:
        """Sandbox-only: the refusal is injected with failNext."""
        blue, green, alias = fresh("blue"), fresh("green"), fresh("cust")
        scratch += [alias, blue, green]
        graph.create_database(blue)
        graph.create_database(green)
        graph.create_alias(alias, blue)
        sandbox_server.faults.fail_next("ALTER ALIAS", 1, "Neo.ClientError.General.Invalid")
        with pytest.raises(GraphError, match=f"still points at '{blue}', so it was not changed"):
            graph.alter_alias(alias, green)
        assert graph.list_aliases()[alias] == blue


# --- 5. memory limits ----------------------------------------------------------------------

WIDE = 100  # people in the memory-limit snapshot: enough to halve twice above the floor


def write_wide_snapshot(root: Path) -> Path:
    people = ["personId:ID(people),name,:LABEL"] + [f"{i},P{i},Person" for i in range(WIDE)]
    knows = [":START_ID(people),:END_ID(people),:TYPE"] + [
        f"{i},{i + 1},KNOWS" for i in range(WIDE - 1)
    ]
    for relative, lines in (("nodes/people.csv", people), ("relationships/knows.csv", knows)):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


MEMORY_CODES = [
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.TransientError.General.TransactionMemoryLimit",
    "Neo.ClientError.General.TransactionOutOfMemoryError",
]


class TestMemoryLimits:
    @pytest.mark.parametrize("code", MEMORY_CODES)
    def test_a_batch_too_big_for_transaction_memory_is_split_not_reloaded(
        self,
        sandbox_server: SandboxServer,
        graph: Neo4jGraph,
        scratch: list[str],
        tmp_path: Path,
        code: str,
    ) -> None:
        """Sandbox-only: a real server needs db.memory.transaction.max set low (see the
        real-neo4j workflow) to refuse a batch for its size."""
        name = fresh()
        scratch.append(name)
        graph.create_database(name)
        sandbox_server.faults.fail_next(CREATE_NODES, 1, code)
        lines = load(graph, name, write_wide_snapshot(tmp_path), batch_size=64)
        assert graph.counts(name) == ({"Person": WIDE}, {"KNOWS": WIDE - 1})
        splits = [text for level, text in lines.lines if "transaction memory" in text]
        assert len(splits) == 1 and code in splits[0]
        assert [level for level, text in lines.lines if text in splits] == [Level.WARNING]

    def test_below_the_floor_the_load_fails_for_good(
        self, sandbox_server: SandboxServer, graph: Neo4jGraph, scratch: list[str], tmp_path: Path
    ) -> None:
        """Sandbox-only: every node write is refused through failNext."""
        name = fresh()
        scratch.append(name)
        graph.create_database(name)
        code = MEMORY_CODES[0]
        sandbox_server.faults.fail_next(CREATE_NODES, 1000, code)
        with pytest.raises(GraphError, match="more memory than Neo4j allows") as failed:
            load(graph, name, write_wide_snapshot(tmp_path), batch_size=64)
        sandbox_server.faults.clear()
        assert not failed.value.transient, "a full reload would hit the same wall"


# --- 6. health -----------------------------------------------------------------------------


class TestHealth:
    def test_a_stopped_home_database_stops_neither_health_nor_loading(
        self, graph: Neo4jGraph, scratch: list[str], tmp_path: Path
    ) -> None:
        system = graph.driver.execute_query
        system("STOP DATABASE neo4j WAIT", database_="system")
        try:
            assert graph.ping() >= 0
            graph.heap_used_percent()  # answers (a figure or None) without raising
            name = fresh()
            scratch.append(name)
            graph.create_database(name)
            load(graph, name, write_csv_snapshot(tmp_path))
            assert graph.counts(name) == (EXPECTED_LABELS, EXPECTED_TYPES)
        finally:
            system("START DATABASE neo4j WAIT", database_="system")

    def test_a_forbidden_heap_probe_means_heap_unknown_said_once(
        self, sandbox_server: SandboxServer, graph: Neo4jGraph, caplog: pytest.LogCaptureFixture
    ) -> None:
        """Sandbox-only: the refusal is injected with failNext (a real server: DENY EXECUTE)."""
        sandbox_server.faults.fail_next("queryJmx", 2, "Neo.ClientError.Security.Forbidden")
        with caplog.at_level(logging.WARNING, logger="bgtui.graph.client"):
            first, second = graph.heap_used_percent(), graph.heap_used_percent()
        assert (first, second) == (None, None)
        assert [r.getMessage() for r in caplog.records].count(caplog.records[0].getMessage()) == 1
        assert "heap unknown" in caplog.records[0].getMessage()
        assert graph.heap_used_percent() is not None


# --- 7. no CREATE DATABASE ---------------------------------------------------------------


class TestNoCreateDatabase:
    def test_refused_once_then_never_asked_again(self) -> None:
        """Sandbox-only: needs the sandbox's Aura edition."""
        with SandboxServer(edition="aura", user=SANDBOX_USER, password=SANDBOX_PASSWORD) as aura:
            graph = Neo4jGraph(aura.uri, SANDBOX_USER, SANDBOX_PASSWORD)
            try:
                with pytest.raises(CreateDatabaseRefusedError) as first:
                    graph.create_database("acme-1")
                # Were it asked again, this would answer with a different code.
                aura.faults.fail_next("CREATE DATABASE", 1, "Neo.ClientError.General.Invalid")
                with pytest.raises(CreateDatabaseRefusedError) as second:
                    graph.create_database("acme-2")
            finally:
                graph.close()
        assert "does not allow CREATE DATABASE" in str(first.value)
        assert "Community" not in str(first.value).split("(Neo4j said")[0].replace(
            "Aura, or a server without multiple databases", ""
        )
        assert str(second.value) == str(first.value) and not first.value.transient

    def test_an_aura_address_is_known_without_asking(self) -> None:
        graph = Neo4jGraph("neo4j+s://abcd1234.databases.neo4j.io", "neo4j", "secret")
        try:
            with pytest.raises(CreateDatabaseRefusedError, match="is Aura"):
                graph.create_database("acme-1")
        finally:
            graph.close()


# --- 10. names ----------------------------------------------------------------------------


class TestNames:
    def test_labels_and_types_neo4j_accepts_quoted_load_and_count(
        self, graph: Neo4jGraph, scratch: list[str], tmp_path: Path
    ) -> None:
        people = ["id:ID,name,:LABEL", "1,Ada,Movie-Sequel;Café", "2,Bob,2024Q1;Tick`Tock"]
        knows = [":START_ID,:END_ID,:TYPE", "1,2,KNOWS WELL", "2,1,a`b"]
        for relative, lines in (("nodes/p.csv", people), ("relationships/k.csv", knows)):
            (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / relative).write_text("\n".join(lines) + "\n", encoding="utf-8")
        name = fresh()
        scratch.append(name)
        graph.create_database(name)
        load(graph, name, tmp_path)
        by_label, by_type = graph.counts(name)
        assert by_label == {"Movie-Sequel": 1, "Café": 1, "2024Q1": 1, "Tick`Tock": 1}
        assert by_type == {"KNOWS WELL": 1, "a`b": 1}


# --- 14. stopping standbys -----------------------------------------------------------------


class TestStopAndStart:
    def test_a_standby_is_stopped_and_started_again_ready_for_a_rollback(
        self, graph: Neo4jGraph, scratch: list[str]
    ) -> None:
        name = fresh()
        scratch.append(name)
        graph.create_database(name)
        graph.stop_database(name)
        stopped = [d for d in graph.list_databases() if d.name == name]
        graph.start_database(name)
        started = [d for d in graph.list_databases() if d.name == name]
        assert [(d.requested_status, d.current_status) for d in stopped] == [("offline", "offline")]
        assert [d.current_status for d in started] == ["online"]
        assert graph.database_readiness(name).ready


# --- 12. finalising, 13. notifications ------------------------------------------------------


class TestFinalisingAndNotifications:
    def test_constraints_go_before_the_temporary_labels(
        self, sandbox_server: SandboxServer, graph: Neo4jGraph, scratch: list[str], tmp_path: Path
    ) -> None:
        """Sandbox-only: the strip is stopped with failNext to look at the order."""
        name = fresh()
        scratch.append(name)
        graph.create_database(name)
        sandbox_server.faults.fail_next(r"REMOVE n:", 1, "Neo.ClientError.General.Invalid")
        with pytest.raises(GraphError):
            load(graph, name, write_csv_snapshot(tmp_path))
        store = sandbox_server.dbms.databases[name].graph
        assert store.constraints == {}, "constraints are dropped before the strip starts"

    def test_the_driver_asks_for_warnings_and_worse_only(
        self, sandbox_server: SandboxServer, graph: Neo4jGraph
    ) -> None:
        """Sandbox-only: what HELLO carried is visible only inside the sandbox."""
        sandbox_server.dbms.notification_filters_seen.clear()
        graph.ping()
        assert set(sandbox_server.dbms.notification_filters_seen) == {"WARNING"}
