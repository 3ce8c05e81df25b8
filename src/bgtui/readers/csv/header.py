"""Header lines of the neo4j-admin CSV format: which column is the id, the labels, the type.

A header token is ``<name>:<type>`` (https://neo4j.com/docs/operations-manual/current/import/),
with an ID space in parentheses
(``:ID(people)``), ``[]`` for arrays and ``{…}`` options (``{id-type:long}``,
``{crs:WGS-84}``, ``{timezone:+02:00}``). Untyped columns are strings; a column with an empty
token is not read. Everything is checked here, so a bad header fails before any row is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bgtui.readers.csv.map_literals import parse_map
from bgtui.readers.csv.values import SCALAR_TYPES, TYPE_OPTIONS, column_converter
from bgtui.readers.errors import CsvFormatError
from bgtui.readers.model import GLOBAL_ID_SPACE, ImportOptions
from bgtui.readers.value_problem import Converter, ValueProblem

_TYPE_PART = re.compile(
    r"(?P<type>[A-Za-z_][A-Za-z0-9_]*)(?:\((?P<space>[^()]*)\))?(?P<array>\[\])?"
)
_NODE_ONLY = ("id", "label")
_RELATIONSHIP_ONLY = ("start_id", "end_id", "type")
_ID_TYPES = {"string": False, "long": True, "int": True, "integer": True}


@dataclass(frozen=True)
class PropertyColumn:
    """A typed property column."""

    index: int  # 0-based position in the row
    name: str
    token: str  # as written, for messages
    convert: Converter


@dataclass(frozen=True)
class IdColumn:
    """A node's ``:ID`` or a relationship's ``:START_ID`` / ``:END_ID``."""

    index: int
    token: str
    space: str
    property_name: str | None  # ``name:ID`` also stores the id as property ``name``
    integer: bool | None  # ``{id-type:…}``; None leaves it to the options


@dataclass(frozen=True)
class NodeHeader:
    """The columns of a node file group."""

    tokens: tuple[str, ...]
    id: IdColumn | None
    label_columns: tuple[int, ...]
    properties: tuple[PropertyColumn, ...]


@dataclass(frozen=True)
class RelationshipHeader:
    """The columns of a relationship file group."""

    tokens: tuple[str, ...]
    start: IdColumn
    end: IdColumn
    type_column: int | None
    properties: tuple[PropertyColumn, ...]


@dataclass(frozen=True)
class _Token:
    index: int
    text: str
    name: str
    type: str  # lower case; "string" when untyped
    space: str | None
    is_array: bool
    options: dict[str, str]


class _HeaderReader:
    """Parses one header line, raising errors that point at the column at fault."""

    def __init__(self, path: Path, line: int, options: ImportOptions) -> None:
        self.path = path
        self.line = line
        self.options = options

    def fail(self, problem: str, token: _Token | None = None) -> CsvFormatError:
        if token is None:
            return CsvFormatError(self.path, self.line, problem)
        return CsvFormatError(self.path, self.line, problem, token.index + 1, token.text or None)

    def tokens(self, fields: list[str], allowed: tuple[str, ...]) -> list[_Token]:
        """Split every token and refuse types that do not belong in this kind of file."""
        tokens = [self.split(index, text) for index, text in enumerate(fields)]
        kind = "node" if allowed == _NODE_ONLY else "relationship"
        other = _RELATIONSHIP_ONLY if allowed == _NODE_ONLY else _NODE_ONLY
        for token in tokens:
            if token.type in other:
                raise self.fail(f"':{token.type.upper()}' does not belong in a {kind} file", token)
        seen: dict[str, _Token] = {}
        for token in tokens:
            stored = token.name if token.type not in ("ignore", "label", "type") else ""
            if token.type in ("start_id", "end_id"):
                stored = ""
            if not stored:
                continue
            if stored in seen:
                raise self.fail(
                    f"the name {stored!r} is already used by column {seen[stored].index + 1}; "
                    "each property needs its own column",
                    token,
                )
            seen[stored] = token
        return tokens

    def split(self, index: int, text: str) -> _Token:
        raw = text.strip()
        options: dict[str, str] = {}
        body = raw
        brace = raw.find("{")
        if brace >= 0:
            body = raw[:brace]
            placeholder = _Token(index, text, "", "", None, False, {})
            if not raw.endswith("}"):
                raise self.fail("a header option needs a closing '}'", placeholder)
            try:
                options = parse_map(raw[brace:])
            except ValueProblem as problem:
                raise self.fail(f"bad header options: {problem}", placeholder) from None
        if not raw:
            return _Token(index, text, "", "ignore", None, False, {})
        name, colon, type_part = body.rpartition(":")
        if not colon:
            return _Token(index, text, body, "string", None, False, options)
        match = _TYPE_PART.fullmatch(type_part)
        if match is None:
            raise self.fail(
                f"{type_part!r} is not a column type; expected one of "
                "ID, LABEL, START_ID, END_ID, TYPE, IGNORE or a value type such as int",
                _Token(index, text, name, "", None, False, {}),
            )
        token = _Token(
            index,
            text,
            name,
            match["type"].lower(),
            match["space"],
            bool(match["array"]),
            options,
        )
        self.check_type(token)
        return token

    def check_type(self, token: _Token) -> None:
        special = ("id", "label", "start_id", "end_id", "type", "ignore")
        if token.type not in special and token.type not in SCALAR_TYPES:
            raise self.fail(
                f"unknown type {token.type!r}; expected one of {', '.join(SCALAR_TYPES)} "
                "(with [] for arrays), or ID, LABEL, START_ID, END_ID, TYPE, IGNORE",
                token,
            )
        if token.space is not None and token.type not in ("id", "start_id", "end_id"):
            raise self.fail("only ID, START_ID and END_ID take an ID space in parentheses", token)
        if token.is_array and token.type in special:
            raise self.fail(f"':{token.type.upper()}' cannot be an array", token)
        if token.type == "id":
            allowed: tuple[str, ...] = ("id-type", "label")
        elif token.type in ("start_id", "end_id"):
            allowed = ("id-type",)
        else:
            allowed = TYPE_OPTIONS.get(token.type, ())
        unknown = sorted(set(token.options) - set(allowed))
        if unknown:
            expected = f"only {', '.join(allowed)}" if allowed else "none"
            raise self.fail(
                f"unknown header option {unknown[0]!r} for this column (it takes {expected})",
                token,
            )
        if token.type not in special and not token.name:
            raise self.fail("a property column needs a name before the ':'", token)

    def id_column(self, token: _Token, stores_property: bool) -> IdColumn:
        integer: bool | None = None
        if "id-type" in token.options:
            id_type = token.options["id-type"].lower()
            if id_type not in _ID_TYPES:
                raise self.fail(
                    f"unknown id-type {token.options['id-type']!r}; expected string or long",
                    token,
                )
            integer = _ID_TYPES[id_type]
        space = token.space.strip() if token.space else GLOBAL_ID_SPACE
        return IdColumn(
            token.index,
            token.text,
            space,
            token.name if stores_property and token.name else None,
            integer,
        )

    def properties(self, tokens: list[_Token]) -> tuple[PropertyColumn, ...]:
        columns = []
        for token in tokens:
            if token.type in SCALAR_TYPES:
                try:
                    convert = column_converter(
                        token.type, token.is_array, token.options, self.options
                    )
                except ValueProblem as problem:
                    raise self.fail(f"bad header options: {problem}", token) from None
                columns.append(PropertyColumn(token.index, token.name, token.text, convert))
        return tuple(columns)


def parse_node_header(
    fields: list[str], path: Path, line: int, options: ImportOptions
) -> NodeHeader:
    """Read a node file group's header.

    Raises:
        CsvFormatError: a bad token, a relationship-only column, more than one ``:ID``
            column, or a name used twice.
    """
    reader = _HeaderReader(path, line, options)
    tokens = reader.tokens(fields, _NODE_ONLY)
    ids = [token for token in tokens if token.type == "id"]
    if len(ids) > 1:
        raise reader.fail(
            "more than one :ID column; composite ids are not supported, join them into one",
            ids[1],
        )
    return NodeHeader(
        tuple(fields),
        reader.id_column(ids[0], stores_property=True) if ids else None,
        tuple(token.index for token in tokens if token.type == "label"),
        reader.properties(tokens),
    )


def parse_relationship_header(
    fields: list[str], path: Path, line: int, options: ImportOptions
) -> RelationshipHeader:
    """Read a relationship file group's header.

    Raises:
        CsvFormatError: a bad token, a node-only column, a missing or repeated
            ``:START_ID`` / ``:END_ID`` / ``:TYPE``, or a name used twice.
    """
    reader = _HeaderReader(path, line, options)
    tokens = reader.tokens(fields, _RELATIONSHIP_ONLY)
    found: dict[str, list[_Token]] = {kind: [] for kind in _RELATIONSHIP_ONLY}
    for token in tokens:
        if token.type in found:
            found[token.type].append(token)
    for kind, columns in found.items():
        if len(columns) > 1:
            raise reader.fail(f"more than one :{kind.upper()} column", columns[1])
    for kind in ("start_id", "end_id"):
        if not found[kind]:
            raise reader.fail(
                f"no :{kind.upper()} column; relationship files need :START_ID and :END_ID"
            )
    return RelationshipHeader(
        tuple(fields),
        reader.id_column(found["start_id"][0], stores_property=False),
        reader.id_column(found["end_id"][0], stores_property=False),
        found["type"][0].index if found["type"] else None,
        reader.properties(tokens),
    )
