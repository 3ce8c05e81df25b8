"""One Bolt connection's state machine: requests in, replies out.

https://neo4j.com/docs/bolt/current/bolt/message/ describes the messages and states.

``BoltSession`` knows nothing of sockets: ``handle`` takes one request and returns the chunked
bytes of its replies, so the state machine is tested message by message (``server.py`` runs
it over a socket). What a statement does is the Dbms's business; this layer adds
transactions-per-connection, result cursors, summaries, failures and the FAILED state.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from bgtui.sandbox.faults import Faults
from bgtui.sandbox.packstream import PackStreamError
from bgtui.sandbox.results import CypherFailure, QueryResult
from bgtui.sandbox.wire import BoltVersion, ConnectionClosed, encode_message

if TYPE_CHECKING:
    from bgtui.sandbox.dbms import Dbms, Transaction

log = logging.getLogger(__name__)

HELLO, GOODBYE, LOGON, LOGOFF, TELEMETRY = 0x01, 0x02, 0x6A, 0x6B, 0x54
RUN, PULL, DISCARD, BEGIN, COMMIT, ROLLBACK = 0x10, 0x3F, 0x2F, 0x11, 0x12, 0x13
RESET, ROUTE = 0x0F, 0x66
SUCCESS, RECORD, IGNORED, FAILURE = 0x70, 0x71, 0x7E, 0x7F

ROUTING_TTL_SECONDS = 300
_INVALID = "Neo.ClientError.Request.Invalid"
_UNAUTHORIZED = "Neo.ClientError.Security.Unauthorized"


class State(Enum):
    CONNECTED = "CONNECTED"  # handshake done, HELLO expected
    AUTHENTICATION = "AUTHENTICATION"  # LOGON expected
    READY = "READY"
    STREAMING = "STREAMING"  # an auto-commit result is open
    TX_READY = "TX_READY"
    TX_STREAMING = "TX_STREAMING"  # a result inside an explicit transaction is open
    FAILED = "FAILED"  # everything but RESET is IGNORED
    DEFUNCT = "DEFUNCT"  # the connection must close


class _Refused(Exception):
    """A request the current state does not allow, or with malformed fields."""


@dataclass
class Cursor:
    """The rows of one RUN not yet pulled."""

    result: QueryResult
    database: str
    bookmark: str | None  # auto-commit only: the commit already happened
    started: float
    position: int = 0


class BoltSession:
    """The server side of one connection, from HELLO to GOODBYE.

    Args:
        dbms: the shared statement engine.
        faults: fault switches consulted before every statement.
        connection_id: ``bolt-N``, as Neo4j names connections.
        version: the Bolt version the handshake agreed.
        address: ``host:port`` to list in ROUTE replies when the client sent none.
        interrupted: set when the server closes the connection, to cut injected waits short.
    """

    def __init__(
        self,
        dbms: Dbms,
        faults: Faults,
        connection_id: str,
        version: BoltVersion,
        address: str,
        interrupted: threading.Event | None = None,
    ) -> None:
        self.dbms = dbms
        self.faults = faults
        self.connection_id = connection_id
        self.version = version
        self.address = address
        self.interrupted = interrupted or threading.Event()
        self.state = State.CONNECTED
        self._routing: dict[str, Any] | None = None
        self._tx: Transaction | None = None
        self._tx_cursors: dict[int, Cursor] = {}
        self._next_qid = 0
        self._auto: Cursor | None = None
        self._drop_on_commit = False  # sandbox.fault.dropAfterNext matched in this transaction
        self._handlers: dict[int, tuple[Callable[..., bytes], int]] = {
            HELLO: (self._hello, 1),
            LOGON: (self._logon, 1),
            LOGOFF: (self._logoff, 0),
            TELEMETRY: (self._telemetry, 1),
            RUN: (self._run, 3),
            PULL: (self._pull, 1),
            DISCARD: (self._discard, 1),
            BEGIN: (self._begin, 1),
            COMMIT: (self._commit, 0),
            ROLLBACK: (self._rollback, 0),
            ROUTE: (self._route, 3),
        }

    @property
    def closed(self) -> bool:
        return self.state is State.DEFUNCT

    def handle(self, tag: int, fields: list[Any]) -> bytes:
        """Answer one request; returns the replies' bytes (maybe none, for GOODBYE)."""
        if tag == GOODBYE:
            self.close()
            return b""
        if tag == RESET:
            return self._reset()
        if self.state is State.FAILED:
            return encode_message(IGNORED)
        try:
            if tag not in self._handlers:
                raise _Refused(f"Unsupported message 0x{tag:02X}")
            handler, arity = self._handlers[tag]
            if len(fields) != arity:
                raise _Refused(f"Message 0x{tag:02X} takes {arity} fields, not {len(fields)}")
            return handler(*fields)
        except _Refused as error:
            return self._refuse(error)
        except CypherFailure as failure:
            return self._fail(failure)
        except ConnectionClosed:
            raise
        except Exception as error:  # a sandbox bug must reach the client as a FAILURE
            log.exception("%s: request 0x%02X failed unexpectedly", self.connection_id, tag)
            return self._fail(
                CypherFailure(
                    "Neo.DatabaseError.General.UnknownError",
                    f"The sandbox failed unexpectedly: {type(error).__name__}: {error}",
                )
            )

    def close(self) -> None:
        """Roll back whatever is open; the connection is finished."""
        self._end_transaction()
        self.state = State.DEFUNCT

    # --- connection and authentication ---------------------------------------------------

    def _hello(self, extra: dict[str, Any]) -> bytes:
        self._expect(State.CONNECTED)
        self._routing = extra.get("routing")
        with self.dbms.lock:  # what the driver asked to be spared (Bolt 5.2+), for tests
            self.dbms.notification_filters_seen.append(extra.get("notifications_minimum_severity"))
        self.state = State.AUTHENTICATION
        metadata: dict[str, Any] = {
            "server": f"Neo4j/{self.dbms.version}",
            "connection_id": self.connection_id,
            "hints": {"telemetry.enabled": True},
        }
        if self.version.major >= 6:
            # SUCCESS metadata (Bolt message docs, above): sent after a manifest handshake;
            # its exact form is UNCONFIRMED.
            metadata["protocol_version"] = str(self.version)
        return _success(metadata)

    def _logon(self, auth: dict[str, Any]) -> bytes:
        self._expect(State.AUTHENTICATION)
        principal, credentials = auth.get("principal"), auth.get("credentials")
        if (
            auth.get("scheme") == "basic"
            and isinstance(principal, str)
            and isinstance(credentials, str)
            and self.dbms.authenticate(principal, credentials)
        ):
            self.state = State.READY
            return _success({})
        # The legacy message is Neo4j's; the GQL status 42NFF and its description are
        # UNCONFIRMED for a wrong password.
        failure = CypherFailure(
            _UNAUTHORIZED,
            "The client is unauthorized due to authentication failure.",
            "42NFF",
            "error: syntax error or access rule violation - permission/access denied. "
            "Access denied, see the security logs for details.",
        )
        return self._fail(failure)

    def _logoff(self) -> bytes:
        self._expect(State.READY)
        self.state = State.AUTHENTICATION
        return _success({})

    def _telemetry(self, api: int) -> bytes:
        self._expect(State.READY, State.TX_READY)
        return _success({})

    def _reset(self) -> bytes:
        self._end_transaction()
        if self.state not in (State.CONNECTED, State.AUTHENTICATION, State.DEFUNCT):
            self.state = State.READY
        return _success({})

    # --- statements ------------------------------------------------------------------------

    def _run(self, query: str, parameters: dict[str, Any], extra: dict[str, Any]) -> bytes:
        self._expect(State.READY, State.TX_READY, State.TX_STREAMING)
        started = time.monotonic()
        if self.state is State.READY:
            return self._run_auto_commit(query, parameters, extra, started)
        assert self._tx is not None
        result = self._intercepted(query, parameters) or self._statement(
            query, parameters, self._tx
        )
        qid, self._next_qid = self._next_qid, self._next_qid + 1
        database = result.database or self._tx.database
        self._tx_cursors[qid] = Cursor(result, database, None, started)
        self.state = State.TX_STREAMING
        return _success({"fields": result.fields, "t_first": _ms_since(started), "qid": qid})

    def _run_auto_commit(
        self, query: str, parameters: dict[str, Any], extra: dict[str, Any], started: float
    ) -> bytes:
        requested = extra.get("db")
        bookmark = None
        result = self._intercepted(query, parameters)
        if result is None:
            self._saw_bookmarks(requested, extra)
            tx = self.dbms.begin(requested)
            try:
                result = self._statement(query, parameters, tx)
            except BaseException:
                tx.rollback()
                raise
            bookmark = tx.commit()
            self._drop_if_asked()
        database = result.database or requested or self.dbms.default_database()
        self._auto = Cursor(result, database, bookmark, started)
        self.state = State.STREAMING
        metadata: dict[str, Any] = {"fields": result.fields, "t_first": _ms_since(started)}
        if requested is None and self.version >= BoltVersion(5, 8):
            metadata["db"] = database  # 5.8 reports the home database it resolved
        return _success(metadata)

    def _statement(self, query: str, parameters: dict[str, Any], tx: Transaction) -> QueryResult:
        """Faults first (latency, injected failures), then the Dbms."""
        if not self.faults.before_statement(query, self.interrupted):
            raise ConnectionClosed("the server closed the connection during a statement")
        result = tx.run(query, parameters)
        if self.faults.drops_after(query):
            self._drop_on_commit = True
        return result

    def _drop_if_asked(self) -> None:
        """After a commit: close the connection before replying if dropAfterNext matched."""
        if self._drop_on_commit:
            self._drop_on_commit = False
            self.state = State.DEFUNCT
            raise ConnectionClosed("sandbox.fault.dropAfterNext: closed after the commit")

    def _saw_bookmarks(self, database: str | None, extra: dict[str, Any]) -> None:
        bookmarks = extra.get("bookmarks") or []
        with self.dbms.lock:
            self.dbms.bookmarks_seen.append((database or "", [str(b) for b in bookmarks]))

    def _intercepted(self, query: str, parameters: dict[str, Any]) -> QueryResult | None:
        return self.faults.intercept(query, parameters, self.connection_id)

    def _pull(self, extra: dict[str, Any]) -> bytes:
        return self._stream(extra, send_records=True)

    def _discard(self, extra: dict[str, Any]) -> bytes:
        return self._stream(extra, send_records=False)

    def _stream(self, extra: dict[str, Any], send_records: bool) -> bytes:
        self._expect(State.STREAMING, State.TX_STREAMING)
        size = extra.get("n", -1)
        if not isinstance(size, int) or size == 0 or size < -1:
            raise _Refused(f"Expecting fetch size n to be -1 or positive, not {size!r}")
        qid, cursor = self._cursor(extra.get("qid", -1))
        rows = cursor.result.records
        end = len(rows) if size == -1 else min(len(rows), cursor.position + size)
        out = bytearray()
        if send_records:
            try:
                for row in rows[cursor.position : end]:
                    out += encode_message(RECORD, row)
            except PackStreamError as error:
                raise CypherFailure(
                    "Neo.DatabaseError.General.UnknownError", f"A result cannot be sent: {error}"
                ) from error
        cursor.position = end
        if end < len(rows):
            return bytes(out + _success({"has_more": True}))
        self._close_cursor(qid)
        return bytes(out + _success(self._summary(cursor)))

    def _cursor(self, qid: Any) -> tuple[int | None, Cursor]:
        if self.state is State.STREAMING:
            assert self._auto is not None
            return None, self._auto
        if qid == -1:
            qid = max(self._tx_cursors)
        if qid not in self._tx_cursors:
            raise _Refused(f"No open result with qid {qid!r}")
        return qid, self._tx_cursors[qid]

    def _close_cursor(self, qid: int | None) -> None:
        if qid is None:
            self._auto = None
            self.state = State.READY
            return
        del self._tx_cursors[qid]
        if not self._tx_cursors:
            self.state = State.TX_READY

    def _summary(self, cursor: Cursor) -> dict[str, Any]:
        result = cursor.result
        summary: dict[str, Any] = {
            "t_last": _ms_since(cursor.started),
            "type": result.query_type,
            "db": cursor.database,
        }
        if cursor.bookmark is not None:
            summary["bookmark"] = cursor.bookmark
        if result.stats:
            summary["stats"] = dict(result.stats)
        return summary

    # --- explicit transactions -----------------------------------------------------------

    def _begin(self, extra: dict[str, Any]) -> bytes:
        self._expect(State.READY)
        requested = extra.get("db")
        self._saw_bookmarks(requested, extra)
        self._tx = self.dbms.begin(requested)
        self._tx_cursors.clear()
        self._next_qid = 0
        self.state = State.TX_READY
        if requested is None and self.version >= BoltVersion(5, 8):
            return _success({"db": self._tx.database})
        return _success({})

    def _commit(self) -> bytes:
        self._expect(State.TX_READY, State.TX_STREAMING)
        tx, self._tx = self._tx, None
        assert tx is not None
        self._tx_cursors.clear()
        self.state = State.READY
        bookmark = tx.commit()
        self._drop_if_asked()
        return _success({"bookmark": bookmark})

    def _rollback(self) -> bytes:
        self._expect(State.TX_READY, State.TX_STREAMING)
        self._end_transaction()
        self.state = State.READY
        return _success({})

    def _end_transaction(self) -> None:
        tx, self._tx = self._tx, None
        self._tx_cursors.clear()
        self._auto = None
        self._drop_on_commit = False
        if tx is not None:
            tx.rollback()

    # --- routing ---------------------------------------------------------------------------

    def _route(self, routing: dict[str, Any], bookmarks: list[Any], extra: dict[str, Any]) -> bytes:
        self._expect(State.READY)
        database = self.dbms.resolve_for_route(extra.get("db"))
        members = self.dbms.route(database)
        if members is None:  # standalone: this server, as the client addressed it
            address = (routing or {}).get("address") or (self._routing or {}).get("address")
            members = {role: [address or self.address] for role in ("ROUTE", "READ", "WRITE")}
        servers = [
            {"addresses": members[role], "role": role} for role in ("ROUTE", "READ", "WRITE")
        ]
        return _success({"rt": {"ttl": ROUTING_TTL_SECONDS, "db": database, "servers": servers}})

    # --- failure ---------------------------------------------------------------------------

    def _expect(self, *allowed: State) -> None:
        if self.state not in allowed:
            raise _Refused(
                f"The message cannot be handled by a session in the {self.state.value} state."
            )

    def _refuse(self, error: _Refused) -> bytes:
        failure = CypherFailure(_INVALID, str(error), "50N42")
        return self._fail(failure)

    def _fail(self, failure: CypherFailure) -> bytes:
        """FAILURE, then FAILED (or DEFUNCT before authentication: Bolt closes then)."""
        if self.state in (State.CONNECTED, State.AUTHENTICATION):
            self.state = State.DEFUNCT
        else:
            self.state = State.FAILED
        self._end_transaction()
        metadata = failure.to_metadata(self.version.minor, self.version.major)
        return encode_message(FAILURE, metadata)


def _success(metadata: dict[str, Any]) -> bytes:
    return encode_message(SUCCESS, metadata)


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
