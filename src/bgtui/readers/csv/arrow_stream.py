"""A neo4j-admin CSV snapshot read into Arrow with ``pyarrow.csv``, typed from its headers.

Headers are parsed exactly as for Bolt (``header.py``); every field is then read as text by
pyarrow's multi-threaded CSV reader and cast whole-column to the header's type. The Arrow
importer has one ID space and one id property, so a snapshot fits when its node groups
share one ID space and name their ``:ID`` columns alike (or not at all), and its properties
are numbers, booleans or text (arrays too).

When pyarrow refuses a file (a bad number, a short row), the same group is read again by the
row reader, which names the file, line and column; only the error path pays for that.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from bgtui.domain.names import IDENTIFIER_PATTERN
from bgtui.readers.arrow_columns import constant_labels, property_column, split_by_key
from bgtui.readers.arrow_stream import (
    DEFAULT_ID_PROPERTY,
    LABELS,
    NODE_ID,
    RELATIONSHIP_TYPE,
    RESERVED,
    SOURCE_ID,
    TARGET_ID,
    ArrowChunk,
    ArrowPlan,
    ArrowUnsuitable,
)
from bgtui.readers.csv.groups import KINDS, FileGroup, discover_groups
from bgtui.readers.csv.header import PropertyColumn, _HeaderReader
from bgtui.readers.csv.manifest import manifest_groups
from bgtui.readers.csv.reader import CsvSnapshotReader
from bgtui.readers.errors import CsvFormatError, SnapshotFormatError
from bgtui.readers.model import ImportOptions
from bgtui.readers.value_problem import ValueProblem

_INTEGERS = ("int", "long", "byte", "short")
_FLOATS = ("float", "double")
_ARROW_TYPES = ("string", "boolean", *_INTEGERS, *_FLOATS)
_WIDTHS = {"byte": pa.int8(), "short": pa.int16(), "int": pa.int32(), "long": pa.int64()}
#: Bytes pyarrow reads per block; a block becomes one or more record batches.
_BLOCK_BYTES = 16 << 20


@dataclass(frozen=True)
class _Column:
    """A property column with the type its header token declares."""

    index: int
    name: str
    type: str
    is_array: bool


class CsvArrowStream:
    """Reads one CSV snapshot as ``ArrowChunk``s; see ``ArrowSnapshotStream``."""

    format = "csv"

    def __init__(self, root: Path, options: ImportOptions) -> None:
        self._root = root
        self._options = options
        groups = manifest_groups(root)
        if groups is None:
            groups = {kind: discover_groups(root, kind) for kind in KINDS}
        if not groups["nodes"] and not groups["relationships"]:
            raise SnapshotFormatError(f"{root} holds no CSV files in nodes/ or relationships/")
        self._groups = groups
        self._rows = CsvSnapshotReader(root, groups, options)
        self._plan: ArrowPlan | None = None

    def estimated_rows(self) -> int | None:
        return self._rows.estimated_rows()

    def plan(self) -> ArrowPlan:
        if self._plan is None:
            self._plan = self._make_plan()
        return self._plan

    # --- planning ----------------------------------------------------------------------------

    def _make_plan(self) -> ArrowPlan:
        self._rows.check()
        plan = self._rows._planned()
        if self._options.ignore_extra_columns:
            raise ArrowUnsuitable("ignore_extra_columns is set; the Arrow reader needs exact rows")
        for kind in KINDS:
            for group in self._groups.get(kind, []):
                zipped = [path for path in group.files if path.name.lower().endswith(".zip")]
                if zipped:
                    raise ArrowUnsuitable(f"{self._relative(zipped[0])} is a zip file")
        spaces = {item.header.id.space for item in plan.nodes if item.header.id is not None}
        if any(item.header.id is None for item in plan.nodes):
            raise ArrowUnsuitable("a node group has no :ID column")
        for edge in plan.relationships:
            spaces.update((edge.header.start.space, edge.header.end.space))
        if len(spaces) > 1:
            named = ", ".join(sorted(repr(space or "(global)") for space in spaces))
            raise ArrowUnsuitable(f"it uses several ID spaces ({named}); the importer has one")
        names = {item.header.id.property_name for item in plan.nodes if item.header.id}
        if len(names) > 1:
            shown = ", ".join(sorted(repr(name) for name in names if name))
            raise ArrowUnsuitable(f"its :ID columns are named differently ({shown})")
        id_property = next(iter(names)) if names else None
        property_names: set[str] = set()
        for item in plan.nodes:
            for column in self._columns(item.group, item.header.properties):
                property_names.add(column.name)
        for relationship in plan.relationships:
            self._columns(relationship.group, relationship.header.properties)
        if id_property is None:
            id_property = DEFAULT_ID_PROPERTY
            if id_property in property_names:
                raise ArrowUnsuitable(
                    f"its node ids are unnamed and the property {id_property!r} is taken"
                )
        space = next(iter(spaces), None)
        integer = plan.integer_spaces.get(space, False) if space is not None else False
        return ArrowPlan("INTEGER" if integer else "STRING", id_property)

    def _columns(self, group: FileGroup, properties: tuple[PropertyColumn, ...]) -> list[_Column]:
        reader = _HeaderReader(self._relative(group.files[0]), 1, self._options)
        columns = []
        for column in properties:
            token = reader.split(column.index, column.token)
            if token.type not in _ARROW_TYPES:
                raise ArrowUnsuitable(
                    f"{group.kind} group '{group.name}', column {column.token!r}: {token.type} "
                    "values have no documented form in the GDS Arrow importer (UNCONFIRMED)"
                )
            if column.name in RESERVED:
                raise ArrowUnsuitable(
                    f"the property name {column.name!r} is reserved by the Arrow importer"
                )
            columns.append(_Column(column.index, column.name, token.type, token.is_array))
        return columns

    # --- reading -----------------------------------------------------------------------------

    def node_chunks(self, batch_size: int) -> Iterator[ArrowChunk]:
        plan = self._rows._planned()
        for item in plan.nodes:
            header = item.header
            assert header.id is not None  # the plan refused groups without one
            columns = self._columns(item.group, header.properties)
            for batch, source in self._batches(item.group, batch_size):
                try:
                    ids = self._ids(batch.column(header.id.index))
                    raw_labels = self._joined(batch, header.label_columns)
                    streams = self._label_streams(raw_labels, item.extra_labels)
                    arrays, names = self._properties(batch, columns)
                except (ValueProblem, pa.ArrowInvalid, ValueError) as exc:
                    self._raise_precisely("nodes", item.group, exc)
                whole = pa.RecordBatch.from_arrays([ids, *arrays], names=[NODE_ID, *names])
                for stream, part in split_by_key(whole, raw_labels, streams):
                    labelled = part.add_column(1, LABELS, constant_labels(stream, part.num_rows))
                    yield ArrowChunk("node", stream, labelled, source)

    def relationship_chunks(self, batch_size: int) -> Iterator[ArrowChunk]:
        plan = self._rows._planned()
        for item in plan.relationships:
            header = item.header
            columns = self._columns(item.group, header.properties)
            for batch, source in self._batches(item.group, batch_size):
                try:
                    start = self._ids(batch.column(header.start.index))
                    end = self._ids(batch.column(header.end.index))
                    raw_types = self._joined(
                        batch, () if header.type_column is None else (header.type_column,)
                    )
                    streams = self._type_streams(raw_types, item.default_type)
                    arrays, names = self._properties(batch, columns)
                except (ValueProblem, pa.ArrowInvalid, ValueError) as exc:
                    self._raise_precisely("relationships", item.group, exc)
                whole = pa.RecordBatch.from_arrays(
                    [start, end, *arrays], names=[SOURCE_ID, TARGET_ID, *names]
                )
                for stream, part in split_by_key(whole, raw_types, streams):
                    kinds = pa.DictionaryArray.from_arrays(
                        pa.repeat(pa.scalar(0, pa.int32()), part.num_rows),
                        pa.array(stream, pa.string()),
                    )
                    yield ArrowChunk(
                        "relationship", stream, part.add_column(2, RELATIONSHIP_TYPE, kinds), source
                    )

    def _batches(self, group: FileGroup, batch_size: int) -> Iterator[tuple[pa.RecordBatch, str]]:
        """Every data row of the group as text columns ``c0…``, header lines skipped."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        tokens = self._tokens(group)
        names = [f"c{index}" for index in range(len(tokens))]
        options = self._options
        parse = pacsv.ParseOptions(
            delimiter=options.delimiter, quote_char=options.quote, newlines_in_values=True
        )
        convert = pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        )
        for position, path in enumerate(group.files):
            relative = self._relative(path)
            skip = 1 if position == 0 or group.header_in_each_file else 0
            read = pacsv.ReadOptions(column_names=names, skip_rows=skip, block_size=_BLOCK_BYTES)
            compression = "gzip" if path.name.lower().endswith(".gz") else None
            rows_seen = 0
            try:
                with pa.input_stream(str(path), compression=compression) as stream:
                    reader = pacsv.open_csv(
                        stream, read_options=read, parse_options=parse, convert_options=convert
                    )
                    for batch in reader:
                        for start in range(0, batch.num_rows, batch_size):
                            part = batch.slice(start, batch_size)
                            first = rows_seen + 1
                            rows_seen += part.num_rows
                            yield part, f"{relative.as_posix()} rows {first}-{rows_seen}"
            except (pa.ArrowInvalid, OSError) as exc:
                self._raise_precisely(group.kind, group, exc)

    # --- columns -----------------------------------------------------------------------------

    def _tokens(self, group: FileGroup) -> tuple[str, ...]:
        plan = self._rows._planned()
        for node in plan.nodes:
            if node.group is group:
                return node.header.tokens
        for relationship in plan.relationships:
            if relationship.group is group:
                return relationship.header.tokens
        raise KeyError(group.name)

    def _ids(self, column: pa.Array) -> pa.Array:
        plan = self.plan()
        if self._options.trim_strings:
            column = pc.utf8_trim_whitespace(column)
        if column.null_count:
            raise ValueProblem("an id is empty")
        if plan.id_type == "INTEGER":
            return column.cast(pa.int64())
        return column

    def _joined(self, batch: pa.RecordBatch, indexes: tuple[int, ...]) -> pa.Array:
        """The label (or type) columns joined by the array delimiter, one text per row."""
        if not indexes:
            return pa.nulls(batch.num_rows, pa.string())
        columns = [pc.fill_null(batch.column(index), "") for index in indexes]
        if len(columns) == 1:
            return columns[0]
        return pc.binary_join_element_wise(*columns, self._options.array_delimiter)

    def _label_streams(self, raw: pa.Array, extra: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        streams = {}
        for value in pc.unique(pc.fill_null(raw, "")).to_pylist():
            parts = [part.strip() for part in value.split(self._options.array_delimiter)]
            labels = {part for part in parts if part} | set(extra)
            for label in labels:
                if not IDENTIFIER_PATTERN.match(label):
                    raise ValueProblem(f"{label!r} is not an allowed label")
            streams[value] = tuple(sorted(labels))
        return streams

    def _type_streams(self, raw: pa.Array, default: str | None) -> dict[str, tuple[str, ...]]:
        streams: dict[str, tuple[str, ...]] = {}
        for value in pc.unique(pc.fill_null(raw, "")).to_pylist():
            rel_type = value.strip() or default
            if not rel_type or not IDENTIFIER_PATTERN.match(rel_type):
                raise ValueProblem(f"{value!r} is not an allowed relationship type")
            streams[value] = (rel_type,)
        return streams

    def _properties(
        self, batch: pa.RecordBatch, columns: list[_Column]
    ) -> tuple[list[pa.Array], list[str]]:
        arrays, names = [], []
        for column in columns:
            raw = batch.column(column.index)
            if self._options.trim_strings:
                raw = pc.utf8_trim_whitespace(raw)
            if column.is_array:
                split = pc.split_pattern(raw, self._options.array_delimiter)
                values = _typed(pc.list_flatten(split), column.type)
                typed = pa.ListArray.from_arrays(split.offsets, values, mask=pc.is_null(split))
            else:
                typed = _typed(raw, column.type)
            converted = property_column(typed)
            if converted is not None:
                arrays.append(converted)
                names.append(column.name)
        return arrays, names

    # --- errors ------------------------------------------------------------------------------

    def _raise_precisely(self, kind: str, group: FileGroup, exc: Exception) -> Any:
        """Read the group row by row to name the file, line and column; else say what pyarrow
        said at the group's first file."""
        try:
            batches = (
                self._rows.node_batches(10_000)
                if kind == "nodes"
                else self._rows.relationship_batches(10_000)
            )
            for batch in batches:
                if batch.group == group.name:
                    continue
        except SnapshotFormatError:
            raise
        raise CsvFormatError(
            self._relative(group.files[0]), 1, f"cannot be read as typed by its header ({exc})"
        ) from exc

    def _relative(self, path: Path) -> Path:
        return path.relative_to(self._root)


def _typed(column: pa.Array, type_name: str) -> pa.Array:
    """Text cast to the header's type, whole-column (``boolean`` is true only for ``true``)."""
    if type_name in _INTEGERS:
        # Through the declared width first, so an out-of-range value fails as on Bolt.
        return column.cast(_WIDTHS[type_name]).cast(pa.int64())
    if type_name in _FLOATS:
        return column.cast(pa.float64())
    if type_name == "boolean":
        return pc.equal(pc.utf8_trim_whitespace(column), "true")
    return column
