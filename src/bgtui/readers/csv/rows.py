"""Turning one CSV record into a ``NodeRow`` or ``RelationshipRow``, or a precise error.

The per-record work is the hot path of a load, so everything that depends only on the header
(which columns, which converters, the default labels) is decided once per group here. The
builders here are the precise ones; what the reader calls is the same row compiled into one
straight function per group (``compiled_rows``), which falls back to these on any doubt.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bgtui.domain.names import identifier_problem
from bgtui.readers.csv.compiled_rows import compile_node_builder, compile_relationship_builder
from bgtui.readers.csv.header import NodeHeader, PropertyColumn, RelationshipHeader
from bgtui.readers.errors import CsvFormatError, shown
from bgtui.readers.model import ImportOptions, NodeRow, RelationshipRow
from bgtui.readers.value_problem import ValueProblem

#: Builds a row from (fields, path relative to the snapshot, first physical line).
NodeRowBuilder = Callable[[list[str], Path, int], NodeRow]
RelationshipRowBuilder = Callable[[list[str], Path, int], RelationshipRow]
IdConverter = Callable[[str], str | int]

#: Distinct label fields (or types) remembered as already checked; bounded for constant memory.
_NAME_CACHE_SIZE = 4096


class _Fields:
    """What every row of a group checks: column count and typed properties."""

    def __init__(
        self,
        tokens: tuple[str, ...],
        properties: tuple[PropertyColumn, ...],
        options: ImportOptions,
    ) -> None:
        self.tokens = tokens
        self.width = len(tokens)
        self.allow_extra = options.ignore_extra_columns
        self.columns = [(column.index, column.name, column.convert) for column in properties]

    def check_width(self, fields: list[str], path: Path, line: int) -> None:
        count = len(fields)
        if count == self.width or (count > self.width and self.allow_extra):
            return
        hint = " (set ignore_extra_columns to skip the extra ones)" if count > self.width else ""
        raise CsvFormatError(
            path, line, f"expected {self.width} fields as in the header, got {count}{hint}"
        )

    def properties(self, fields: list[str], path: Path, line: int) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for index, name, convert in self.columns:
            raw = fields[index]
            if not raw:
                continue
            try:
                value = convert(raw)
            except (ValueError, OverflowError) as exc:
                raise self.error(path, line, index, exc, raw) from None
            if value is not None:
                values[name] = value
        return values

    def identifier(
        self, fields: list[str], path: Path, line: int, index: int, convert: IdConverter, what: str
    ) -> str | int:
        raw = fields[index]
        if not raw:
            raise CsvFormatError(
                path, line, f"expected {what}, the field is empty", index + 1, self.tokens[index]
            )
        try:
            return convert(raw)
        except ValueError as exc:
            raise self.error(path, line, index, exc, raw) from None

    def error(self, path: Path, line: int, index: int, exc: Exception, raw: str) -> CsvFormatError:
        if isinstance(exc, ValueProblem):
            problem = str(exc)
        else:
            token = self.tokens[index]
            problem = f"expected a {token.rpartition(':')[2] or 'string'} value"
        return CsvFormatError(
            path, line, f"{problem}, got {shown(raw)}", index + 1, self.tokens[index]
        )


class _NameChecker:
    """Splits and checks label or type fields, remembering recent answers."""

    def __init__(self, what: str, delimiter: str | None) -> None:
        self.what = what
        self.delimiter = delimiter
        self.known: dict[str, tuple[str, ...]] = {}

    def names(self, raw: str, path: Path, line: int, column: int, token: str) -> tuple[str, ...]:
        known = self.known.get(raw)
        if known is not None:
            return known
        parts = raw.split(self.delimiter) if self.delimiter else [raw]
        names = tuple(dict.fromkeys(part.strip() for part in parts if part.strip()))
        for name in names:
            problem = identifier_problem(name)
            if problem:
                raise CsvFormatError(
                    path,
                    line,
                    f"{shown(name)} is not an allowed {self.what} name ({problem})",
                    column + 1,
                    token,
                )
        if len(self.known) >= _NAME_CACHE_SIZE:
            self.known.clear()
        self.known[raw] = names
        return names


def node_row_builder(
    header: NodeHeader,
    extra_labels: tuple[str, ...],
    id_convert: IdConverter,
    options: ImportOptions,
) -> NodeRowBuilder:
    """Rows of one node group.

    Args:
        header: the group's columns.
        extra_labels: labels every node gets (from the manifest, or from the group's name when
            it has no :LABEL column).
        id_convert: how this group's ID space reads ids.
        options: the import options.
    """
    fields_of = _Fields(header.tokens, header.properties, options)
    checker = _NameChecker("label", options.array_delimiter)
    label_columns = [(index, header.tokens[index]) for index in header.label_columns]
    id_column = header.id
    id_property = id_column.property_name if id_column else None

    def build(fields: list[str], path: Path, line: int) -> NodeRow:
        fields_of.check_width(fields, path, line)
        properties = fields_of.properties(fields, path, line)
        node_id: str | int | None = None
        if id_column is not None:
            node_id = fields_of.identifier(
                fields, path, line, id_column.index, id_convert, "a node id"
            )
            if id_property:
                properties[id_property] = node_id
        labels = extra_labels
        for index, token in label_columns:
            raw = fields[index]
            if raw:
                found = checker.names(raw, path, line, index, token)
                labels = tuple(dict.fromkeys((*labels, *found))) if labels else found
        return NodeRow(node_id, labels, properties)

    return compile_node_builder(
        width=fields_of.width,
        check_width=fields_of.check_width,
        columns=fields_of.columns,
        id_column=(id_column.index, id_convert, id_property) if id_column else None,
        extra_labels=extra_labels,
        label_columns=[index for index, _ in label_columns],
        known_labels=checker.known,
        precise=build,
    )


def relationship_row_builder(
    header: RelationshipHeader,
    default_type: str | None,
    start_convert: IdConverter,
    end_convert: IdConverter,
    options: ImportOptions,
) -> RelationshipRowBuilder:
    """Rows of one relationship group; ``default_type`` serves rows without a :TYPE value."""
    fields_of = _Fields(header.tokens, header.properties, options)
    checker = _NameChecker("relationship type", None)
    start_index, end_index = header.start.index, header.end.index
    type_index = header.type_column
    type_token = header.tokens[type_index] if type_index is not None else ""

    def build(fields: list[str], path: Path, line: int) -> RelationshipRow:
        fields_of.check_width(fields, path, line)
        properties = fields_of.properties(fields, path, line)
        start = fields_of.identifier(fields, path, line, start_index, start_convert, "a :START_ID")
        end = fields_of.identifier(fields, path, line, end_index, end_convert, "an :END_ID")
        rel_type = default_type
        if type_index is not None and fields[type_index].strip():
            found = checker.names(fields[type_index], path, line, type_index, type_token)
            rel_type = found[0]
        if rel_type is None:
            raise CsvFormatError(
                path,
                line,
                "expected a relationship type, the :TYPE field is empty",
                (type_index or 0) + 1,
                type_token or None,
            )
        return RelationshipRow(start, end, rel_type, properties)

    return compile_relationship_builder(
        width=fields_of.width,
        check_width=fields_of.check_width,
        columns=fields_of.columns,
        start=(start_index, start_convert),
        end=(end_index, end_convert),
        type_index=type_index,
        default_type=default_type,
        known_types=checker.known,
        precise=build,
    )
