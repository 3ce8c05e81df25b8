"""Driver exceptions turned into ``GraphError``s an operator can act on.

The engine only ever sees ``GraphError``: its ``transient`` flag decides whether a load is
retried, and its message is what the console shows. So the message says what went wrong in
the operator's terms ("database 'acme-1' does not exist") and keeps Neo4j's code beside it.
"""

from __future__ import annotations

from neo4j import exceptions as neo4j_errors

from bgtui.domain.graph import GateClosedError, GraphError

UNSUPPORTED_ADMIN = "Neo.ClientError.Statement.UnsupportedAdministrationCommand"
DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"
EXISTING_DATABASE = "Neo.ClientError.Database.ExistingDatabaseFound"
EXISTING_ALIAS = "Neo.ClientError.Database.ExistingAliasFound"
PROCEDURE_NOT_FOUND = "Neo.ClientError.Procedure.ProcedureNotFound"
NOT_SYSTEM_DATABASE = "Neo.ClientError.Statement.NotSystemDatabaseError"
DATABASE_LIMIT_REACHED = "Neo.DatabaseError.Database.DatabaseLimitReached"

#: A transaction ran out of memory: the batch is too big for the server's transaction memory
#: limits (``db.memory.transaction.max``, ``dbms.memory.transaction.total.max``), so the same
#: batch fails on every retry; the loader splits it instead
#: (https://neo4j.com/docs/status-codes/current/errors/all-errors/). The first two are
#: transient errors, the third a client error.
MEMORY_LIMIT_CODES = frozenset(
    {
        "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
        "Neo.TransientError.General.TransactionMemoryLimit",
        "Neo.ClientError.General.TransactionOutOfMemoryError",
    }
)


class EnterpriseRequiredError(GraphError):
    """The server offers one database and no aliases (Community or Aura): no blue/green."""


class CreateDatabaseRefusedError(GateClosedError):
    """The server does not allow CREATE DATABASE at all (Aura, or a server set up that way).

    Retrying per snapshot cannot help: the load gate closes with this reason instead.
    """

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message, lasting=True, code=code)


class DatabaseLimitError(GateClosedError):
    """Neo4j's ``dbms.max_databases`` is reached: loads wait until a database is dropped."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message, lasting=False, code=code)


class DatabaseStartFailedError(GraphError):
    """A new database is offline and Neo4j says why (``statusMessage``): waiting won't help."""


class LoadCancelledError(GraphError):
    """A load stopped between batches because bgtui asked it to."""


class BadDataError(GraphError):
    """The snapshot's rows broke a rule the database enforces (duplicate ids, missing nodes)."""


def enterprise_required(address: str, neo4j_message: str | None = None) -> EnterpriseRequiredError:
    said = f" (Neo4j said: {neo4j_message})" if neo4j_message else ""
    return EnterpriseRequiredError(
        f"Neo4j at {address} does not support multiple databases and aliases (Community "
        f"Edition or Aura); blue/green switching needs Neo4j Enterprise Edition{said}",
        code=UNSUPPORTED_ADMIN,
    )


def create_database_refused(address: str, code: str, neo4j_message: str) -> GraphError:
    """CREATE DATABASE refused outright, as Aura refuses it.

    Aura does not offer CREATE DATABASE
    (https://neo4j.com/docs/operations-manual/current/database-administration/standard-databases/create-databases/
    is marked "not on Aura"); the answer seen from AuraDB is "This is an administration
    command and it should be executed against the system database"
    (https://github.com/neo4j/graphql/pull/553). UNCONFIRMED: the code Aura sends with it.
    """
    return CreateDatabaseRefusedError(
        f"Neo4j at {address} does not allow CREATE DATABASE (Aura, or a server without "
        f"multiple databases), so bgtui cannot load snapshots there (Neo4j said: "
        f"{neo4j_message})",
        code=code,
    )


def translate(
    error: Exception,
    address: str,
    *,
    database: str | None = None,
    alias: str | None = None,
) -> GraphError:
    """The ``GraphError`` for a driver exception raised while talking to ``address``.

    Args:
        error: what the driver raised.
        address: the Neo4j URI, named in connection messages.
        database: the database the failed call was about, if any, for the message.
        alias: the alias the failed call was about, if any, for the message.
    """
    if isinstance(error, GraphError):
        return error
    if isinstance(error, neo4j_errors.DriverError):
        return _driver_side(error, address)
    if isinstance(error, neo4j_errors.Neo4jError):
        return _server_side(error, address, database, alias)
    if isinstance(error, OSError):
        return GraphError(f"Neo4j at {address}: {error.strerror or error}", transient=True)
    return GraphError(f"Neo4j at {address}: unexpected {type(error).__name__}: {error}")


def _driver_side(error: neo4j_errors.DriverError, address: str) -> GraphError:
    """Errors the driver raised itself: the connection, its pool, its configuration."""
    text = str(error)
    if isinstance(error, neo4j_errors.IncompleteCommit):
        return GraphError(
            f"Neo4j at {address}: the connection dropped while committing, so whether the "
            "change was saved is unknown",
            transient=True,
        )
    if isinstance(error, neo4j_errors.ServiceUnavailable):
        if "Connection refused" in text or isinstance(error.__cause__, ConnectionRefusedError):
            return GraphError(f"Neo4j at {address}: connection refused", transient=True)
        return GraphError(f"Neo4j at {address}: unreachable ({_first_line(text)})", transient=True)
    if isinstance(error, neo4j_errors.SessionExpired):
        return GraphError(
            f"Neo4j at {address}: the connection was lost ({_first_line(text)})", transient=True
        )
    if isinstance(error, neo4j_errors.ConnectionPoolError):
        return GraphError(
            f"Neo4j at {address}: no connection became free in time ({_first_line(text)})",
            transient=True,
        )
    if isinstance(error, neo4j_errors.ConfigurationError):
        return GraphError(f"Neo4j at {address}: the connection settings are not valid: {text}")
    return GraphError(f"Neo4j at {address}: {_first_line(text)}", transient=error.is_retryable())


def _server_side(
    error: neo4j_errors.Neo4jError, address: str, database: str | None, alias: str | None
) -> GraphError:
    """Errors Neo4j sent back (a FAILURE), classified by the Neo4j code as the driver does."""
    code = error.code or "Neo.DatabaseError.General.UnknownError"
    said = error.message or str(error)

    def failure(message: str, *, transient: bool = False) -> GraphError:
        return GraphError(message, transient=transient, code=code)

    if code == UNSUPPORTED_ADMIN:
        return enterprise_required(address, said)
    if code == NOT_SYSTEM_DATABASE and "CREATE DATABASE" in said.upper():
        return create_database_refused(address, code, said)
    if code == DATABASE_LIMIT_REACHED:
        return DatabaseLimitError(
            f"Neo4j's dbms.max_databases is reached, so no new database can be created "
            f"until one is dropped (Neo4j said: {said})",
            code=code,
        )
    if code in MEMORY_LIMIT_CODES:
        return failure(
            f"a transaction needed more memory than Neo4j allows one transaction "
            f"(db.memory.transaction.max / dbms.memory.transaction.total.max): {said}"
        )
    if isinstance(error, neo4j_errors.AuthError):
        return failure(f"Neo4j at {address} refused the user name or password ({said})")
    if isinstance(error, neo4j_errors.DatabaseUnavailable):
        which = f"database '{database}'" if database else "the database"
        return failure(
            f"{which} is not available right now (starting, stopping or offline); "
            f"Neo4j said: {said}",
            transient=True,
        )
    if isinstance(error, neo4j_errors.TransientError) or code.startswith("Neo.TransientError."):
        return failure(f"Neo4j reported a temporary problem: {said}", transient=True)
    if code == DATABASE_NOT_FOUND:
        missing = database or alias
        return failure(f"database '{missing}' does not exist" if missing else said)
    if code == EXISTING_DATABASE:
        taken = alias or database
        return failure(f"a database or alias named '{taken}' already exists" if taken else said)
    if code == EXISTING_ALIAS:
        return failure(
            f"database '{database}' still has an alias pointing at it; move the alias "
            f"before dropping the database (Neo4j said: {said})"
        )
    if isinstance(error, neo4j_errors.CypherSyntaxError):
        return failure(f"Neo4j rejected the statement as invalid Cypher: {said}")
    if isinstance(error, neo4j_errors.Forbidden):
        return failure(f"Neo4j at {address} does not allow this for the configured user: {said}")
    if code.startswith("Neo.DatabaseError."):
        return failure(f"Neo4j failed internally: {said}")
    return failure(f"Neo4j refused the request: {said}")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "no details"
