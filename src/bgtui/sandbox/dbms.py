"""The sandbox's statement side: a small Neo4j 5 Enterprise stand-in. It is not a database.

``Dbms`` holds what a Neo4j server would know (databases, aliases, the stored graphs, heap
figures) in memory, and answers the statements bgtui sends with the results, counters and
errors a real server gives. The Bolt layer (``bolt.py``) calls ``begin`` / ``run`` /
``commit`` / ``rollback`` from one thread per connection; a single re-entrant lock serialises
every statement, which is plenty for a stand-in.

What it deliberately is not: there is no isolation between transactions (a write is visible
to others at once; ROLLBACK undoes it), no persistence, and no Cypher beyond the shapes listed
in ``statements.py``, ``procedures.py`` and ``admin.py``.

Cluster mode (``servers`` > 1) imitates what a Neo4j cluster *reports*, not replication: each
database is allocated to ``primaries + secondaries`` servers, ``SHOW DATABASES`` lists one row
per allocation, and ROUTE names the servers hosting it. Every copy shares one graph, so a
copy reported as lagging (``replicationLag``) still answers with current data.
"""

from __future__ import annotations

import hmac
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from itertools import count
from typing import Any

from bgtui.sandbox import errors
from bgtui.sandbox.admin import ADMIN_STATEMENTS
from bgtui.sandbox.catalogue import Alias, DatabaseRecord
from bgtui.sandbox.graphstore import UndoLog
from bgtui.sandbox.procedures import PROCEDURE_STATEMENTS
from bgtui.sandbox.recognition import Kind, StatementContext, leading_clause, recognise
from bgtui.sandbox.results import CypherFailure, QueryResult
from bgtui.sandbox.statements import DATA_STATEMENTS

SYSTEM_DATABASE = "system"
DEFAULT_DATABASE = "neo4j"
STATEMENTS = [*ADMIN_STATEMENTS, *PROCEDURE_STATEMENTS, *DATA_STATEMENTS]

EDITIONS = ("enterprise", "community", "aura")
FAULT_MESSAGE = "The bgtui sandbox took this database offline (fault injection)."

_GIB = 1024**3
_WRITES = {
    Kind.DATA_WRITE: "data updates",
    Kind.SCHEMA_WRITE: "schema updates",
    Kind.ADMIN_WRITE: "administration commands",
}


class Dbms:
    """The whole stand-in server: catalogue, graphs, heap figures and transactions.

    Args:
        edition: "enterprise", "community" or "aura"; Community has only ``system`` and
            ``neo4j`` and refuses the Enterprise-only administration commands; Aura refuses
            CREATE DATABASE (see ``errors.create_database_not_on_aura``).
        user, password: the one account ``authenticate`` accepts.
        start_delay_seconds: how long a database created or started without WAIT reports
            ``starting`` before ``online``, so that pollers are exercised.
        clock: monotonic seconds (tests pass a fake one).
        servers: how many cluster members to imitate (1: a standalone server).
    """

    version = "5.26.0"

    def __init__(
        self,
        edition: str = "enterprise",
        user: str = "neo4j",
        password: str = "bgtui-sandbox",
        *,
        start_delay_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        servers: int = 1,
    ) -> None:
        if edition not in EDITIONS:
            raise ValueError(f"edition must be one of {', '.join(EDITIONS)}, not {edition!r}")
        if servers < 1:
            raise ValueError(f"a sandbox has at least one server, not {servers}")
        self.edition = edition
        #: Cluster members' ``host:port``; the server fills in the ports it listens on.
        self.addresses = [f"localhost:{7687 + index}" for index in range(servers)]
        self.server_ids = [str(uuid.uuid4()) for _ in range(servers)]
        #: Databases whose next CREATE starts them offline with this statusMessage (a fault).
        self.fail_start: dict[str, str] = {}
        #: The bookmarks each BEGIN or auto-commit RUN carried, newest last (for tests).
        self.bookmarks_seen: deque[tuple[str, list[str]]] = deque(maxlen=1000)
        #: Each HELLO's ``notifications_minimum_severity`` (None when not sent), for tests.
        self.notification_filters_seen: deque[str | None] = deque(maxlen=1000)
        self.start_delay_seconds = start_delay_seconds
        self.lock = threading.RLock()
        self.clock = clock
        self.heap_max_bytes = 2 * _GIB
        self.heap_used_bytes = _GIB // 2
        self.databases: dict[str, DatabaseRecord] = {}
        self.aliases: dict[str, Alias] = {}
        self._user = user
        self._password = password
        self._bookmarks = count(1)
        for name, kind in ((SYSTEM_DATABASE, "system"), (DEFAULT_DATABASE, "standard")):
            self.databases[name] = self.new_database(name, wait=True, kind=kind)

    @property
    def address(self) -> str:
        """The first member's address: a standalone server's only one."""
        return self.addresses[0]

    @address.setter
    def address(self, value: str) -> None:
        self.addresses[0] = value

    @property
    def server_id(self) -> str:
        return self.server_ids[0]

    @property
    def edition_reported(self) -> str:
        """What ``dbms.components()`` says: UNCONFIRMED that Aura reports "enterprise"."""
        return "enterprise" if self.edition == "aura" else self.edition

    # --- the interface the Bolt layer uses ---------------------------------------------------

    def authenticate(self, principal: str, credentials: str) -> bool:
        user_ok = hmac.compare_digest(principal.encode(), self._user.encode())
        password_ok = hmac.compare_digest(credentials.encode(), self._password.encode())
        return user_ok and password_ok

    def default_database(self) -> str:
        return DEFAULT_DATABASE

    def resolve_for_route(self, database: str | None) -> str:
        """The name to echo as ROUTE ``rt.db``: the requested one, as Neo4j is believed to.

        UNCONFIRMED whether a real server answers an alias with the alias or its target.
        """
        if not database:
            return DEFAULT_DATABASE
        with self.lock:
            if self.lookup(database.lower()) is None:
                raise errors.route_database_not_found(database)
        return database

    def route(self, database: str | None) -> dict[str, list[str]] | None:
        """Cluster mode: ROUTE's servers per role for a database; None when standalone.

        WRITE is the writer; READ the other copies, or the writer when there are none, since
        ``dbms.routing.reads_on_writers_enabled`` defaults to false and "Writer is returned as
        read endpoint if no other member is present"
        (https://neo4j.com/docs/operations-manual/current/configuration/configuration-settings/#config_dbms.routing.reads_on_writers_enabled).
        ROUTE lists every member.
        """
        if len(self.addresses) == 1:
            return None
        with self.lock:
            record = self.lookup((database or DEFAULT_DATABASE).lower())
            if record is None:
                raise errors.route_database_not_found(database or DEFAULT_DATABASE)
            copies = [self.addresses[server] for server, _ in self.allocations(record)]
        writer, readers = copies[:1], copies[1:]
        return {"ROUTE": list(self.addresses), "READ": readers or writer, "WRITE": writer}

    def begin(self, database: str | None) -> Transaction:
        """Open a transaction on a database or alias (None: the default database)."""
        name = (database or DEFAULT_DATABASE).lower()
        with self.lock:
            return Transaction(self, name, self.available(name))

    def set_heap_used_percent(self, percent: float) -> None:
        with self.lock:
            self.heap_used_bytes = int(self.heap_max_bytes * max(0.0, percent) / 100)

    def set_database_online(self, name: str, online: bool) -> None:
        """A fault: the database (or an alias's target) goes offline while requested online."""
        with self.lock:
            record = self.lookup(name.lower())
            if record is None:
                raise errors.database_not_found(name)
            record.failed = not online
            record.status_message = "" if online else FAULT_MESSAGE

    def set_replication_lag(self, name: str, transactions: int) -> None:
        """A fault: every copy of the database but its writer reports this lag."""
        if transactions < 0:
            raise ValueError(f"a replication lag cannot be negative ({transactions})")
        with self.lock:
            record = self.lookup(name.lower())
            if record is None:
                raise errors.database_not_found(name)
            record.replication_lag = transactions

    def allocations(self, record: DatabaseRecord) -> list[tuple[int, str]]:
        """(server index, role) for each copy: the writer first, then the other primaries.

        ``system`` is a primary on every member. A user database goes to as many servers as its
        TOPOLOGY asks for and the cluster has, starting at a server picked from its name so the
        writers spread out. UNCONFIRMED what Neo4j does when a TOPOLOGY asks for more servers
        than exist; the sandbox allocates what it can and the current counts show the shortfall.
        """
        members = len(self.addresses)
        if record.kind == "system":
            return [(index, "primary") for index in range(members)]
        first = sum(record.name.encode()) % members
        order = [(first + step) % members for step in range(members)]
        roles = ["primary"] * record.primaries + ["secondary"] * record.secondaries
        return list(zip(order, roles, strict=False))

    # --- the catalogue, for administration commands and SHOW -----------------------------

    def new_database(
        self, name: str, *, wait: bool, kind: str = "standard", topology: tuple[int, int] = (1, 0)
    ) -> DatabaseRecord:
        """A fresh database record, not yet registered; without WAIT it starts slowly."""
        now = self.clock()
        delay = 0.0 if wait else self.start_delay_seconds
        record = DatabaseRecord(
            name, kind, time.time(), online_from=now + delay, last_start=time.time()
        )
        record.primaries, record.secondaries = topology
        message = self.fail_start.pop(name, None)
        if message is not None:
            record.failed, record.status_message = True, message
        return record

    def lookup(self, name: str) -> DatabaseRecord | None:
        """The database called ``name``, or the target of the alias called ``name``."""
        alias = self.aliases.get(name)
        return self.databases.get(alias.target if alias else name)

    def aliases_of(self, database: str) -> list[str]:
        return sorted(a.name for a in self.aliases.values() if a.target == database)

    def current_status(self, record: DatabaseRecord) -> str:
        if record.requested_status == "offline" or record.failed:
            return "offline"
        return "starting" if self.clock() < record.online_from else "online"

    def available(self, name: str) -> DatabaseRecord:
        """The online database behind ``name``; raises DatabaseNotFound / DatabaseUnavailable."""
        record = self.lookup(name)
        if record is None:
            raise errors.database_not_found(name)
        if self.current_status(record) != "online":
            raise errors.database_unavailable(record.name)
        return record

    def next_bookmark(self) -> str:
        return f"FB:sandbox:{next(self._bookmarks)}"


class Transaction:
    """One transaction: statements are atomic, ROLLBACK undoes them all.

    Schema, data and administration writes may not mix, as in Neo4j. Administration commands
    run against ``system`` whatever database the transaction was opened on: Neo4j 5 routes
    them there over Bolt.
    """

    def __init__(self, dbms: Dbms, database: str, record: DatabaseRecord) -> None:
        self.database = database
        self._dbms = dbms
        self._record = record
        self._graph_log: UndoLog = []
        self._admin_log: list[Callable[[], None]] = []
        self._write_kind: Kind | None = None
        self._closed = False

    def run(self, query: str, parameters: dict[str, Any] | None = None) -> QueryResult:
        """Run one statement; on failure nothing of it remains.

        Raises:
            CypherFailure: what Neo4j would answer, from SyntaxError to DatabaseUnavailable.
        """
        dbms = self._dbms
        with dbms.lock:
            if self._closed:
                raise errors.transaction_closed()
            found = recognise(query, STATEMENTS)
            if found is None:
                clause = leading_clause(query)
                if self._record.kind == "system" and clause:
                    raise errors.not_allowed_on_system(clause)
                raise errors.not_understood(query)
            statement, match = found
            if statement.kind.is_admin:
                record = dbms.databases[SYSTEM_DATABASE]
            else:
                record = self._still_available()
                if record.kind == "system" and not statement.system_ok:
                    raise errors.not_allowed_on_system(leading_clause(query) or statement.name)
            if statement.feature and dbms.edition == "community":
                raise errors.unsupported_in_community(query, statement.feature)
            if statement.feature == "CREATE DATABASE" and dbms.edition == "aura":
                raise errors.create_database_not_on_aura()
            self._check_mix(statement.kind, query)
            context = StatementContext(
                query, parameters or {}, dbms, record, self._graph_log, self._admin_log
            )
            savepoint = (len(self._graph_log), len(self._admin_log))
            try:
                result = statement.handler(context, match)
            except CypherFailure:
                self._undo(*savepoint)
                raise
            except Exception as error:  # a sandbox bug must still reach the client as FAILURE
                self._undo(*savepoint)
                raise errors.sandbox_fault(query, error) from error
            if statement.kind in _WRITES:
                self._write_kind = statement.kind
            result.query_type = statement.kind.query_type
            return result

    def commit(self) -> str:
        """Keep the writes; returns the bookmark for the client's next transaction."""
        with self._dbms.lock:
            if self._closed:
                raise errors.transaction_closed()
            self._closed = True
            if self._write_kind is not None:
                admin = self._write_kind is Kind.ADMIN_WRITE
                written = self._dbms.databases[SYSTEM_DATABASE] if admin else self._record
                written.last_committed_txn += 1
            self._graph_log.clear()
            self._admin_log.clear()
            return self._dbms.next_bookmark()

    def rollback(self) -> None:
        """Undo every write of this transaction; a second call does nothing."""
        with self._dbms.lock:
            if not self._closed:
                self._closed = True
                self._undo(0, 0)

    def _still_available(self) -> DatabaseRecord:
        """The database the transaction began on must still exist and be online.

        An alias re-pointed meanwhile does not move a running transaction (Neo4j may abort such
        transactions instead; which error it raises then is UNCONFIRMED).
        """
        dbms, record = self._dbms, self._record
        if dbms.databases.get(record.name) is not record:
            raise errors.database_not_found(self.database)
        if dbms.current_status(record) != "online":
            raise errors.database_unavailable(record.name)
        return record

    def _check_mix(self, kind: Kind, query: str) -> None:
        done = self._write_kind
        if kind in _WRITES and done is not None and done is not kind:
            raise errors.forbidden_mix(_WRITES[kind], _WRITES[done], query)

    def _undo(self, graph_to: int, admin_to: int) -> None:
        self._record.graph.undo(self._graph_log, graph_to)
        while len(self._admin_log) > admin_to:
            self._admin_log.pop()()
