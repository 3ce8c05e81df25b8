"""``Neo4jGraph``: the engine's ``GraphPort`` on top of one official ``neo4j`` driver.

Administration goes to the ``system`` database through ``execute_query`` (each command in its
own transaction, transient failures retried by the driver); database and alias names travel
only as parameters. Health reads use auto-commit queries so a dead server is reported at once
instead of after the driver's retry window. Every driver exception leaves as a ``GraphError``.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j import exceptions as neo4j_errors

from bgtui.domain.names import InvalidNameError, database_name_problem
from bgtui.engine.events import DatabaseStatus
from bgtui.engine.ports import (
    GraphError,
    LoadOptions,
    LoadReport,
    LogCallback,
    ProgressCallback,
    ServerInfo,
)
from bgtui.graph import cypher
from bgtui.graph.arrow_endpoint import ArrowEndpoint
from bgtui.graph.errors import PROCEDURE_NOT_FOUND, translate

T = TypeVar("T")

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
        arrow: the GDS Arrow Flight endpoint, for loads through Arrow (None: Bolt only).
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
        arrow: ArrowEndpoint | None = None,
    ) -> None:
        self.address = uri
        self.arrow = arrow
        self._online_timeout = online_timeout
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
        self._auto_commit(cypher.PING, database=None)
        return (time.perf_counter() - started) * 1000.0

    def heap_used_percent(self) -> float | None:
        try:
            rows = self._auto_commit(cypher.HEAP_USAGE, database=None)
        except GraphError as exc:
            if exc.code == PROCEDURE_NOT_FOUND:  # JMX procedure switched off or absent
                return None
            raise
        if not rows or not rows[0]["max"] or rows[0]["max"] <= 0:
            return None  # the JVM reports no upper bound
        return 100.0 * float(rows[0]["used"]) / float(rows[0]["max"])

    # --- databases and aliases ---------------------------------------------------------------

    def list_databases(self) -> list[DatabaseStatus]:
        return _one_row_per_database(self._system_read(cypher.SHOW_DATABASES))

    def list_aliases(self) -> dict[str, str]:
        rows = self._system_read(cypher.SHOW_ALIASES)
        return {row["name"]: row["database"] for row in rows if row["location"] == "local"}

    def create_database(self, name: str) -> None:
        _check_database_name(name)
        # UNCONFIRMED (reference §1.2): the WAIT result's ``success`` column may read false even
        # when the database comes up, and Cypher 25 returns no rows at all; SHOW DATABASE is
        # the truth, so it is polled until online.
        self._system_write(cypher.CREATE_DATABASE, {"name": name}, database=name)
        self._wait_until_online(name)

    def drop_database(self, name: str) -> None:
        _check_database_name(name)
        self._system_write(cypher.DROP_DATABASE, {"name": name}, database=name)

    def create_alias(self, alias: str, database: str) -> None:
        self._system_write(
            cypher.CREATE_ALIAS, {"alias": alias, "database": database}, database, alias
        )

    def alter_alias(self, alias: str, database: str) -> None:
        self._system_write(
            cypher.ALTER_ALIAS, {"alias": alias, "database": database}, database, alias
        )

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

        loader = SnapshotLoader(self._driver, self.address, database, options, progress, log)
        return loader.load(snapshot_path, reader_options, cancel)

    def load_new_database(
        self,
        database: str,
        snapshot_path: Path,
        options: LoadOptions,
        reader_options: Any,
        progress: ProgressCallback,
        log: LogCallback,
        cancel: threading.Event,
        *,
        method: str = "bolt",
    ) -> LoadReport:
        """Create ``database`` and load the snapshot into it, through Bolt or Arrow.

        ``method`` is ``bolt``, ``arrow`` or ``auto`` (Arrow when the endpoint answers and
        the snapshot fits the importer, Bolt otherwise; the log says which and why). Either
        way the database is online when this returns, so nothing after it can tell the paths
        apart.

        Raises:
            GraphError, SnapshotFormatError: as ``load_snapshot``; an Arrow load is aborted.
        """
        from bgtui.graph.loading_path import load_through_arrow

        if method != "bolt":
            report = load_through_arrow(
                self,
                database,
                snapshot_path,
                options,
                reader_options,
                progress,
                log,
                cancel,
                required=method == "arrow",
            )
            if report is not None:
                self._wait_until_online(database)
                return report
        self.create_database(database)
        return self.load_snapshot(
            database, snapshot_path, options, reader_options, progress, log, cancel
        )

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

    def _read(self, database: str, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        def run() -> T:
            with self._driver.session(database=database) as session:
                return session.execute_read(work)

        return self._call(run, database)

    def wait_until_online(self, name: str) -> None:
        """Poll ``SHOW DATABASE`` until ``name`` is online (the readiness rule of every load).

        Raises:
            GraphError: it failed to start, or was not online within the timeout.
        """
        self._wait_until_online(name)

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
                raise GraphError(
                    f"database '{name}' failed to start ({status.current_status}): "
                    f"{status.status_message or 'no reason given'}"
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
