"""Trouble on demand: slow statements, injected failures, dropped connections, sick databases.

Tests and the demo use ``Faults`` directly (``server.faults``). From outside the process the
same switches are procedures that the Bolt layer answers itself, before the statement reaches
the Dbms (so they work on any database, even one that is offline):

    CALL sandbox.fault.latency($ms)                     every statement waits this long first
    CALL sandbox.fault.failNext($pattern, $count, $code[, $message])
                                                        the next count statements whose text
                                                        matches the regex fail with that code
    CALL sandbox.fault.dropConnections()                close every other open connection
    CALL sandbox.fault.databaseOnline($name, $online)   take a database offline or back
    CALL sandbox.fault.heapUsedPercent($percent)        what the heap figures report
    CALL sandbox.fault.replicationLag($database, $transactions)
                                                        copies of that database but its writer
                                                        report this lag (0 ends it)
    CALL sandbox.fault.dropAfterNext($pattern)          the next statement matching the regex
                                                        runs and commits, then the connection
                                                        closes before the reply
    CALL sandbox.fault.failStart($database, $message)   the next CREATE DATABASE of that name
                                                        leaves it offline with this statusMessage
    CALL sandbox.fault.clear()                          latency and pending failures off

Arguments may be parameters or literals (numbers, quoted strings, true/false).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bgtui.sandbox.results import READ, CypherFailure, QueryResult

if TYPE_CHECKING:
    from bgtui.sandbox.dbms import Dbms

DEFAULT_FAILURE_MESSAGE = "Failure injected by the bgtui sandbox."

_PROCEDURE = re.compile(r"^\s*CALL\s+sandbox\.fault\.(\w+)\s*\((.*)\)\s*;?\s*$", re.S | re.I)
_ARGUMENT = re.compile(
    r"""\s*(?:\$(?P<param>\w+)|'(?P<single>(?:[^'\\]|\\.)*)'|"(?P<double>(?:[^"\\]|\\.)*)"
    |(?P<number>-?\d+(?:\.\d+)?)|(?P<bool>true|false))\s*(?:,|$)""",
    re.X | re.I,
)
# The code a fault procedure call that cannot be carried out fails with.
_PROCEDURE_FAILURE = "Neo.ClientError.Procedure.ProcedureCallFailed"


class FaultError(ValueError):
    """A fault that cannot be set up as asked (a bad regex, a malformed Neo4j code)."""


@dataclass
class _PendingFailure:
    pattern: re.Pattern[str]
    remaining: int
    neo4j_code: str
    message: str

    def failure(self) -> CypherFailure:
        return CypherFailure(self.neo4j_code, self.message, *_gql_for(self.neo4j_code))


class Faults:
    """The sandbox's fault switches; every method is safe to call from any thread.

    Args:
        dbms: the shared Dbms, for offline databases and heap figures.
        drop_connections: closes open connections; the server supplies it. Given a
            connection id, that one connection is spared.
    """

    def __init__(
        self, dbms: Dbms, drop_connections: Callable[[str | None], None] | None = None
    ) -> None:
        self._dbms = dbms
        self._drop = drop_connections
        self._lock = threading.Lock()
        self._latency = 0.0
        self._pending: list[_PendingFailure] = []
        self._drop_after: list[re.Pattern[str]] = []

    # --- switches ------------------------------------------------------------------------

    def set_latency(self, seconds: float) -> None:
        """Every statement waits this long before it runs (0 turns it off)."""
        if seconds < 0:
            raise FaultError(f"latency cannot be negative ({seconds} s)")
        with self._lock:
            self._latency = seconds

    @property
    def latency(self) -> float:
        with self._lock:
            return self._latency

    def fail_next(
        self,
        pattern: str,
        count: int = 1,
        neo4j_code: str = "Neo.TransientError.General.DatabaseUnavailable",
        message: str = DEFAULT_FAILURE_MESSAGE,
    ) -> None:
        """The next ``count`` statements whose text matches ``pattern`` fail with this code.

        A ``Neo.TransientError.*`` code makes the driver retry, as with a real server.
        """
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            raise FaultError(f"{pattern!r} is not a regular expression: {error}") from error
        pending = _PendingFailure(compiled, count, neo4j_code, message)
        try:
            pending.failure()
        except ValueError as error:
            raise FaultError(str(error)) from error
        if count < 1:
            raise FaultError(f"count must be at least 1, not {count}")
        with self._lock:
            self._pending.append(pending)

    def drop_after_next(self, pattern: str) -> None:
        """The next statement matching ``pattern`` runs and commits; then its connection closes.

        The client never hears the outcome: through a transaction function the driver raises
        ``IncompleteCommit`` (the connection died during COMMIT), as with a real server that
        loses the connection at that moment.
        """
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            raise FaultError(f"{pattern!r} is not a regular expression: {error}") from error
        with self._lock:
            self._drop_after.append(compiled)

    def drops_after(self, query: str) -> bool:
        """Whether this statement is the one to cut off after its commit (consumes the fault)."""
        with self._lock:
            for pattern in self._drop_after:
                if pattern.search(query):
                    self._drop_after.remove(pattern)
                    return True
        return False

    def clear(self) -> None:
        """No latency, no pending failures or drops (offline databases, lag, heap stay)."""
        with self._lock:
            self._latency = 0.0
            self._pending.clear()
            self._drop_after.clear()

    def drop_connections(self, spare: str | None = None) -> None:
        """Close every open connection now (but the one called ``spare``)."""
        if self._drop is not None:
            self._drop(spare)

    def set_database_online(self, name: str, online: bool) -> None:
        self._dbms.set_database_online(name, online)

    def set_heap_used_percent(self, percent: float) -> None:
        self._dbms.set_heap_used_percent(percent)

    def set_replication_lag(self, database: str, transactions: int) -> None:
        self._dbms.set_replication_lag(database, transactions)

    def fail_start(self, database: str, message: str) -> None:
        """The next CREATE DATABASE of ``database`` leaves it offline, saying ``message``."""
        if not message:
            raise FaultError("a failed start needs a statusMessage")
        with self._dbms.lock:
            self._dbms.fail_start[database.lower()] = message

    # --- what the Bolt layer calls ----------------------------------------------------------

    def before_statement(self, query: str, interrupted: threading.Event) -> bool:
        """Wait out the latency, then raise an injected failure if one matches.

        Returns False when ``interrupted`` was set during the wait (the connection is closing).

        Raises:
            CypherFailure: a pending failure matched the query text.
        """
        latency = self.latency
        if latency and interrupted.wait(latency):
            return False
        with self._lock:
            for pending in self._pending:
                if pending.pattern.search(query):
                    pending.remaining -= 1
                    if not pending.remaining:
                        self._pending.remove(pending)
                    raise pending.failure()
        return True

    def intercept(
        self, query: str, parameters: dict[str, Any], connection_id: str
    ) -> QueryResult | None:
        """Answer a ``CALL sandbox.fault.*`` procedure, or None for any other statement.

        Raises:
            CypherFailure: an unknown fault procedure or unusable arguments.
        """
        match = _PROCEDURE.match(query)
        if match is None:
            return None
        name, arguments = match.group(1), _arguments(match.group(2), parameters)
        try:
            outcome = self._call(name, arguments, connection_id)
        except (FaultError, TypeError, ValueError) as error:
            # GQL 52N37 ("procedure execution error") is UNCONFIRMED for this case.
            raise CypherFailure(
                _PROCEDURE_FAILURE,
                f"Failed to invoke procedure `sandbox.fault.{name}`: {error}",
                "52N37",
                "error: procedure exception - procedure execution error. "
                f"Execution of the procedure sandbox.fault.{name}() failed.",
            ) from error
        return QueryResult(["message"], [[outcome]], query_type=READ)

    def _call(self, name: str, arguments: list[Any], connection_id: str) -> str:
        if name == "latency":
            (milliseconds,) = arguments
            self.set_latency(float(milliseconds) / 1000)
            return f"every statement now waits {float(milliseconds):g} ms"
        if name == "failNext":
            pattern, count, code, *message = arguments
            self.fail_next(str(pattern), int(count), str(code), *map(str, message[:1]))
            return f"the next {int(count)} statements matching {pattern!r} fail with {code}"
        if name == "dropConnections" and not arguments:
            self.drop_connections(spare=connection_id)
            return "every other connection was closed"
        if name == "databaseOnline":
            database, online = arguments
            self.set_database_online(str(database), bool(online))
            return f"database {database!r} is {'online' if online else 'offline'}"
        if name == "heapUsedPercent":
            (percent,) = arguments
            self.set_heap_used_percent(float(percent))
            return f"heap use is now {float(percent):g}%"
        if name == "replicationLag":
            database, transactions = arguments
            if not isinstance(transactions, int) or isinstance(transactions, bool):
                raise FaultError(f"a lag is a whole number of transactions, not {transactions!r}")
            self.set_replication_lag(str(database), transactions)
            return f"copies of {database!r} now report a replication lag of {transactions}"
        if name == "dropAfterNext":
            (pattern,) = arguments
            self.drop_after_next(str(pattern))
            return f"the next statement matching {pattern!r} commits, then its connection closes"
        if name == "failStart":
            database, message = arguments
            self.fail_start(str(database), str(message))
            return f"the next CREATE DATABASE {database!r} leaves it offline"
        if name == "clear" and not arguments:
            self.clear()
            return "latency and pending failures cleared"
        raise FaultError(f"there is no fault procedure {name} taking {len(arguments)} arguments")


def _arguments(text: str, parameters: dict[str, Any]) -> list[Any]:
    values: list[Any] = []
    at = 0
    text = text.strip()
    while at < len(text):
        match = _ARGUMENT.match(text, at)
        if match is None:
            raise CypherFailure(
                "Neo.ClientError.Statement.SyntaxError",
                f"Invalid input '{text[at:]}': expected a parameter or a literal",
                "42001",
                "error: syntax error or access rule violation - invalid syntax",
            )
        at = match.end()
        if match["param"] is not None:
            if match["param"] not in parameters:
                raise CypherFailure(
                    "Neo.ClientError.Statement.ParameterMissing",
                    f"Expected parameter(s): {match['param']}",
                    "42N51",
                    "error: syntax error or access rule violation - invalid parameter. "
                    f"Invalid parameter `${match['param']}`.",
                )
            values.append(parameters[match["param"]])
        elif match["single"] is not None or match["double"] is not None:
            quoted = match["single"] if match["single"] is not None else match["double"]
            values.append(re.sub(r"\\(.)", r"\1", quoted))
        elif match["number"] is not None:
            number = match["number"]
            values.append(float(number) if "." in number else int(number))
        else:
            values.append(match["bool"].lower() == "true")
    return values


#: Codes named in Neo4j's status-code list
#: (https://neo4j.com/docs/status-codes/current/errors/all-errors/) that bgtui reacts to,
#: with a GQL status and description. UNCONFIRMED: which GQL status a real server pairs with
#: each (the driver chooses its exception from the Neo4j code alone).
KNOWN_CODES: dict[str, tuple[str, str]] = {
    "Neo.TransientError.General.DatabaseUnavailable": (
        "08N09",
        "error: connection exception - database unavailable",
    ),
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError": (
        "51N46",
        "error: system configuration or operation exception - memory pool limit exceeded",
    ),
    "Neo.TransientError.General.TransactionMemoryLimit": (
        "51N46",
        "error: system configuration or operation exception - memory pool limit exceeded",
    ),
    "Neo.ClientError.General.TransactionOutOfMemoryError": (
        "51N46",
        "error: system configuration or operation exception - memory pool limit exceeded",
    ),
    "Neo.DatabaseError.Database.DatabaseLimitReached": (
        "51N18",
        "error: system configuration or operation exception - database limit reached",
    ),
}


def _gql_for(neo4j_code: str) -> tuple[str, str]:
    """A plausible GQL status for an injected failure; the driver keys on the Neo4j code.

    UNCONFIRMED: the statuses and descriptions a real server pairs with these codes.
    """
    if neo4j_code in KNOWN_CODES:
        return KNOWN_CODES[neo4j_code]
    if ".TransientError." in neo4j_code:
        return "50N00", "error: general processing exception - internal error"
    return "50N42", "error: general processing exception - unexpected error"
