"""A sandbox graph built from Arrow record batches, kept column-wise until someone reads rows.

The GDS Arrow importer hands the sandbox millions of rows at a time. Building one Python
``Node`` per row would make the stand-in, not the protocol, the slow part. So a database
created through Arrow keeps the record batches as they arrived; counts, labels, types and
property keys (what validation asks) come from vectorised Arrow computations, and the rows
become ordinary ``Node`` / ``Relationship`` objects only on the first statement that needs
them (a read of nodes, a write, a constraint). After that it is a plain ``GraphStore``.

Imported only when pyarrow is installed (the Flight server needs it anyway).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from bgtui.sandbox.graphstore import Constraint, GraphStore, Node, UndoLog

NODE_ID = "nodeId"
LABELS = "labels"
SOURCE_ID = "sourceNodeId"
TARGET_ID = "targetNodeId"
RELATIONSHIP_TYPE = "relationshipType"
_NODE_RESERVED = (NODE_ID, LABELS)
_RELATIONSHIP_RESERVED = (SOURCE_ID, TARGET_ID, RELATIONSHIP_TYPE)


@dataclass(frozen=True)
class ArrowGraphData:
    """What an import received: node and relationship record batches, untouched."""

    id_property: str
    node_batches: list[pa.RecordBatch]
    relationship_batches: list[pa.RecordBatch]


def label_lists(column: pa.Array) -> pa.Array:
    """A ``labels`` column as ``list<utf8>``, whether it came as text, dictionary or list."""
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        return column
    offsets = pa.array(range(len(column) + 1), pa.int32())
    return pa.ListArray.from_arrays(offsets, column.cast(pa.string()))


def plain_text(column: pa.Array) -> pa.Array:
    """A text column without dictionary encoding."""
    if pa.types.is_dictionary(column.type):
        return column.dictionary_decode()
    return column


def _value_counts(column: pa.Array) -> dict[str, int]:
    counts: dict[str, int] = {}
    if len(column) == 0:
        return counts
    for entry in pc.value_counts(column).to_pylist():
        if entry["values"] is not None:
            counts[entry["values"]] = counts.get(entry["values"], 0) + entry["counts"]
    return counts


def _property_keys(batches: Iterable[pa.RecordBatch], reserved: tuple[str, ...]) -> set[str]:
    """Columns that hold at least one stored value (nulls and empty lists are not stored)."""
    keys: set[str] = set()
    for batch in batches:
        for name, column in zip(batch.schema.names, batch.columns, strict=True):
            if name in reserved or name in keys:
                continue
            if column.null_count == len(column):
                continue
            if pa.types.is_list(column.type) and pc.max(pc.list_value_length(column)).as_py() == 0:
                continue
            keys.add(name)
    return keys


class ColumnarGraphStore(GraphStore):
    """A ``GraphStore`` whose first contents are Arrow batches, materialised on demand."""

    def __init__(self, data: ArrowGraphData) -> None:
        super().__init__()
        self._pending: ArrowGraphData | None = data
        self._node_total = 0
        self._label_counts: dict[str, int] = {}
        for batch in data.node_batches:
            self._node_total += batch.num_rows
            if LABELS in batch.schema.names:
                labels = label_lists(batch.column(LABELS))
                for label, n in _value_counts(pc.list_flatten(labels)).items():
                    self._label_counts[label] = self._label_counts.get(label, 0) + n
        self._relationship_total = 0
        self._type_counts: dict[str, int] = {}
        for batch in data.relationship_batches:
            self._relationship_total += batch.num_rows
            types = plain_text(batch.column(RELATIONSHIP_TYPE))
            for rel_type, n in _value_counts(types).items():
                self._type_counts[rel_type] = self._type_counts.get(rel_type, 0) + n
        keys = _property_keys(data.node_batches, _NODE_RESERVED)
        keys |= _property_keys(data.relationship_batches, _RELATIONSHIP_RESERVED)
        if self._node_total:
            keys.add(data.id_property)
        self._keys = keys

    @property
    def materialised(self) -> bool:
        return self._pending is None

    # --- answered from the columns while nothing has been read row by row --------------------

    def node_count(self, label: str | None = None) -> int:
        if self._pending is None:
            return super().node_count(label)
        return self._node_total if label is None else self._label_counts.get(label, 0)

    def relationship_count(self, rel_type: str | None = None) -> int:
        if self._pending is None:
            return super().relationship_count(rel_type)
        if rel_type is None:
            return self._relationship_total
        return self._type_counts.get(rel_type, 0)

    def labels(self) -> list[str]:
        if self._pending is None:
            return super().labels()
        return sorted(label for label, n in self._label_counts.items() if n)

    def relationship_types(self) -> list[str]:
        if self._pending is None:
            return super().relationship_types()
        return sorted(rel_type for rel_type, n in self._type_counts.items() if n)

    def property_keys(self) -> list[str]:
        if self._pending is None:
            return super().property_keys()
        return sorted(self._keys)

    # --- everything else works on rows ---------------------------------------------------------

    def nodes_in_order(self, label: str | None = None, limit: int | None = None) -> list[Node]:
        self.materialise()
        return super().nodes_in_order(label, limit)

    def finder(self, label: str, key: str) -> Callable[[Any], list[int]]:
        self.materialise()
        return super().finder(label, key)

    def create_nodes(
        self, labels: Iterable[str], rows: Iterable[dict[str, Any]], log: UndoLog
    ) -> int:
        self.materialise()
        return super().create_nodes(labels, rows, log)

    def create_relationships(
        self, rel_type: str, rows: Iterable[tuple[int, int, dict[str, Any]]], log: UndoLog
    ) -> int:
        self.materialise()
        return super().create_relationships(rel_type, rows, log)

    def remove_label(self, node: Node, label: str, log: UndoLog) -> bool:
        self.materialise()
        return super().remove_label(node, label, log)

    def remove_property(self, node: Node, key: str, log: UndoLog) -> bool:
        self.materialise()
        return super().remove_property(node, key, log)

    def add_constraint(self, constraint: Constraint, log: UndoLog) -> None:
        self.materialise()
        super().add_constraint(constraint, log)

    def drop_constraint(self, name: str, log: UndoLog) -> None:
        self.materialise()
        super().drop_constraint(name, log)

    def undo(self, log: UndoLog, down_to: int = 0) -> None:
        if len(log) > down_to:
            self.materialise()
        super().undo(log, down_to)

    # --- turning columns into rows, once ---------------------------------------------------

    def materialise(self) -> None:
        """Build the row objects from the batches; later calls do nothing."""
        data, self._pending = self._pending, None
        if data is None:
            return
        internal: dict[Any, int] = {}
        log: UndoLog = []
        for batch in data.node_batches:
            names = batch.schema.names
            ids = batch.column(NODE_ID).to_pylist()
            label_sets: list[frozenset[str]]
            if LABELS in names:
                shared: dict[tuple[str, ...], frozenset[str]] = {}
                label_sets = [
                    shared.setdefault(tuple(row or ()), frozenset(row or ()))
                    for row in label_lists(batch.column(LABELS)).to_pylist()
                ]
            else:
                label_sets = [frozenset()] * batch.num_rows
            columns = _property_columns(batch, _NODE_RESERVED)
            for index, original in enumerate(ids):
                properties = {data.id_property: original}
                for name, values in columns:
                    value = values[index]
                    if value is not None and value != []:
                        properties[name] = value
                internal[original] = self._next_node
                self.create_nodes(label_sets[index], [properties], log)
        for batch in data.relationship_batches:
            starts = batch.column(SOURCE_ID).to_pylist()
            ends = batch.column(TARGET_ID).to_pylist()
            types = plain_text(batch.column(RELATIONSHIP_TYPE)).to_pylist()
            columns = _property_columns(batch, _RELATIONSHIP_RESERVED)
            for index, rel_type in enumerate(types):
                properties = {}
                for name, values in columns:
                    value = values[index]
                    if value is not None and value != []:
                        properties[name] = value
                row = (internal[starts[index]], internal[ends[index]], properties)
                self.create_relationships(rel_type, [row], log)


def _property_columns(batch: pa.RecordBatch, reserved: tuple[str, ...]) -> list[tuple[str, list]]:
    return [
        (name, plain_text(column).to_pylist())
        for name, column in zip(batch.schema.names, batch.columns, strict=True)
        if name not in reserved
    ]
