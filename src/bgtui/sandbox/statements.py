"""What the sandbox understands on a user database: a table of statement shapes -> handlers.

The shapes are the ones ``bgtui.graph.cypher`` sends (batched node and relationship loads,
ID-space constraints, counts) plus a few reads for someone typing at the sandbox
(``MATCH (n:Label) RETURN n.name AS name ORDER BY name LIMIT 5``, in ``reads.py``). Anything
else is refused with a SyntaxError that says so; nothing is silently answered with an empty
result.

Administration commands live in ``admin.py`` and procedures in ``procedures.py``; ``dbms.py``
puts the three tables together.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from bgtui.sandbox import errors
from bgtui.sandbox.cypher_text import SYMBOL, parameter, parse_labels, unquote
from bgtui.sandbox.graphstore import Constraint
from bgtui.sandbox.reads import (
    count_nodes,
    count_relationships,
    return_literal,
    return_nodes,
    show_constraints,
)
from bgtui.sandbox.recognition import Kind, Statement, StatementContext, write_stats
from bgtui.sandbox.results import QueryResult

# --- reading the batch parameter ----------------------------------------------------------


def _rows(ctx: StatementContext, match: re.Match[str]) -> list[dict[str, Any]]:
    """``UNWIND $rows AS row``: a list of maps (null unwinds to nothing)."""
    rows = parameter(ctx.parameters, match["rows"])
    if rows is None:
        return []
    if not isinstance(rows, list):
        raise errors.parameter_type(match["rows"][1:], "a List", rows)
    for row in rows:
        if type(row) is not dict:
            raise errors.parameter_type(match["rows"][1:], "a List of Maps", row)
    return rows


_ID_MAP = re.compile(
    rf"^\{{\s*(?P<key>{SYMBOL})\s*:\s*(?P<var>\w+)\s*\.\s*(?P<field>{SYMBOL})\s*\}}$"
)


def _id_map(text: str | None, row_var: str) -> tuple[str, str] | None:
    """``{`_bgtui_id`: row.id}`` -> ("_bgtui_id", "id")."""
    if not text:
        return None
    match = _ID_MAP.match(text.strip())
    if match is None or match["var"] != row_var:
        raise errors.not_understood(text, f"It reads only maps like {{key: {row_var}.field}}.")
    return unquote(match["key"]), unquote(match["field"])


def _property_maps(
    rows: list[dict[str, Any]], props_field: str, id_map: tuple[str, str] | None, counter: list[int]
) -> Iterator[dict[str, Any]]:
    """``CREATE (n {key: row.id}) SET n += row.props`` per row; counts properties set."""
    id_key, id_field = id_map if id_map else (None, "")
    for row in rows:
        properties: dict[str, Any] = {}
        if id_key is not None and row.get(id_field) is not None:
            properties[id_key] = row[id_field]
        given = row.get(props_field)
        if given:
            if type(given) is not dict:
                raise errors.parameter_type(f"row.{props_field}", "a Map", given)
            for key, value in given.items():
                if value is None:
                    continue  # SET n += {k: null} removes k, which a new node does not have
                if type(value) is dict:
                    raise errors.parameter_type(
                        f"row.{props_field}.{key}", "a property value (not a Map)", value
                    )
                properties[key] = value
        counter[0] += len(properties)
        yield properties


# --- loading ---------------------------------------------------------------------------------


def create_nodes(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    labels = parse_labels(match["labels"])
    id_map = _id_map(match["idmap"], match["row"])
    counter = [0]
    maps = _property_maps(_rows(ctx, match), unquote(match["props"]), id_map, counter)
    created = ctx.graph.create_nodes(labels, maps, ctx.graph_log)
    return _created(
        match,
        created,
        nodes_created=created,
        labels_added=created * len(labels),
        properties_set=counter[0],
    )


def create_nodes_skipping_duplicates(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    """Rows whose id already exists in the ID space are left out.

    The existence check sees the graph as it was before the statement: Neo4j plans an Eager
    between the OPTIONAL MATCH and the CREATE of the same label, so two rows with one id in the
    same batch both pass it and the uniqueness constraint then fails the statement.
    """
    probe = _id_map(match["probe"], match["row"])
    assert probe is not None  # the template requires the map
    exists = ctx.graph.finder(unquote(match["space"]), probe[0])
    rows = [row for row in _rows(ctx, match) if not exists(row.get(probe[1]))]
    labels = parse_labels(match["labels"])
    counter = [0]
    maps = _property_maps(
        rows, unquote(match["props"]), _id_map(match["idmap"], match["row"]), counter
    )
    created = ctx.graph.create_nodes(labels, maps, ctx.graph_log)
    return _created(
        match,
        created,
        nodes_created=created,
        labels_added=created * len(labels),
        properties_set=counter[0],
    )


def _endpoint_finders(
    ctx: StatementContext, match: re.Match[str]
) -> tuple[Callable[[Any], list[int]], str, Callable[[Any], list[int]], str]:
    start = _id_map(match["start_map"], match["row"])
    end = _id_map(match["end_map"], match["row"])
    assert start is not None and end is not None  # the template requires both maps
    find_start = ctx.graph.finder(unquote(match["start_label"]), start[0])
    find_end = ctx.graph.finder(unquote(match["end_label"]), end[0])
    return find_start, start[1], find_end, end[1]


def create_relationships(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    """A row whose start or end node is missing creates nothing (MATCH finds no row)."""
    find_start, start_field, find_end, end_field = _endpoint_finders(ctx, match)
    props_field = unquote(match["props"])
    counter = [0]

    def pairs() -> Iterator[tuple[int, int, dict[str, Any]]]:
        for row in _rows(ctx, match):
            ends = find_end(row.get(end_field))
            if not ends:
                continue
            for start in find_start(row.get(start_field)):
                for end in ends:
                    yield start, end, next(_property_maps([row], props_field, None, counter))

    created = ctx.graph.create_relationships(unquote(match["type"]), pairs(), ctx.graph_log)
    return _created(match, created, relationships_created=created, properties_set=counter[0])


def find_missing_endpoints(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    find_start, start_field, find_end, end_field = _endpoint_finders(ctx, match)
    out_start, out_end = unquote(match["start_field"]), unquote(match["end_field"])
    records: list[list[Any]] = []
    for row in _rows(ctx, match):
        starts: list[int | None] = [*find_start(row.get(start_field))] or [None]
        ends: list[int | None] = [*find_end(row.get(end_field))] or [None]
        for start in starts:
            for end in ends:
                if start is None or end is None:
                    records.append(
                        [row.get(out_start), row.get(out_end), start is None, end is None]
                    )
    fields = [
        match["start_column"],
        match["end_column"],
        match["start_missing"],
        match["end_missing"],
    ]
    return QueryResult([unquote(name) for name in fields], records, query_type=Kind.READ.query_type)


def strip_id_space(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    limit_text = match["limit"]
    limit = parameter(ctx.parameters, limit_text) if limit_text.startswith("$") else limit_text
    if isinstance(limit, bool) or not isinstance(limit, int | str) or int(limit) < 0:
        raise errors.parameter_type(limit_text.lstrip("$"), "a non-negative Integer", limit)
    graph, log = ctx.graph, ctx.graph_log
    nodes = graph.nodes_in_order(unquote(match["label"]), int(limit))
    removed_label, removed_key = unquote(match["label2"]), unquote(match["key"])
    labels_removed = properties_set = 0
    for node in nodes:
        labels_removed += graph.remove_label(node, removed_label, log)
        properties_set += graph.remove_property(node, removed_key, log)
    return _created(match, len(nodes), labels_removed=labels_removed, properties_set=properties_set)


def _created(match: re.Match[str], count: int, **counts: int) -> QueryResult:
    return QueryResult(
        [unquote(match["column"])], [[count]], write_stats(**counts), Kind.DATA_WRITE.query_type
    )


# --- schema ----------------------------------------------------------------------------------


def create_constraint(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    label, key = unquote(match["label"]), unquote(match["key"])
    generated = f"constraint_{zlib.crc32(f'{label}.{key}'.encode()):08x}"
    name = unquote(match["name"]) if match["name"] else generated
    graph = ctx.graph
    same = next((c for c in graph.constraints.values() if (c.label, c.key) == (label, key)), None)
    named = graph.constraints.get(name)
    if named is not None or same is not None:
        if match["if_not_exists"]:
            return QueryResult([], query_type=Kind.SCHEMA_WRITE.query_type)
        if same is not None:
            raise errors.equivalent_constraint_exists(same.name, label, key)
        raise errors.constraint_name_taken(name)
    graph.add_constraint(Constraint(name, label, key), ctx.graph_log)
    return QueryResult(
        [], stats=write_stats(constraints_added=1), query_type=Kind.SCHEMA_WRITE.query_type
    )


def drop_constraint(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    name = unquote(match["name"])
    if name not in ctx.graph.constraints:
        if match["if_exists"]:
            return QueryResult([], query_type=Kind.SCHEMA_WRITE.query_type)
        raise errors.constraint_missing(name)
    ctx.graph.drop_constraint(name, ctx.graph_log)
    return QueryResult(
        [], stats=write_stats(constraints_removed=1), query_type=Kind.SCHEMA_WRITE.query_type
    )


# --- the table -------------------------------------------------------------------------------

_LOAD_NODES = "CREATE ({n:var}{labels:labels} [[{idmap:map}]]) SET {n} += {row}.{props:symbol} "
_RETURN_N = "RETURN count({n}) AS {column:symbol}"

DATA_STATEMENTS: list[Statement] = [
    Statement(
        "create nodes",
        Kind.DATA_WRITE,
        "UNWIND {rows:param} AS {row:var} " + _LOAD_NODES + _RETURN_N,
        create_nodes,
    ),
    Statement(
        "create nodes skipping duplicates",
        Kind.DATA_WRITE,
        "UNWIND {rows:param} AS {row:var} OPTIONAL MATCH ({e:var}:{space:symbol} "
        "{probe:map}) WITH {row}, {e} WHERE {e} IS NULL " + _LOAD_NODES + _RETURN_N,
        create_nodes_skipping_duplicates,
    ),
    Statement(
        "create relationships",
        Kind.DATA_WRITE,
        "UNWIND {rows:param} AS {row:var} "
        "MATCH ({a:var}:{start_label:symbol} {start_map:map}) "
        "MATCH ({b:var}:{end_label:symbol} {end_map:map}) "
        "CREATE ({a})-[{r:var}:{type:symbol}]->({b}) SET {r} += {row}.{props:symbol} "
        "RETURN count({r}) AS {column:symbol}",
        create_relationships,
    ),
    Statement(
        "find missing endpoints",
        Kind.READ,
        "UNWIND {rows:param} AS {row:var} "
        "OPTIONAL MATCH ({a:var}:{start_label:symbol} {start_map:map}) "
        "OPTIONAL MATCH ({b:var}:{end_label:symbol} {end_map:map}) "
        "WITH {row}, {a}, {b} WHERE {a} IS NULL OR {b} IS NULL "
        "RETURN {row}.{start_field:symbol} AS {start_column:symbol}, "
        "{row}.{end_field:symbol} AS {end_column:symbol}, "
        "{a} IS NULL AS {start_missing:symbol}, {b} IS NULL AS {end_missing:symbol}",
        find_missing_endpoints,
    ),
    Statement(
        "strip an ID space",
        Kind.DATA_WRITE,
        "MATCH ({n:var}:{label:symbol}) WITH {n} LIMIT {limit:count} "
        "REMOVE {n}:{label2:symbol}, {n}.{key:symbol} "
        "RETURN count({n}) AS {column:symbol}",
        strip_id_space,
    ),
    Statement(
        "create a uniqueness constraint",
        Kind.SCHEMA_WRITE,
        "CREATE CONSTRAINT [[{name:symbol}]] [[if_not_exists: IF NOT EXISTS]] "
        "FOR ({n:var}:{label:symbol}) REQUIRE {n}.{key:symbol} IS UNIQUE",
        create_constraint,
    ),
    Statement(
        "drop a constraint",
        Kind.SCHEMA_WRITE,
        "DROP CONSTRAINT {name:symbol} [[if_exists: IF EXISTS]]",
        drop_constraint,
    ),
    Statement(
        "show constraints",
        Kind.READ,
        "SHOW [[ALL]] [[UNIQUE]] CONSTRAINTS {tail:tail}",
        show_constraints,
    ),
    Statement(
        "count nodes",
        Kind.READ,
        "MATCH ({n:var}[[:{label:symbol}]]) "
        "RETURN count({counted:countable}) [[AS {column:symbol}]]",
        count_nodes,
    ),
    Statement(
        "count relationships",
        Kind.READ,
        "MATCH ()-[{r:var}[[:{type:symbol}]]]->() "
        "RETURN count({counted:countable}) [[AS {column:symbol}]]",
        count_relationships,
    ),
    Statement(
        "return nodes or their properties",
        Kind.READ,
        "MATCH ({n:var}[[:{label:symbol}]]) RETURN {items:rest} "
        "[[ORDER BY {order:rest}]] [[SKIP {skip:int}]] [[LIMIT {limit:int}]]",
        return_nodes,
    ),
    Statement(
        "return a literal",
        Kind.READ,
        "RETURN {value:literal} [[AS {column:symbol}]]",
        return_literal,
    ),
]
