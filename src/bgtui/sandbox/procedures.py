"""The few procedures the sandbox provides, and ``CALL … YIELD … RETURN …`` around them.

``dbms.components`` and ``dbms.queryJmx`` answer on every database (bgtui asks them on
``system`` and on user databases); the ``db.*`` ones read the database they run on and are
refused on ``system``, as Neo4j refuses them there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bgtui.sandbox import errors
from bgtui.sandbox.cypher_text import SYMBOL, read_value, unquote
from bgtui.sandbox.recognition import Kind, Statement, StatementContext
from bgtui.sandbox.results import QueryResult

Row = dict[str, Any]


@dataclass(frozen=True)
class Procedure:
    columns: list[str]
    rows: Callable[[StatementContext, list[Any]], list[Row]]
    system_ok: bool = False


def _components(ctx: StatementContext, args: list[Any]) -> list[Row]:
    dbms = ctx.dbms
    return [{"name": "Neo4j Kernel", "versions": [dbms.version], "edition": dbms.edition_reported}]


def _query_jmx(ctx: StatementContext, args: list[Any]) -> list[Row]:
    """Only the Memory MBean, shaped as bgtui's HEAP_USAGE statement reads it.

    UNCONFIRMED: that Neo4j exposes HeapMemoryUsage as ``value.properties`` on every 5.x build.
    """
    if not args or args[0] != "java.lang:type=Memory":
        return []
    dbms = ctx.dbms
    usage = {
        "committed": dbms.heap_max_bytes,
        "init": dbms.heap_max_bytes // 4,
        "max": dbms.heap_max_bytes,
        "used": dbms.heap_used_bytes,
    }
    heap = {
        "description": "HeapMemoryUsage",
        "value": {"description": "java.lang.management.MemoryUsage", "properties": usage},
    }
    return [
        {
            "name": "java.lang:type=Memory",
            "description": "Information on the management interface of the MBean",
            "attributes": {"HeapMemoryUsage": heap},
        }
    ]


PROCEDURES: dict[str, Procedure] = {
    "dbms.components": Procedure(["name", "versions", "edition"], _components, system_ok=True),
    "dbms.queryjmx": Procedure(["name", "description", "attributes"], _query_jmx, system_ok=True),
    "db.labels": Procedure(
        ["label"], lambda ctx, args: [{"label": label} for label in ctx.graph.labels()]
    ),
    "db.relationshiptypes": Procedure(
        ["relationshipType"],
        lambda ctx, args: [{"relationshipType": t} for t in ctx.graph.relationship_types()],
    ),
    "db.propertykeys": Procedure(
        ["propertyKey"],
        lambda ctx, args: [{"propertyKey": key} for key in ctx.graph.property_keys()],
    ),
}

_YIELD_ITEM = re.compile(rf"^(?P<column>\w+)(?:\s+AS\s+(?P<alias>{SYMBOL}))?$", re.IGNORECASE)
_RETURN_ITEM = re.compile(
    rf"^(?P<path>\w+(?:\.{SYMBOL})*)(?:\s+AS\s+(?P<alias>{SYMBOL}))?$", re.IGNORECASE
)


def call_procedure(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    name = match["procedure"]
    procedure = PROCEDURES.get(name.lower())
    if procedure is None:
        raise errors.procedure_not_found(name)
    if ctx.record.kind == "system" and not procedure.system_ok:
        raise errors.not_allowed_on_system(f"CALL {name}")
    args_text = match["args"].strip()
    args = read_value(f"[{args_text}]", ctx.parameters) if args_text else []
    rows = procedure.rows(ctx, args)
    columns = {column: column for column in procedure.columns}
    if match["yielded"]:
        columns = {}
        for item in match["yielded"].split(","):
            yielded = _YIELD_ITEM.match(item.strip())
            if yielded is None or yielded["column"] not in procedure.columns:
                raise errors.invalid_syntax(f"Unknown procedure output: `{item.strip()}`")
            alias = unquote(yielded["alias"]) if yielded["alias"] else yielded["column"]
            columns[alias] = yielded["column"]
    rows = [{alias: row[column] for alias, column in columns.items()} for row in rows]
    if not match["items"]:
        return QueryResult(list(columns), [list(row.values()) for row in rows])
    fields: list[str] = []
    paths: list[list[str]] = []
    for item in match["items"].split(","):
        returned = _RETURN_ITEM.match(item.strip())
        if returned is None:
            raise errors.not_understood(ctx.query, "It returns only yielded values and paths.")
        path = [unquote(part) for part in re.findall(SYMBOL, returned["path"])]
        if path[0] not in columns:
            raise errors.invalid_syntax(f"Variable `{path[0]}` not defined")
        paths.append(path)
        fields.append(unquote(returned["alias"]) if returned["alias"] else returned["path"])
    return QueryResult(fields, [[_follow(row, path) for path in paths] for row in rows])


def _follow(row: Row, path: list[str]) -> Any:
    value: Any = row
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


PROCEDURE_STATEMENTS: list[Statement] = [
    Statement(
        "call a procedure",
        Kind.READ,
        "CALL {procedure:procedure}({args:args}) [[YIELD {yielded:rest}]] [[RETURN {items:rest}]]",
        call_procedure,
        system_ok=True,
    ),
]
