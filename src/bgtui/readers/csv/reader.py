"""A CSV snapshot in the neo4j-admin import format, read as streamed batches of rows.

Headers are all read first (``check``), so a bad layout fails before anything is written;
then each group's files are read record by record. Memory holds one batch, whatever the
size of the files. Duplicate ids and missing endpoints are the database's to find.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bgtui.domain.names import IDENTIFIER_PATTERN
from bgtui.readers.csv import estimate
from bgtui.readers.csv.files import first_record, records
from bgtui.readers.csv.groups import FileGroup
from bgtui.readers.csv.header import (
    IdColumn,
    NodeHeader,
    RelationshipHeader,
    parse_node_header,
    parse_relationship_header,
)
from bgtui.readers.csv.rows import IdConverter, node_row_builder, relationship_row_builder
from bgtui.readers.csv.values import id_converter
from bgtui.readers.errors import CsvFormatError, SnapshotFormatError
from bgtui.readers.gc_pause import CollectorPause
from bgtui.readers.model import ImportOptions, NodeBatch, RelationshipBatch
from bgtui.readers.sources import SourceSpans

Row = TypeVar("Row")


@dataclass(frozen=True)
class _NodeGroupPlan:
    group: FileGroup
    header: NodeHeader
    extra_labels: tuple[str, ...]


@dataclass(frozen=True)
class _RelationshipGroupPlan:
    group: FileGroup
    header: RelationshipHeader
    default_type: str | None


@dataclass(frozen=True)
class _Plan:
    nodes: list[_NodeGroupPlan]
    relationships: list[_RelationshipGroupPlan]
    integer_spaces: dict[str, bool]  # every declared ID space, in first-seen order


class CsvSnapshotReader:
    """Reads one CSV snapshot; see ``SnapshotReader`` for the contract.

    Args:
        root: the snapshot folder.
        groups: its file groups per kind (from the manifest or from file names).
        options: how to read the files.
    """

    format = "csv"

    def __init__(
        self, root: Path, groups: dict[str, list[FileGroup]], options: ImportOptions
    ) -> None:
        self._root = root
        self._groups = groups
        self._options = options
        self._plan: _Plan | None = None

    def id_spaces(self) -> list[str]:
        return list(self._planned().integer_spaces)

    def estimated_rows(self) -> int | None:
        return estimate.csv_rows(
            [*self._groups.get("nodes", []), *self._groups.get("relationships", [])]
        )

    def check(self) -> None:
        plan = self._planned()
        groups = [item.group for item in plan.nodes] + [item.group for item in plan.relationships]
        headers = [item.header.tokens for item in plan.nodes] + [
            item.header.tokens for item in plan.relationships
        ]
        for group, tokens in zip(groups, headers, strict=True):
            if group.header_in_each_file:
                for path in group.files[1:]:
                    record = first_record(path, self._relative(path), self._options)
                    if record is not None:
                        self._check_repeated_header(group, path, record[0], record[2], tokens)

    def node_batches(self, batch_size: int) -> Iterator[NodeBatch]:
        _check_batch_size(batch_size)
        plan = self._planned()
        for item in plan.nodes:
            space = item.header.id.space if item.header.id else None
            build = node_row_builder(
                item.header,
                item.extra_labels,
                self._id_converter(space, plan),
                self._options,
            )
            for rows, source in self._batches(item.group, item.header.tokens, build, batch_size):
                yield NodeBatch(item.group.name, space, rows, source)

    def relationship_batches(self, batch_size: int) -> Iterator[RelationshipBatch]:
        _check_batch_size(batch_size)
        plan = self._planned()
        for item in plan.relationships:
            start, end = item.header.start.space, item.header.end.space
            build = relationship_row_builder(
                item.header,
                item.default_type,
                self._id_converter(start, plan),
                self._id_converter(end, plan),
                self._options,
            )
            for rows, source in self._batches(item.group, item.header.tokens, build, batch_size):
                yield RelationshipBatch(item.group.name, start, end, rows, source)

    # --- planning ----------------------------------------------------------------------------

    def _planned(self) -> _Plan:
        if self._plan is None:
            self._plan = self._make_plan()
        return self._plan

    def _make_plan(self) -> _Plan:
        nodes = []
        integer_spaces: dict[str, bool] = {}
        declared_by: dict[str, tuple[Path, int, IdColumn]] = {}
        for group in self._groups.get("nodes", []):
            path, line, fields = self._header_of(group)
            header = parse_node_header(fields, self._relative(path), line, self._options)
            nodes.append(_NodeGroupPlan(group, header, self._extra_labels(group, header)))
            if header.id is None:
                continue
            integer = self._is_integer(header.id)
            space = header.id.space
            if space in integer_spaces and integer_spaces[space] != integer:
                first_path, first_line, first_column = declared_by[space]
                raise CsvFormatError(
                    self._relative(path),
                    line,
                    f"ID space {space or '(global)'!r} holds "
                    f"{'integer' if integer else 'string'} ids here but "
                    f"{'integer' if integer_spaces[space] else 'string'} ids in "
                    f"{self._relative(first_path).as_posix()}, line {first_line}, "
                    f"column {first_column.index + 1}; one ID space has one id type",
                    header.id.index + 1,
                    header.id.token,
                )
            integer_spaces.setdefault(space, integer)
            declared_by.setdefault(space, (path, line, header.id))
        relationships = []
        for group in self._groups.get("relationships", []):
            path, line, fields = self._header_of(group)
            relative = self._relative(path)
            rel_header = parse_relationship_header(fields, relative, line, self._options)
            default_type = group.type
            if default_type is None and rel_header.type_column is None:
                if not IDENTIFIER_PATTERN.match(group.name):
                    raise CsvFormatError(
                        relative,
                        line,
                        f"no :TYPE column, and the group name {group.name!r} is not a "
                        "relationship type; add a :TYPE column, name the file after the type "
                        "(e.g. KNOWS.csv) or give the group a type in the manifest",
                    )
                default_type = group.name
            relationships.append(_RelationshipGroupPlan(group, rel_header, default_type))
        return _Plan(nodes, relationships, integer_spaces)

    def _header_of(self, group: FileGroup) -> tuple[Path, int, list[str]]:
        if not group.files:
            raise SnapshotFormatError(f"{group.kind} group '{group.name}' has no files")
        path = group.files[0]
        record = first_record(path, self._relative(path), self._options)
        if record is None:
            raise CsvFormatError(
                self._relative(path), 1, "the file is empty; expected a header line first"
            )
        return path, record[0], record[2]

    def _extra_labels(self, group: FileGroup, header: NodeHeader) -> tuple[str, ...]:
        if group.labels or header.label_columns:
            return group.labels
        return (group.name,) if IDENTIFIER_PATTERN.match(group.name) else ()

    def _is_integer(self, column: IdColumn) -> bool:
        if column.integer is not None:
            return column.integer
        return self._options.integer_ids

    def _id_converter(self, space: str | None, plan: _Plan) -> IdConverter:
        if space is None:
            return str
        integer = plan.integer_spaces.get(space, self._options.integer_ids)
        return id_converter(integer, self._options)

    # --- reading -----------------------------------------------------------------------------

    def _batches(
        self,
        group: FileGroup,
        tokens: tuple[str, ...],
        build: Callable[[list[str], Path, int], Row],
        batch_size: int,
    ) -> Iterator[tuple[list[Row], str]]:
        rows: list[Row] = []
        spans = SourceSpans("line")
        collector = CollectorPause()  # off while a batch is built, on while it is used
        collector.pause()
        try:
            for position, path in enumerate(group.files):
                relative = self._relative(path)
                expect_header = position == 0 or group.header_in_each_file
                span_first = last = 0  # lines of this file in the batch being built
                for first, last, fields in records(path, relative, self._options):
                    if expect_header:
                        expect_header = False
                        if position:
                            self._check_repeated_header(group, path, first, fields, tokens)
                        continue
                    rows.append(build(fields, relative, first))
                    span_first = span_first or first
                    if len(rows) >= batch_size:
                        spans.note(relative, span_first, last)
                        collector.resume()
                        yield rows, spans.text()
                        collector.pause()
                        rows, spans, span_first = [], SourceSpans("line"), 0
                if span_first:
                    spans.note(relative, span_first, last)
            if rows:
                collector.resume()
                yield rows, spans.text()
        finally:
            collector.resume()

    def _check_repeated_header(
        self,
        group: FileGroup,
        path: Path,
        line: int,
        fields: list[str],
        tokens: tuple[str, ...],
    ) -> None:
        if tuple(fields) != tokens:
            first = self._relative(group.files[0]).as_posix()
            raise CsvFormatError(
                self._relative(path),
                line,
                f"its header differs from the one in {first}; the files of group "
                f"'{group.name}' must start with the same header, or share one in "
                f"{group.name}-header.csv",
            )

    def _relative(self, path: Path) -> Path:
        return path.relative_to(self._root)


def _check_batch_size(batch_size: int) -> None:
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
