"""Reads on a user database: counts, nodes and their properties, literals, constraints.

Enough for bgtui's validation counts and for someone typing at the sandbox to see the data
that was really loaded: ``MATCH (n:Person) RETURN n.name AS name ORDER BY name LIMIT 5``.
"""

from __future__ import annotations

import re
from typing import Any

from bgtui.sandbox import errors
from bgtui.sandbox.cypher_text import SYMBOL, project_show, read_value, unquote
from bgtui.sandbox.graphstore import Node
from bgtui.sandbox.recognition import StatementContext, structure
from bgtui.sandbox.results import QueryResult


def node_value(ctx: StatementContext, node: Node) -> Any:
    """A Bolt 5 Node: id, labels, properties, element id."""
    element_id = f"4:{ctx.record.database_id}:{node.id}"
    return structure(0x4E, [node.id, sorted(node.labels), dict(node.properties), element_id])


def count_nodes(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    label = unquote(match["label"]) if match["label"] else None
    return _count(match, "n", ctx.graph.node_count(label))


def count_relationships(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    rel_type = unquote(match["type"]) if match["type"] else None
    return _count(match, "r", ctx.graph.relationship_count(rel_type))


def _count(match: re.Match[str], var: str, count: int) -> QueryResult:
    counted = match["counted"]
    if counted != "*" and counted != match[var]:
        raise errors.invalid_syntax(f"Variable `{counted}` not defined")
    column = unquote(match["column"]) if match["column"] else f"count({counted})"
    return QueryResult([column], [[count]])


_ITEM = re.compile(
    rf"^(?P<var>\w+)(?:\.(?P<key>{SYMBOL}))?(?:\s+AS\s+(?P<alias>{SYMBOL}))?$", re.IGNORECASE
)
_ORDER = re.compile(
    rf"^(?P<var>\w+)(?:\.(?P<key>{SYMBOL}))?(?:\s+(?P<dir>ASC|DESC|ASCENDING|"
    r"DESCENDING))?$",
    re.IGNORECASE,
)


def return_nodes(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    """``MATCH (n[:Label]) RETURN n, n.key AS k [ORDER BY …] [SKIP s] [LIMIT l]``."""
    var = match["n"]
    items = [_ITEM.match(item.strip()) for item in match["items"].split(",")]
    if not all(item and item["var"] == var for item in items):
        raise errors.not_understood(ctx.query, f"It returns only {var} and {var}.<key> here.")
    label = unquote(match["label"]) if match["label"] else None
    nodes = ctx.graph.nodes_in_order(label)
    if match["order"]:
        nodes = _ordered(nodes, match["order"], var, items)
    skip = int(match["skip"] or 0)
    limit = skip + int(match["limit"]) if match["limit"] else None
    records = []
    for node in nodes[skip:limit]:
        records.append(
            [
                node_value(ctx, node)
                if item["key"] is None
                else node.properties.get(unquote(item["key"]))
                for item in items
                if item
            ]
        )
    fields = [
        unquote(item["alias"]) if item["alias"] else item.group().split(" ")[0]
        for item in items
        if item
    ]
    return QueryResult(fields, records)


def _ordered(nodes: list[Node], order: str, var: str, items: list[Any]) -> list[Node]:
    aliases = {unquote(i["alias"]): unquote(i["key"]) for i in items if i["alias"] and i["key"]}
    for part in reversed(order.split(",")):
        spec = _ORDER.match(part.strip())
        if spec is None:
            raise errors.not_understood(order, "It orders only by properties or their aliases.")
        if spec["key"] is not None and spec["var"] == var:
            key = unquote(spec["key"])
        elif spec["key"] is None and spec["var"] in aliases:
            key = aliases[spec["var"]]
        else:
            raise errors.invalid_syntax(f"Variable `{spec['var']}` not defined")
        descending = (spec["dir"] or "").upper().startswith("DESC")
        nodes = sorted(
            nodes, key=lambda n, k=key: sort_key(n.properties.get(k)), reverse=descending
        )
    return nodes


def sort_key(value: Any) -> tuple[int, int, Any]:
    """Cypher's ORDER BY: values of one type in order, nulls last when ascending."""
    if value is None:
        return (1, 0, 0)
    if isinstance(value, bool):
        return (0, 3, value)
    if isinstance(value, int | float):
        return (0, 1, value)
    if isinstance(value, str):
        return (0, 2, value)
    return (0, 4, repr(value))


def return_literal(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    value = read_value(match["value"], ctx.parameters)
    column = unquote(match["column"]) if match["column"] else match["value"]
    return QueryResult([column], [[value]])


def show_constraints(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    columns = [
        "id",
        "name",
        "type",
        "entityType",
        "labelsOrTypes",
        "properties",
        "ownedIndex",
        "propertyType",
    ]
    rows = [
        dict(
            zip(
                columns,
                [number, c.name, "UNIQUENESS", "NODE", [c.label], [c.key], c.name, None],
                strict=True,
            )
        )
        for number, c in enumerate(ctx.graph.constraints.values(), start=1)
    ]
    fields, records = project_show(rows, match["tail"], ctx.parameters, columns, columns)
    return QueryResult(fields, records)
