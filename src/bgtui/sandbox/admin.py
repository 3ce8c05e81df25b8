"""The administration commands the sandbox answers on ``system``: databases and aliases.

Syntax, results and errors follow Neo4j's administration docs
(https://neo4j.com/docs/operations-manual/current/database-administration/syntax/): names as
``$parameters``,
backtick-quoted or plain (all lower-cased), databases and aliases in one namespace, WAIT
returning its one ``address, state, message, success`` row, ``system-updates`` counters, and
the Enterprise-only commands refused by a Community server. Every change registers an undo
step, so a failing statement or a ROLLBACK leaves the catalogue as it was.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bgtui.domain.names import database_name_problem
from bgtui.sandbox import errors
from bgtui.sandbox.cypher_text import parameter, read_value, resolve_name
from bgtui.sandbox.recognition import Kind, Statement, StatementContext
from bgtui.sandbox.results import QueryResult
from bgtui.sandbox.show_commands import show_aliases, show_databases, show_default_database

if TYPE_CHECKING:
    from bgtui.sandbox.catalogue import DatabaseRecord

Row = dict[str, Any]

WAIT_COLUMNS = ["address", "state", "message", "success"]


# --- changing the catalogue, with undo -------------------------------------------------------


def _add_database(ctx: StatementContext, record: DatabaseRecord) -> None:
    databases = ctx.dbms.databases
    databases[record.name] = record

    def undo() -> None:
        if databases.get(record.name) is record:
            del databases[record.name]

    ctx.admin_log.append(undo)


def _remove_database(ctx: StatementContext, record: DatabaseRecord) -> None:
    databases = ctx.dbms.databases
    del databases[record.name]

    def undo() -> None:
        databases.setdefault(record.name, record)

    ctx.admin_log.append(undo)


def _set_alias(ctx: StatementContext, name: str, target: str | None, props: Row | None) -> None:
    """Create, re-point or (with ``target`` None) drop an alias."""
    from bgtui.sandbox.catalogue import Alias

    aliases = ctx.dbms.aliases
    before = aliases.get(name)
    if target is None:
        del aliases[name]
    elif before is None:
        aliases[name] = Alias(name, target, props or {})
    else:
        aliases[name] = Alias(name, target, {**before.properties, **(props or {})})
    after = aliases.get(name)

    def undo() -> None:
        if aliases.get(name) is after:
            if before is None:
                aliases.pop(name, None)
            else:
                aliases[name] = before

    ctx.admin_log.append(undo)


_STATUS_FIELDS = ("requested_status", "failed", "online_from", "last_start", "last_stop")


def _change_status(
    ctx: StatementContext, record: DatabaseRecord, change: Callable[[], None]
) -> None:
    saved = {name: getattr(record, name) for name in _STATUS_FIELDS}
    change()

    def undo() -> None:
        for name, value in saved.items():
            setattr(record, name, value)

    ctx.admin_log.append(undo)


# --- commands --------------------------------------------------------------------------------


def _waits(match: re.Match[str]) -> bool:
    wait = match.groupdict().get("wait") or ""
    return wait.upper().startswith("WAIT")


def _done(ctx: StatementContext, match: re.Match[str], updates: int) -> QueryResult:
    """No records, or under WAIT one row per server (a standalone server has one).

    UNCONFIRMED: that a WAIT command which changed nothing (IF EXISTS, IF NOT EXISTS) still
    reports the row.
    """
    stats: dict[str, int | bool] = {}
    if updates:
        stats = {"system-updates": updates, "contains-system-updates": True}
    if _waits(match):
        rows: list[list[Any]] = [
            [address, "CaughtUp", "caught up", True] for address in ctx.dbms.addresses
        ]
        return QueryResult(list(WAIT_COLUMNS), rows, stats)
    return QueryResult([], [], stats)


def _both_modifiers(match: re.Match[str], what: str, name: str) -> None:
    if match["replace"] and match["if_not_exists"]:
        raise errors.invalid_syntax(
            f"Failed to create the specified {what} '{name}': cannot have both `OR REPLACE` and "
            "`IF NOT EXISTS`."
        )


def create_database(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    dbms = ctx.dbms
    name, _ = resolve_name(match["name"], ctx.parameters)
    _both_modifiers(match, "database", name)
    problem = database_name_problem(name)
    if problem:
        raise errors.invalid_database_name(problem)
    updates = 0
    if name in dbms.aliases or name in dbms.databases:
        if match["if_not_exists"]:
            return _done(ctx, match, 0)
        if not match["replace"] or name in dbms.aliases:
            raise errors.database_exists(name)
        updates += _drop(ctx, dbms.databases[name], cascade=False)
    topology = _topology(match["topology"], ctx.parameters)
    _add_database(ctx, dbms.new_database(name, wait=_waits(match), topology=topology))
    return _done(ctx, match, updates + 1)


_TOPOLOGY_PART = re.compile(r"(\$\w+|\d+)\s+(PRIMAR|SECONDAR)", re.IGNORECASE)


def _topology(text: str | None, parameters: Mapping[str, Any]) -> tuple[int, int]:
    """``TOPOLOGY n PRIMARIES [m SECONDARIES]``; without it the server defaults, 1 and 0.

    The defaults are ``initial.dbms.default_primaries_count`` = 1 and
    ``initial.dbms.default_secondaries_count`` = 0
    (https://neo4j.com/docs/operations-manual/current/clustering/databases/). UNCONFIRMED:
    Neo4j's message for a count below 1 primary; the sandbox's is its own.
    """
    primaries, secondaries = 1, 0
    for count, kind in _TOPOLOGY_PART.findall(text or ""):
        value = parameter(parameters, count) if count.startswith("$") else int(count)
        if not isinstance(value, int) or isinstance(value, bool):
            raise errors.parameter_type(count.lstrip("$"), "an Integer", value)
        if kind.upper() == "PRIMAR":
            primaries = value
        else:
            secondaries = value
    if primaries < 1 or secondaries < 0:
        raise errors.invalid_syntax(
            f"Failed to create the specified database: a topology needs at least 1 primary "
            f"and no negative secondaries, not {primaries} and {secondaries}."
        )
    return primaries, secondaries


def _drop(ctx: StatementContext, record: DatabaseRecord, *, cascade: bool) -> int:
    aliases = ctx.dbms.aliases_of(record.name)
    if aliases and not cascade:
        raise errors.database_has_aliases(record.name, aliases)
    for alias in aliases:
        _set_alias(ctx, alias, None, None)
    _remove_database(ctx, record)
    return 1


def drop_database(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    name, _ = resolve_name(match["name"], ctx.parameters)
    if name == "system":
        raise errors.system_database_protected("delete")
    record = ctx.dbms.databases.get(name)
    if record is None:
        if match["if_exists"]:
            return _done(ctx, match, 0)
        raise errors.database_missing(name, "delete")
    cascade = (match["aliases"] or "").upper().startswith("CASCADE")
    return _done(ctx, match, _drop(ctx, record, cascade=cascade))


def _existing(ctx: StatementContext, match: re.Match[str], action: str) -> DatabaseRecord:
    name, _ = resolve_name(match["name"], ctx.parameters)
    record = ctx.dbms.databases.get(name)
    if record is None:
        raise errors.database_missing(name, action)
    return record


def start_database(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    dbms, record = ctx.dbms, _existing(ctx, match, "start")
    delay = 0.0 if _waits(match) else dbms.start_delay_seconds

    def start() -> None:
        if record.requested_status == "offline" or record.failed:
            record.online_from = dbms.clock() + delay
            record.last_start = time.time()
        record.requested_status, record.failed = "online", False

    _change_status(ctx, record, start)
    return _done(ctx, match, 1)


def stop_database(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    record = _existing(ctx, match, "stop")
    if record.kind == "system":
        raise errors.system_database_protected("stop")

    def stop() -> None:
        if record.requested_status == "online":
            record.last_stop = time.time()
        record.requested_status = "offline"

    _change_status(ctx, record, stop)
    return _done(ctx, match, 1)


def _alias_problem(name: str) -> str | None:
    """Alias names, as Neo4j checks them. UNCONFIRMED: Neo4j's wording for these messages.

    https://neo4j.com/docs/operations-manual/current/database-administration/aliases/naming-aliases/
    """
    if not name:
        return "The provided alias name is empty."
    for prefix in ("system", "_"):
        if name.startswith(prefix):
            return f"Alias name '{name}' is invalid, due to the prefix '{prefix}'."
    if name.endswith("."):
        return f"Alias name '{name}' is invalid, as it ends with a dot."
    return None


def _properties(ctx: StatementContext, match: re.Match[str]) -> Row | None:
    text = match["properties"]
    if not text:
        return None
    value = read_value(text, ctx.parameters)
    return {str(key).lower(): item for key, item in value.items()}  # shown lower-cased


def create_alias(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    dbms = ctx.dbms
    alias, _ = resolve_name(match["name"], ctx.parameters)
    target, target_parameter = resolve_name(match["target"], ctx.parameters)
    _both_modifiers(match, "database alias", alias)
    problem = _alias_problem(alias)
    if problem:
        raise errors.invalid_database_name(problem)
    updates = 0
    if alias in dbms.databases:
        if match["if_not_exists"]:
            return _done(ctx, match, 0)
        raise errors.alias_name_is_database(alias)
    if alias in dbms.aliases:
        if match["if_not_exists"]:
            return _done(ctx, match, 0)
        if not match["replace"]:
            raise errors.alias_exists(alias)
        _set_alias(ctx, alias, None, None)
        updates += 1
    if target not in dbms.databases:  # an alias of an alias is a chain: not a database either
        raise errors.alias_target_missing(alias, target, "create", target_parameter)
    _set_alias(ctx, alias, target, _properties(ctx, match))
    return _done(ctx, match, updates + 1)


def alter_alias(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    dbms = ctx.dbms
    alias, _ = resolve_name(match["name"], ctx.parameters)
    current = dbms.aliases.get(alias)
    if current is None:
        if match["if_exists"]:
            return _done(ctx, match, 0)
        raise errors.alias_missing(alias, "alter")
    target = current.target
    if match["target"]:
        target, target_parameter = resolve_name(match["target"], ctx.parameters)
        if target not in dbms.databases:
            raise errors.alias_target_missing(alias, target, "alter", target_parameter)
    _set_alias(ctx, alias, target, _properties(ctx, match))
    return _done(ctx, match, 1)


def drop_alias(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    alias, _ = resolve_name(match["name"], ctx.parameters)
    if alias not in ctx.dbms.aliases:
        if match["if_exists"]:
            return _done(ctx, match, 0)
        raise errors.alias_missing(alias, "delete")
    _set_alias(ctx, alias, None, None)
    return _done(ctx, match, 1)


# --- the table -------------------------------------------------------------------------------

_WAIT = "[[{wait:wait}]]"

ADMIN_STATEMENTS: list[Statement] = [
    Statement(
        "create database",
        Kind.ADMIN_WRITE,
        "CREATE [[replace: OR REPLACE]] DATABASE {name:name} [[if_not_exists: IF NOT EXISTS]] "
        "[[DEFAULT LANGUAGE CYPHER {language:int}]] [[{topology:topology}]] "
        "[[OPTIONS {options:map}]] " + _WAIT,
        create_database,
        feature="CREATE DATABASE",
    ),
    Statement(
        "drop database",
        Kind.ADMIN_WRITE,
        "DROP [[COMPOSITE]] DATABASE {name:name} [[if_exists: IF EXISTS]] "
        "[[{aliases:restrict}]] [[{data:data}]] " + _WAIT,
        drop_database,
        feature="DROP DATABASE",
    ),
    Statement(
        "start database",
        Kind.ADMIN_WRITE,
        "START DATABASE {name:name} " + _WAIT,
        start_database,
        feature="START DATABASE",
    ),
    Statement(
        "stop database",
        Kind.ADMIN_WRITE,
        "STOP DATABASE {name:name} " + _WAIT,
        stop_database,
        feature="STOP DATABASE",
    ),
    Statement(
        "show default database",
        Kind.ADMIN_READ,
        "SHOW {which:default_or_home} DATABASE {tail:tail}",
        show_default_database,
    ),
    Statement(
        "show databases",
        Kind.ADMIN_READ,
        "SHOW {plural:databases} [[{name:name}]] {tail:tail}",
        show_databases,
    ),
    Statement(
        "create alias",
        Kind.ADMIN_WRITE,
        "CREATE [[replace: OR REPLACE]] ALIAS {name:name} [[if_not_exists: IF NOT EXISTS]] "
        "FOR DATABASE {target:name} [[PROPERTIES {properties:map}]]",
        create_alias,
        feature="CREATE ALIAS",
    ),
    Statement(
        "alter alias",
        Kind.ADMIN_WRITE,
        "ALTER ALIAS {name:name} [[if_exists: IF EXISTS]] SET DATABASE "
        "[[TARGET {target:name}]] [[PROPERTIES {properties:map}]]",
        alter_alias,
        feature="ALTER ALIAS",
    ),
    Statement(
        "drop alias",
        Kind.ADMIN_WRITE,
        "DROP ALIAS {name:name} [[if_exists: IF EXISTS]] FOR DATABASE",
        drop_alias,
        feature="DROP ALIAS",
    ),
    Statement(
        "show aliases",
        Kind.ADMIN_READ,
        "SHOW {plural:aliases} [[{name:name}]] FOR {target_plural:databases} {tail:tail}",
        show_aliases,
        feature="SHOW ALIASES",
    ),
]
