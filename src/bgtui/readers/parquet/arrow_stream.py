"""A Parquet snapshot as Arrow chunks for the GDS importer: renamed and cast, never row by row.

The layout is the replaced pipeline's (see ``reader.py``): column 0 is the node id (or the
source), 1 the labels (or the target), 2 the type; the rest are properties. Each record batch
read from a file gets its leading columns renamed to ``nodeId`` / ``labels`` or
``sourceNodeId`` / ``targetNodeId`` / ``relationshipType``, its ids and properties cast to the
importer's types, and is split by label set or type when it holds several.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.types as pat

from bgtui.readers.arrow_columns import (
    constant_labels,
    first_index,
    property_column,
    property_type_problem,
    split_by_key,
)
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
from bgtui.readers.errors import ParquetFormatError
from bgtui.readers.parquet.reader import _LEADING, ParquetSnapshotReader, _NameChecker
from bgtui.readers.value_problem import ValueProblem


class ParquetArrowStream(ParquetSnapshotReader):
    """Reads one Parquet snapshot as ``ArrowChunk``s; see ``ArrowSnapshotStream``."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self._plan: ArrowPlan | None = None

    def plan(self) -> ArrowPlan:
        if self._plan is None:
            self._plan = self._make_plan()
        return self._plan

    def node_chunks(self, batch_size: int) -> Iterator[ArrowChunk]:
        for folder, files in self._folders["nodes"]:
            yield from self._chunks("nodes", folder, files, batch_size)

    def relationship_chunks(self, batch_size: int) -> Iterator[ArrowChunk]:
        for folder, files in self._folders["relationships"]:
            yield from self._chunks("relationships", folder, files, batch_size)

    # --- planning ----------------------------------------------------------------------------

    def _make_plan(self) -> ArrowPlan:
        self.check()
        integer = True
        id_names: set[str] = set()
        property_names: set[str] = set()
        for kind, folders in self._folders.items():
            for _, files in folders:
                for path in files:
                    schema = self._open(path).schema_arrow
                    ids = range(1) if kind == "nodes" else range(2)
                    integer = integer and all(
                        _base_type(schema.field(i).type, pat.is_integer) for i in ids
                    )
                    if kind == "nodes":
                        id_names.add(schema.field(0).name)
                    for field in list(schema)[_LEADING[kind] :]:
                        problem = property_type_problem(field.type)
                        if problem:
                            raise ArrowUnsuitable(
                                f"{self._relative(path).as_posix()}, column {field.name!r}: "
                                f"{problem}"
                            )
                        if field.name in RESERVED:
                            raise ArrowUnsuitable(
                                f"{self._relative(path).as_posix()}: the property name "
                                f"{field.name!r} is reserved by the Arrow importer"
                            )
                        if kind == "nodes":
                            property_names.add(field.name)
        id_property = id_names.pop() if len(id_names) == 1 else DEFAULT_ID_PROPERTY
        if id_property in property_names or id_property in RESERVED:
            raise ArrowUnsuitable(
                f"the node ids would be kept in property {id_property!r}, which the snapshot "
                "also uses for something else"
            )
        return ArrowPlan("INTEGER" if integer else "STRING", id_property)

    # --- reading -----------------------------------------------------------------------------

    def _chunks(
        self, kind: str, folder: str, files: list[Path], batch_size: int
    ) -> Iterator[ArrowChunk]:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        plan = self.plan()
        id_type = pa.int64() if plan.id_type == "INTEGER" else pa.string()
        for path in files:
            relative = self._relative(path)
            parquet = self._open(path)
            offset = 0
            try:
                for record_batch in parquet.iter_batches(batch_size=batch_size):
                    shaped = _Shaper(kind, folder, relative, offset, id_type)
                    for stream, batch in shaped.split(record_batch):
                        first = offset + 1
                        source = f"{relative.as_posix()} rows {first}-{offset + batch.num_rows}"
                        entity = "node" if kind == "nodes" else "relationship"
                        yield ArrowChunk(entity, stream, batch, source)
                    offset += record_batch.num_rows
            except ParquetFormatError:
                raise
            except (OSError, ValueError, NotImplementedError) as exc:  # pyarrow's read errors
                raise ParquetFormatError(
                    relative, f"cannot be read ({exc})", row=offset + 1
                ) from exc


class _Shaper:
    """One record batch renamed and cast; rows grouped by label set or type."""

    def __init__(
        self, kind: str, folder: str, relative: Path, offset: int, id_type: pa.DataType
    ) -> None:
        self.kind = kind
        self.folder = folder
        self.relative = relative
        self.offset = offset
        self.id_type = id_type

    def split(self, batch: pa.RecordBatch) -> Iterator[tuple[tuple[str, ...], pa.RecordBatch]]:
        names = batch.schema.names
        leading = _LEADING[self.kind]
        ids = [self._ids(batch.column(i), names[i]) for i in range(leading - 1)]
        raw = batch.column(leading - 1)
        if pat.is_dictionary(raw.type):
            raw = raw.dictionary_decode()
        if pat.is_null(raw.type):
            raw = pa.nulls(len(raw), pa.string())
        raw = raw.cast(pa.string())
        streams = self._streams(raw, names[leading - 1])
        columns: list[pa.Array] = [*ids, raw]
        column_names = [NODE_ID] if self.kind == "nodes" else [SOURCE_ID, TARGET_ID]
        column_names.append("__key")
        for index in range(leading, len(names)):
            try:
                column = property_column(batch.column(index))
            except ValueProblem as problem:
                raise ParquetFormatError(
                    self.relative,
                    str(problem),
                    row=self._bad_row(batch.column(index)),
                    column_name=names[index],
                ) from None
            if column is not None:
                columns.append(column)
                column_names.append(names[index])
        whole = pa.RecordBatch.from_arrays(columns, names=column_names)
        for stream, part in split_by_key(whole, raw, streams):
            keyless = part.drop_columns(["__key"])
            yield stream, self._finish(keyless, stream)

    def _finish(self, batch: pa.RecordBatch, stream: tuple[str, ...]) -> pa.RecordBatch:
        rows = batch.num_rows
        if self.kind == "nodes":
            return batch.add_column(1, LABELS, constant_labels(stream, rows))
        kinds = pa.DictionaryArray.from_arrays(
            pa.repeat(pa.scalar(0, pa.int32()), rows), pa.array(stream, pa.string())
        )
        return batch.add_column(2, RELATIONSHIP_TYPE, kinds)

    def _ids(self, column: pa.Array, name: str) -> pa.Array:
        if pat.is_dictionary(column.type):
            column = column.dictionary_decode()
        empty = pc.is_null(column)
        if pat.is_string(column.type) or pat.is_large_string(column.type):
            empty = pc.or_kleene(empty, pc.equal(column, ""))
        if len(column) and pc.any(empty).as_py():
            row = self.offset + first_index(pc.fill_null(empty, True)) + 1
            raise ParquetFormatError(self.relative, "the id is empty", row=row, column_name=name)
        try:
            return column.cast(self.id_type)
        except (pa.ArrowInvalid, OverflowError) as exc:
            raise ParquetFormatError(
                self.relative,
                f"the ids cannot be read as {self.id_type} ({exc})",
                column_name=name,
            ) from None

    def _streams(self, raw: pa.Array, column_name: str) -> dict[str, tuple[str, ...]]:
        """Each distinct label or type text, checked once, mapped to its stream key."""
        checker = _NameChecker(self.folder, self.relative, column_name)
        streams: dict[str, tuple[str, ...]] = {}
        filled = pc.fill_null(raw, "")
        for value in pc.unique(filled).to_pylist():
            try:
                names = checker.names(value, 0, split=self.kind == "nodes")
            except ParquetFormatError as error:
                row = self.offset + first_index(pc.equal(filled, value)) + 1
                raise ParquetFormatError(
                    error.path, error.problem, row=row, column_name=error.column_name
                ) from None
            streams[value] = tuple(sorted(names)) if self.kind == "nodes" else names
        return streams

    def _bad_row(self, column: Any) -> int | None:
        """The first row whose value broke a whole-column cast (only on the error path)."""
        for index, value in enumerate(column.to_pylist()):
            if isinstance(value, list) and any(item is None for item in value):
                return self.offset + index + 1
            if isinstance(value, int) and value > 2**63 - 1:
                return self.offset + index + 1
        return None


def _base_type(data_type: pa.DataType, check: Any) -> bool:
    if pat.is_dictionary(data_type):
        data_type = data_type.value_type
    return bool(check(data_type))
