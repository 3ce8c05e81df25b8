"""The Neo4j errors the sandbox can raise, one factory per scenario.

Codes, legacy messages and GQL chains follow Neo4j's status codes
(https://neo4j.com/docs/status-codes/current/) so that
bgtui, talking through the real driver, sees the same exception class, ``.code`` and
``.gql_status`` a Neo4j 5 Enterprise server would give it. Where the reference marks a detail
UNCONFIRMED, the factory says so.
"""

from __future__ import annotations

from bgtui.sandbox.results import CypherFailure, GqlCause

# --- GQL status descriptions (Neo4j status-code docs) ----------------------

INVALID_SYNTAX = "error: syntax error or access rule violation - invalid syntax"
DATA_EXCEPTION = "error: data exception"


def _graph_exists(name: str) -> GqlCause:
    text = f"A graph reference with the name `{name}` already exists."
    return GqlCause(
        "42N11",
        "error: syntax error or access rule violation - graph reference already exists. " + text,
        text,
    )


def _graph_not_found(name: str) -> GqlCause:
    text = (
        f"A graph reference with the name `{name}` was not found. "
        "Verify that the spelling is correct."
    )
    return GqlCause(
        "42N00",
        "error: syntax error or access rule violation - graph reference not found. " + text,
        text,
    )


def _graph_not_found_in_data(name: str) -> GqlCause:
    text = (
        f"A graph reference with the name `{name}` was not found. "
        "Verify that the spelling is correct."
    )
    return GqlCause("22N51", "error: data exception - graph reference not found. " + text, text)


def _invalid_parameter(parameter: str, cause: GqlCause) -> GqlCause:
    text = f"Invalid parameter `${parameter}`."
    return GqlCause(
        "42N51",
        "error: syntax error or access rule violation - invalid parameter. " + text,
        text,
        cause,
    )


def _client(code: str, message: str, cause: GqlCause | None = None) -> CypherFailure:
    """A client error wrapped in 42001, the way Neo4j reports failed administration."""
    return CypherFailure(f"Neo.ClientError.{code}", message, "42001", INVALID_SYNTAX, cause)


# --- databases and aliases ---------------------------------------------------------------


def database_exists(name: str) -> CypherFailure:
    """CREATE DATABASE with a name already taken by a database or an alias."""
    return _client(
        "Database.ExistingDatabaseFound",
        f"Failed to create the specified database '{name}': Database name or alias already exists.",
        _graph_exists(name),
    )


def alias_exists(alias: str) -> CypherFailure:
    """CREATE ALIAS when an alias of that name exists."""
    return _client(
        "Database.ExistingDatabaseFound",
        f"Failed to create the specified database alias '{alias}': "
        "Database name or alias already exists.",
        _graph_exists(alias),
    )


def alias_name_is_database(alias: str) -> CypherFailure:
    """CREATE ALIAS when a database has that name (they share one namespace)."""
    return _client(
        "Database.ExistingDatabaseFound",
        f"Failed to create the specified database alias '{alias}': Database exists with that name.",
        _graph_exists(alias),
    )


def alias_target_missing(
    alias: str, target: str, action: str = "create", parameter: str | None = None
) -> CypherFailure:
    """CREATE/ALTER ALIAS whose target database does not exist.

    A target given as ``$parameter`` adds 42N51 to the chain (names as parameters). For ALTER the
    action word ("alter") is UNCONFIRMED.
    """
    cause = _graph_not_found(target)
    if parameter is not None:
        cause = _invalid_parameter(parameter, cause)
    return _client(
        "Database.DatabaseNotFound",
        f"Failed to {action} the specified database alias '{alias}': "
        f"Database '{target}' does not exist.",
        cause,
    )


def alias_missing(alias: str, action: str) -> CypherFailure:
    """ALTER/DROP ALIAS of an alias that does not exist (no IF EXISTS).

    UNCONFIRMED: the code, the chain and the message are the reference's best guess.
    """
    return _client(
        "Database.DatabaseNotFound",
        f"Failed to {action} the specified database alias '{alias}': "
        "Database alias does not exist.",
        _graph_not_found(alias),
    )


def database_missing(name: str, action: str) -> CypherFailure:
    """DROP/START/STOP of a database that does not exist; ``action`` is delete/start/stop."""
    return _client(
        "Database.DatabaseNotFound",
        f"Failed to {action} the specified database '{name}': Database does not exist.",
        _graph_not_found(name),
    )


def database_has_aliases(name: str, aliases: list[str]) -> CypherFailure:
    """DROP DATABASE (even IF EXISTS) while local aliases still target it."""
    listed = "[" + ", ".join(f"'{alias}'" for alias in sorted(aliases)) + "]"
    text = (
        f"The database identified by `{name}` has one or more aliases. "
        f"Drop the aliases `{listed}` before dropping the database."
    )
    return CypherFailure(
        "Neo.ClientError.Database.ExistingAliasFound",
        f"Failed to delete the specified database '{name}': Database has one or more aliases. "
        f"Drop the aliases: {listed} before dropping the database.",
        "42N82",
        "error: syntax error or access rule violation - cannot drop database with aliases. " + text,
    )


def database_not_found(name: str) -> CypherFailure:
    """A query (BEGIN or RUN) addressed to a database or alias that does not exist."""
    return CypherFailure(
        "Neo.ClientError.Database.DatabaseNotFound",
        f"Database does not exist. Database name: '{name}'.",
        "22000",
        DATA_EXCEPTION,
        _graph_not_found_in_data(name),
    )


def route_database_not_found(name: str) -> CypherFailure:
    """ROUTE for a database that does not exist (neo4j:// URIs).

    The 22000 status was seen in a real trace; the 22N51 cause below it is UNCONFIRMED.
    """
    return CypherFailure(
        "Neo.ClientError.Database.DatabaseNotFound",
        f"Unable to get a routing table for database '{name}' because this database does not exist",
        "22000",
        DATA_EXCEPTION,
        _graph_not_found_in_data(name),
    )


def database_unavailable(name: str) -> CypherFailure:
    """A query to a database that exists but is offline or still starting.

    UNCONFIRMED: the legacy message, and whether 08N09 stands alone or is wrapped.
    """
    text = (
        f"The database `{name}` is currently unavailable. "
        "Check the database status. Retry your request at a later time."
    )
    return CypherFailure(
        "Neo.TransientError.General.DatabaseUnavailable",
        f"Database '{name}' is unavailable.",
        "08N09",
        "error: connection exception - database unavailable. " + text,
    )


def unsupported_in_community(query: str, feature: str) -> CypherFailure:
    """An Enterprise-only administration command sent to a Community server.

    UNCONFIRMED: whether 51N27 is the top of the chain or a cause.
    """
    return CypherFailure(
        "Neo.ClientError.Statement.UnsupportedAdministrationCommand",
        f"Unsupported administration command: {query}",
        "51N27",
        "error: system configuration or operation exception - not supported in this edition. "
        f"`{feature}` is not supported in community edition.",
    )


def invalid_database_name(problem: str) -> CypherFailure:
    """A name Neo4j's DatabaseNameValidator refuses; ``problem`` is its message.

    UNCONFIRMED: the ArgumentError code over Bolt and the 22N05 status.
    """
    return CypherFailure(
        "Neo.ClientError.Statement.ArgumentError",
        problem,
        "22N05",
        "error: data exception - input failed validation. " + problem,
    )


def not_system_database_command() -> CypherFailure:
    """Neo4j 4.x answer to an administration command on a user database.

    Neo4j 5 routes such commands to ``system`` over Bolt, and so does the sandbox; this factory
    exists for completeness of the catalogue.
    """
    return CypherFailure(
        "Neo.ClientError.Statement.NotSystemDatabaseError",
        "This is an administration command and it should be executed against the system database.",
        "42001",
        INVALID_SYNTAX,
    )


def create_database_not_on_aura() -> CypherFailure:
    """CREATE DATABASE on Aura, which does not offer it.

    The manual marks the command "not-on-aura"
    (https://neo4j.com/docs/operations-manual/current/database-administration/standard-databases/create-databases/)
    and a Neo4j team member confirms it "is not supported on Aura"
    (https://github.com/neo4j/neo4j/issues/13264). The message is the one another project saw
    from AuraDB (https://github.com/neo4j/graphql/pull/553). UNCONFIRMED: the Neo4j code and
    GQL status Aura sends with it (the code is the one that message has on Neo4j 4.x), and
    whether Aura still answers this way.
    """
    return CypherFailure(
        "Neo.ClientError.Statement.NotSystemDatabaseError",
        "This is an administration command and it should be executed against the system "
        "database: CREATE DATABASE",
        "42001",
        INVALID_SYNTAX,
    )


def not_allowed_on_system(clause: str) -> CypherFailure:
    """A data query (MATCH, CREATE, ...) sent to the ``system`` database.

    UNCONFIRMED: the Neo4j code; NotSystemDatabaseError is what 4.x used for these.
    """
    text = f"`{clause}` is not allowed on the system database."
    rules = (
        "The system database supports a restricted set of Cypher clauses. The supported clauses "
        "include procedure calls (if the procedure is allowed), a subset of show and terminate "
        "commands, and combinations of the two. YIELD and RETURN are also permitted when "
        "combined with procedure calls, show, or terminate commands."
    )
    chain = GqlCause(
        "42N17",
        "error: syntax error or access rule violation - unsupported request. " + text,
        text,
        GqlCause(
            "42NA9",
            "error: syntax error or access rule violation - system database rules. " + rules,
            rules,
        ),
    )
    return _client("Statement.NotSystemDatabaseError", text, chain)


def system_database_protected(action: str) -> CypherFailure:
    """DROP or STOP of the ``system`` database, which Neo4j refuses."""
    return _client("Statement.NotSystemDatabaseError", f"Not allowed to {action} system database.")


# --- statements and parameters -----------------------------------------------------------


def not_understood(query: str, detail: str = "") -> CypherFailure:
    """A statement outside what the sandbox recognises: never a silent empty result."""
    extra = f" {detail}" if detail else ""
    return CypherFailure(
        "Neo.ClientError.Statement.SyntaxError",
        "The bgtui sandbox (a Neo4j stand-in, not a database) does not understand this "
        f"statement.{extra}\n{query}",
        "42001",
        INVALID_SYNTAX,
    )


def invalid_syntax(message: str) -> CypherFailure:
    """A statement the sandbox recognises but that Neo4j's parser would refuse."""
    return CypherFailure("Neo.ClientError.Statement.SyntaxError", message, "42001", INVALID_SYNTAX)


def parameter_missing(name: str) -> CypherFailure:
    """A ``$name`` in the statement without a value. UNCONFIRMED: the 42N51 status."""
    text = f"Invalid parameter `${name}`."
    return CypherFailure(
        "Neo.ClientError.Statement.ParameterMissing",
        f"Expected parameter(s): {name}",
        "42N51",
        "error: syntax error or access rule violation - invalid parameter. " + text,
    )


def parameter_type(name: str, expected: str, value: object) -> CypherFailure:
    """A parameter of the wrong type, e.g. a number where a database name belongs."""
    return CypherFailure(
        "Neo.ClientError.Statement.TypeError",
        f"Expected parameter ${name} to be {expected} but was {type(value).__name__}: {value!r}",
        "22G03",
        "error: data exception - invalid value type",
    )


def procedure_not_found(name: str) -> CypherFailure:
    """CALL of a procedure the sandbox does not provide. UNCONFIRMED: the 42N08 cause."""
    text = f"The procedure or function `{name}` was not found. Verify that the spelling is correct."
    return _client(
        "Procedure.ProcedureNotFound",
        f"There is no procedure with the name `{name}` registered for this database instance. "
        "Please ensure you've spelled the procedure name correctly and that the procedure is "
        "properly deployed.",
        GqlCause(
            "42N08",
            "error: syntax error or access rule violation - no such procedure or function. " + text,
            text,
        ),
    )


# --- transactions and schema -------------------------------------------------------------


def forbidden_mix(performing: str, performed: str, query: str) -> CypherFailure:
    """Schema, data and administration writes in one transaction.

    The two data/schema messages are the kernel's; the 25N01 chain is UNCONFIRMED.
    """
    text = (
        f"Failed to execute the query `{query}` due to conflicting statement types (read query, "
        "write query, schema modification, or administration command). To execute queries in "
        "the same transaction, they must be either of the same type, or be a combination of "
        "schema modifications and read commands."
    )
    return CypherFailure(
        "Neo.ClientError.Transaction.ForbiddenDueToTransactionType",
        f"Cannot perform {performing} in a transaction that has performed {performed}.",
        "25N01",
        "error: invalid transaction state - invalid combination of statement types. " + text,
    )


def transaction_closed() -> CypherFailure:
    return CypherFailure(
        "Neo.ClientError.Transaction.TransactionNotFound",
        "The transaction has already been committed or rolled back.",
        "25N05",
        "error: invalid transaction state - transaction closed",
    )


def constraint_violation(node_id: int, label: str, key: str, value: object) -> CypherFailure:
    """A write that would break a uniqueness constraint. UNCONFIRMED: the 22N79 status."""
    shown = cypher_repr(value)
    return CypherFailure(
        "Neo.ClientError.Schema.ConstraintValidationFailed",
        f"Node({node_id}) already exists with label `{label}` and property `{key}` = {shown}",
        "22N79",
        "error: data exception - property uniqueness constraint violated. "
        f"Property uniqueness constraint violated: `(:{label} {{{key}: {shown}}})`.",
    )


def constraint_creation_failed(
    name: str, label: str, key: str, first: int, second: int, value: object
) -> CypherFailure:
    """CREATE CONSTRAINT over data that already holds duplicates. UNCONFIRMED: the status."""
    return CypherFailure(
        "Neo.ClientError.Schema.ConstraintCreationFailed",
        f"Unable to create Constraint( name='{name}', type='UNIQUENESS', "
        f"schema=(:{label} {{{key}}}) ): Both Node({first}) and Node({second}) have the label "
        f"`{label}` and property `{key}` = {cypher_repr(value)}",
    )


def equivalent_constraint_exists(name: str, label: str, key: str) -> CypherFailure:
    """CREATE CONSTRAINT without IF NOT EXISTS when the same constraint exists."""
    return CypherFailure(
        "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
        f"An equivalent constraint already exists, 'Constraint( name='{name}', "
        f"type='UNIQUENESS', schema=(:{label} {{{key}}}) )'.",
    )


def constraint_name_taken(name: str) -> CypherFailure:
    """CREATE CONSTRAINT with a name another constraint already uses."""
    return CypherFailure(
        "Neo.ClientError.Schema.ConstraintWithNameAlreadyExists",
        f"There already exists a constraint called '{name}'.",
    )


def constraint_missing(name: str) -> CypherFailure:
    """DROP CONSTRAINT without IF EXISTS for a name that does not exist."""
    return CypherFailure(
        "Neo.ClientError.Schema.ConstraintDropFailed",
        f"Unable to drop constraint `{name}`: No such constraint {name}.",
    )


def sandbox_fault(query: str, error: Exception) -> CypherFailure:
    """An unexpected failure inside the sandbox itself, reported instead of crashing Bolt."""
    return CypherFailure(
        "Neo.DatabaseError.General.UnknownError",
        f"The bgtui sandbox failed on this statement ({type(error).__name__}: {error}):\n{query}",
    )


def cypher_repr(value: object) -> str:
    """A value the way Neo4j prints it in messages: strings in single quotes."""
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)
