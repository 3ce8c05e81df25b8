"""``Neo4jGraph``: the engine's ``GraphPort`` on top of one official ``neo4j`` driver.

Administration goes to the ``system`` database through ``execute_query`` (each command in its
own transaction, transient failures retried by the driver); database and alias names travel
only as parameters. Health reads use auto-commit queries on ``system`` so a dead server is
reported at once instead of after the driver's retry window, and a stopped or dropped home
database does not read as a dead server. Every driver exception leaves as a ``GraphError``.

Creating a database, loading it, validating it and moving an alias share one bookmark chain
(the driver's ``execute_query_bookmark_manager``): bookmarks are only causally chained within
a session unless passed on (https://neo4j.com/docs/python-manual/current/bookmarks/), and in a
cluster a read without them may land on a copy that has not yet seen the load.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j import exceptions as neo4j_errors

from bgtui.domain.graph import GraphError, LoadReport, LogCallback, ProgressCallback, ServerInfo
from bgtui.domain.loading import LoadOptions
from bgtui.domain.names import InvalidNameError, database_name_problem
from bgtui.domain.topology import Topology
from bgtui.domain.views import DatabaseStatus
from bgtui.graph import cypher
from bgtui.graph.errors import (
    UNSUPPORTED_ADMIN,
    CreateDatabaseRefusedError,
    DatabaseStartFailedError,
    create_database_refused,
    translate,
)
from bgtui.graph.readiness import Readiness, readiness_of

T = TypeVar("T")

log = logging.getLogger(__name__)

#: Hosts of Neo4j Aura, which does not offer CREATE DATABASE
#: (https://neo4j.com/docs/operations-manual/current/database-administration/standard-databases/create-databases/).
AURA_HOST_SUFFIX = ".databases.neo4j.io"

#: How often ``wait_until_ready`` looks at the copies of a database.
_READY_POLL_SECONDS = 0.2

#: Attempts, and the pause between them, to read an alias back after a failed change.
_READ_BACK_ATTEMPTS = 5
_READ_BACK_PAUSE_SECONDS = 0.5


#: The URI schemes of Bolt: direct (bolt) and routing (neo4j), plain or with TLS.
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

#: How often ``create_database`` looks at ``SHOW DATABASE`` while waiting for ``online``.
_ONLINE_POLL_SECONDS = 0.1


class Neo4jGraph:
    """Everything bgtui asks of Neo4j, blocking (call it from worker threads).

    Args:
        uri: ``bolt://host:port`` (direct) or ``neo4j://host:port`` (routing).
        user: the Neo4j user; it needs admin rights for databases and aliases.
        password: that user's password; never logged or shown.
        connect_timeout: seconds to wait for a TCP connection before calling Neo4j unreachable.
        max_retry_seconds: how long the driver retries transient failures of a transaction.
        online_timeout: how long ``create_database`` waits for the new database to be online.
        topology: the copies new databases get in a cluster; None leaves it to the server.
    """

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        *,
        connect_timeout: float = 5.0,
        max_retry_seconds: float = 30.0,
        online_timeout: float = 120.0,
        topology: Topology | None = None,
    ) -> None:
        self.address = uri
        self._online_timeout = online_timeout
        self._topology = topology
        self._heap_unknown_said = False
        #: Why this server does not allow CREATE DATABASE, once that is known.
        self.create_database_refusal: str | None = None
        host = uri.partition("://")[2].rsplit(":", 1)[0].lower().rstrip("/")
        if host.endswith(AURA_HOST_SUFFIX):
            self.create_database_refusal = (
                f"Neo4j at {uri} is Aura ({AURA_HOST_SUFFIX}), which does not allow "
                "CREATE DATABASE, so bgtui cannot load snapshots there"
            )
        scheme = uri.partition("://")[0].lower()
        if scheme not in BOLT_SCHEMES:
            # The driver also speaks HTTP (a preview Query API) but bgtui needs Bolt sessions.
            raise GraphError(
                f"cannot use Neo4j address {uri!r}: bgtui talks Bolt, so the address must "
                "start with bolt:// or neo4j:// (or their +s / +ssc secure forms)"
            )
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=connect_timeout,
                max_transaction_retry_time=max_retry_seconds,
                # INFORMATION notifications (one per server for CREATE DATABASE ... WAIT under
                # Cypher 25, every IF NOT EXISTS no-op) would otherwise fill bgtui.log
                # (https://neo4j.com/docs/python-manual/current/result-summary/).
                notifications_min_severity="WARNING",
            )
        except (neo4j_errors.DriverError, ValueError) as exc:
            raise GraphError(f"cannot use Neo4j address {uri!r}: {exc}") from exc

    @property
    def driver(self) -> neo4j.Driver:
        """The underlying driver, for the loader and for tests."""
        return self._driver

    # --- health ------------------------------------------------------------------------------

    def server_info(self) -> ServerInfo:
        rows = self._system_read(cypher.SERVER_COMPONENTS)
        kernel = next(
            (row for row in rows if row["name"] == "Neo4j Kernel"), rows[0] if rows else None
        )
        if kernel is None:
            raise GraphError(f"Neo4j at {self.address} did not describe itself (dbms.components)")
        versions = kernel["versions"] or ["unknown"]
        edition = "community" if str(kernel["edition"]).lower() == "community" else "enterprise"
        info = self._call(self._driver.get_server_info)
        return ServerInfo(
            address=str(info.address), version=str(versions[0]), edition=edition, agent=info.agent
        )

    def ping(self) -> float:
        started = time.perf_counter()
        self._auto_commit(cypher.PING, database="system")
        return (time.perf_counter() - started) * 1000.0

    def heap_used_percent(self) -> float | None:
        """Heap use in percent, or None when the server will not say.

        Any client error (the procedure absent, EXECUTE denied, a cloud restriction) means
        "heap unknown": logged once, and the load gate stays open.
        """
        try:
            rows = self._auto_commit(cypher.HEAP_USAGE, database="system")
        except GraphError as exc:
            if not (exc.code or "").startswith("Neo.ClientError."):
                raise
            if not self._heap_unknown_said:
                self._heap_unknown_said = True
                log.warning("heap unknown: Neo4j at %s will not report it (%s)", self.address, exc)
            return None
        if not rows or not rows[0]["max"] or rows[0]["max"] <= 0:
            return None  # the JVM reports no upper bound
        return 100.0 * float(rows[0]["used"]) / float(rows[0]["max"])

    # --- databases and aliases ---------------------------------------------------------------

    def list_databases(self) -> list[DatabaseStatus]:
        return _one_row_per_database(self._system_read(cypher.SHOW_DATABASES))

    def list_aliases(self) -> dict[str, str]:
        rows = self._system_read(cypher.SHOW_ALIASES)
        return {row["name"]: row["database"] for row in rows if row["location"] == "local"}

    def create_database(self, name: str, topology: Topology | None = None) -> None:
        """Create ``name``, wait until it is online, and check that it is empty.

        ``topology`` (else the client's default) adds ``TOPOLOGY`` for a cluster. Once the
        server has refused CREATE DATABASE outright, later calls fail at once without asking
        again.

        Raises:
            CreateDatabaseRefusedError: the server does not allow CREATE DATABASE (Aura).
            DatabaseStartFailedError: the database went offline and Neo4j says why.
            GraphError: anything else, including a database that was not empty.
        """
        _check_database_name(name)
        if self.create_database_refusal is not None:
            raise CreateDatabaseRefusedError(self.create_database_refusal, code=UNSUPPORTED_ADMIN)
        chosen = topology or self._topology
        statement, parameters = cypher.CREATE_DATABASE, {"name": name}
        if chosen is not None:
            statement = cypher.CREATE_DATABASE_WITH_TOPOLOGY
            parameters = {**parameters, **vars(chosen)}
        try:
            # UNCONFIRMED: the WAIT result's ``success`` column may read false even when the
            # database comes up, and Cypher 25 returns no rows at all; SHOW DATABASE is the
            # truth, so it is polled until online.
            self._system_write(statement, parameters, database=name)
        except CreateDatabaseRefusedError as exc:
            self.create_database_refusal = str(exc)
            raise
        except GraphError as exc:
            if exc.code == UNSUPPORTED_ADMIN:  # Community: said as EnterpriseRequiredError
                self.create_database_refusal = str(exc)
                raise
            if exc.code == "Neo.ClientError.Security.Forbidden":
                refused = create_database_refused(self.address, exc.code, str(exc))
                self.create_database_refusal = str(refused)
                raise refused from exc
            raise
        self._wait_until_online(name)
        self._check_empty(name)

    def drop_database(self, name: str) -> None:
        _check_database_name(name)
        self._system_write(cypher.DROP_DATABASE, {"name": name}, database=name)

    def stop_database(self, name: str) -> None:
        """Shut a database down completely, freeing its heap and page cache."""
        _check_database_name(name)
        self._system_write(cypher.STOP_DATABASE, {"name": name}, database=name)

    def start_database(self, name: str) -> None:
        _check_database_name(name)
        self._system_write(cypher.START_DATABASE, {"name": name}, database=name)
        self._wait_until_online(name)

    def create_alias(self, alias: str, database: str) -> None:
        self._move_alias(cypher.CREATE_ALIAS, alias, database)

    def alter_alias(self, alias: str, database: str) -> None:
        self._move_alias(cypher.ALTER_ALIAS, alias, database)

    def database_readiness(self, name: str) -> Readiness:
        """Are all copies of ``name`` online, caught up and as many as requested?"""
        rows = self._system_read(cypher.SHOW_DATABASE, {"name": name})
        return readiness_of(name, [row.data() for row in rows if row["name"] == name])

    def wait_until_ready(
        self,
        name: str,
        timeout: float,
        on_wait: Callable[[str], None] | None = None,
    ) -> Readiness:
        """Poll ``database_readiness`` until ready; ``on_wait`` hears each new reason.

        Raises:
            GraphError: (transient) not ready after ``timeout`` seconds; the message says why.
        """
        deadline = time.monotonic() + timeout
        said = ""
        while True:
            readiness = self.database_readiness(name)
            if readiness.ready:
                return readiness
            if on_wait is not None and readiness.reason != said:
                said = readiness.reason
                on_wait(readiness.reason)
            if time.monotonic() >= deadline:
                raise GraphError(
                    f"database '{name}' was not ready after {timeout:.0f}s: {readiness.reason}",
                    transient=True,
                )
            time.sleep(_READY_POLL_SECONDS)

    # --- inspection --------------------------------------------------------------------------

    def counts(self, database: str) -> tuple[dict[str, int], dict[str, int]]:
        def read(tx: neo4j.ManagedTransaction) -> tuple[dict[str, int], dict[str, int]]:
            labels = [record["label"] for record in tx.run(cypher.LABELS)]
            types = [record["relationshipType"] for record in tx.run(cypher.RELATIONSHIP_TYPES)]
            by_label = {
                label: tx.run(_counting(cypher.count_nodes_with_label, label)).single(strict=True)[
                    "count"
                ]
                for label in labels
            }
            by_type = {
                rel_type: tx.run(_counting(cypher.count_relationships_of_type, rel_type)).single(
                    strict=True
                )["count"]
                for rel_type in types
            }
            return _without_zeros(by_label), _without_zeros(by_type)

        return self._read(database, read)

    def run_check(self, database: str, query: str) -> Any:
        """Run an operator's validation query in a read transaction and return its one value.

        The query comes from the operator's configuration, not from the catalogue; a read
        transaction makes sure it cannot change the database it is judging.
        """

        def read(tx: neo4j.ManagedTransaction) -> list[neo4j.Record]:
            return tx.run(query).fetch(2)

        records = self._read(database, read)
        if len(records) != 1:
            shown = "no rows" if not records else "more than one row"
            raise GraphError(f"check query on '{database}' returned {shown}; it must return one")
        return records[0].value(0)

    # --- loading -----------------------------------------------------------------------------

    def load_snapshot(
        self,
        database: str,
        snapshot_path: Path,
        options: LoadOptions,
        reader_options: Any,
        progress: ProgressCallback,
        log: LogCallback,
        cancel: threading.Event,
    ) -> LoadReport:
        from bgtui.graph.loader import SnapshotLoader  # the loader pulls in the snapshot readers

        loader = SnapshotLoader(
            self._driver,
            self.address,
            database,
            options,
            progress,
            log,
            bookmark_manager=self.bookmark_manager,
        )
        return loader.load(snapshot_path, reader_options, cancel)

    def close(self) -> None:
        # Closing a driver whose server is gone must not fail shutdown.
        with contextlib.suppress(neo4j_errors.DriverError):
            self._driver.close()

    # --- plumbing ----------------------------------------------------------------------------

    def _call(
        self,
        action: Callable[[], T],
        database: str | None = None,
        alias: str | None = None,
    ) -> T:
        try:
            return action()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            raise translate(exc, self.address, database=database, alias=alias) from exc

    def _system_read(self, query: str, parameters: dict[str, Any] | None = None) -> list[Any]:
        def run() -> list[Any]:
            return self._driver.execute_query(
                query, parameters, database_="system", routing_=RoutingControl.READ
            ).records

        return self._call(run)

    def _system_write(
        self,
        query: str,
        parameters: dict[str, Any],
        database: str | None = None,
        alias: str | None = None,
    ) -> list[Any]:
        def run() -> list[Any]:
            return self._driver.execute_query(query, parameters, database_="system").records

        return self._call(run, database, alias)

    def _auto_commit(self, query: str, database: str | None) -> list[Any]:
        """One auto-commit query: no retry window, so a dead server is reported at once."""

        def run() -> list[Any]:
            with self._driver.session(database=database) as session:
                return list(session.run(query))

        return self._call(run, database)

    @property
    def bookmark_manager(self) -> neo4j.api.BookmarkManager:
        """The one bookmark chain of admin commands, loads and validation reads."""
        return self._driver.execute_query_bookmark_manager

    def _read(self, database: str, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        def run() -> T:
            with self._driver.session(
                database=database, bookmark_manager=self.bookmark_manager
            ) as session:
                return session.execute_read(work)

        return self._call(run, database)

    def _check_empty(self, name: str) -> None:
        """Refuse a new database that already holds nodes.

        "CREATE DATABASE will attempt to mount any pre-existing store files in place"
        (https://neo4j.com/docs/operations-manual/current/database-administration/standard-databases/create-databases/),
        and IF NOT EXISTS keeps a database that is already there: loading on top would mix
        two graphs.
        """

        def count(tx: neo4j.ManagedTransaction) -> int:
            return int(tx.run(cypher.COUNT_ALL_NODES).single(strict=True)["count"])

        found = self._read(name, count)
        if found:
            raise GraphError(
                f"database '{name}' was not empty after CREATE DATABASE ({found:,} nodes; "
                "pre-existing store files, or a database left under that name?); bgtui does "
                "not load on top of it"
            )

    def _move_alias(self, statement: str, alias: str, database: str) -> None:
        """CREATE or ALTER ALIAS; after any error, read the alias back and believe that.

        A connection lost during COMMIT leaves "the data in an unknown state"
        (``neo4j.exceptions.IncompleteCommit``), and a retry after a lost reply may fail
        because the first attempt worked. If ``SHOW ALIASES`` shows the alias on
        ``database``, the move happened and this returns normally.
        """
        try:
            self._system_write(statement, {"alias": alias, "database": database}, database, alias)
            return
        except GraphError as exc:
            failure = exc
        target, problem = self._alias_target(alias)
        if problem is None and target == database:
            log.warning(
                "alias '%s' does point at '%s' although the change reported an error (%s)",
                alias,
                database,
                failure,
            )
            return
        if problem is not None:
            raise GraphError(
                f"{failure}; reading alias '{alias}' back also failed ({problem}), so whether "
                "it moved is unknown",
                transient=failure.transient,
                code=failure.code,
            ) from failure
        now = f"still points at '{target}'" if target else "does not exist"
        raise GraphError(
            f"{failure}; SHOW ALIASES says alias '{alias}' {now}, so it was not changed",
            transient=failure.transient,
            code=failure.code,
        ) from failure

    def _alias_target(self, alias: str) -> tuple[str | None, str | None]:
        """(target of ``alias`` or None, None) as SHOW ALIASES reads, or (None, why not)."""
        problem = "no attempt"
        for attempt in range(_READ_BACK_ATTEMPTS):
            try:
                return self.list_aliases().get(alias), None
            except GraphError as exc:
                problem = str(exc)
            if attempt + 1 < _READ_BACK_ATTEMPTS:
                time.sleep(_READ_BACK_PAUSE_SECONDS)
        return None, problem

    def _wait_until_online(self, name: str) -> None:
        deadline = time.monotonic() + self._online_timeout
        status: DatabaseStatus | None = None
        while True:
            rows = self._system_read(cypher.SHOW_DATABASE, {"name": name})
            found = _one_row_per_database(rows)
            status = found[0] if found else None
            if status is not None and status.current_status == "online":
                return
            if status is not None and status.current_status in ("dirty", "quarantined"):
                raise DatabaseStartFailedError(
                    f"database '{name}' failed to start ({status.current_status}): "
                    f"{status.status_message or 'no reason given'}"
                )
            # "If the statusMessage column is filled, the database is not running because of a
            # problem" (https://neo4j.com/docs/operations-manual/current/database-administration/standard-databases/listing-databases/#database-states);
            # and one requested offline is not coming up either. Waiting would not help.
            if status is not None and (
                (status.current_status == "offline" and status.status_message)
                or status.requested_status == "offline"
            ):
                raise DatabaseStartFailedError(
                    f"database '{name}' is offline ({status.requested_status} requested): "
                    f"{status.status_message or 'it was stopped'}"
                )
            if time.monotonic() >= deadline:
                seen = status.current_status if status else "not listed"
                raise GraphError(
                    f"database '{name}' was not online {self._online_timeout:.0f}s after "
                    f"CREATE DATABASE (status: {seen})",
                    transient=True,
                )
            time.sleep(_ONLINE_POLL_SECONDS)


def _check_database_name(name: str) -> None:
    problem = database_name_problem(name)
    if problem:
        raise GraphError(f"'{name}' cannot be a Neo4j database name: {problem}")


def _counting(builder: Callable[[str], str], name: str) -> str:
    """Build a count statement, refusing a label or type bgtui could not have written."""
    try:
        return builder(name)
    except InvalidNameError as exc:
        raise GraphError(f"cannot count {name!r} safely: {exc}") from exc


def _without_zeros(counts: dict[str, int]) -> dict[str, int]:
    return {name: int(count) for name, count in counts.items() if count}


def _one_row_per_database(rows: list[Any]) -> list[DatabaseStatus]:
    """SHOW DATABASES rows folded by name: a cluster lists one row per server.

    The least healthy row wins, so a database that is online on only some servers is not
    reported as online.
    """
    by_name: dict[str, DatabaseStatus] = {}
    for row in rows:
        status = DatabaseStatus(
            name=row["name"],
            current_status=row["currentStatus"],
            requested_status=row["requestedStatus"],
            aliases=tuple(row["aliases"] or ()),
            status_message=row["statusMessage"] or "",
        )
        known = by_name.get(status.name)
        if known is None or (
            known.current_status == "online" and status.current_status != "online"
        ):
            by_name[status.name] = status
    return list(by_name.values())
