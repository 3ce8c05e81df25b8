"""A snapshot as Arrow record batches in the columns the GDS Arrow importer takes.

The Bolt loader wants rows; the Arrow loader wants column batches named ``nodeId``,
``labels``, ``sourceNodeId``, ``targetNodeId``, ``relationshipType`` plus properties. This
is the second shape: each chunk belongs to one stream (a label set or a relationship type,
with one schema), so the loader opens one DoPut per stream. No per-row Python runs on the way:
columns are renamed, cast or filtered whole.

Not every snapshot fits the importer (one global ID space, one id property, a few property
types); ``ArrowUnsuitable`` says why before anything is sent, so ``auto`` can use Bolt.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pyarrow as pa

NODE_ID = "nodeId"
LABELS = "labels"
SOURCE_ID = "sourceNodeId"
TARGET_ID = "targetNodeId"
RELATIONSHIP_TYPE = "relationshipType"
RESERVED = (NODE_ID, LABELS, SOURCE_ID, TARGET_ID, RELATIONSHIP_TYPE)
#: The id property when the snapshot does not name its node ids.
DEFAULT_ID_PROPERTY = "id"


class ArrowUnsuitable(Exception):
    """The snapshot is readable, but not as the GDS Arrow importer takes it (Bolt can)."""


@dataclass(frozen=True)
class ArrowPlan:
    """What ``CREATE_DATABASE`` needs to know, chosen from the snapshot.

    ``id_type`` is ``INTEGER`` when every node id and endpoint column holds whole numbers,
    else ``STRING``; ``id_property`` is the name the snapshot gives its node ids (where the
    importer keeps them on every node).
    """

    id_type: str  # "INTEGER" | "STRING"
    id_property: str


@dataclass(frozen=True)
class ArrowChunk:
    """Consecutive rows of one stream: a label set's nodes or a type's relationships."""

    entity_type: str  # "node" | "relationship"
    stream: tuple[str, ...]  # the sorted label set, or (type,)
    batch: pa.RecordBatch
    source: str  # "nodes/Person/part-0.parquet rows 1-100000", for messages


class ArrowSnapshotStream(Protocol):
    """One snapshot folder as Arrow chunks (constant memory whatever its size)."""

    format: str

    def plan(self) -> ArrowPlan:
        """Read every header or schema and decide the id type and id property.

        Raises:
            SnapshotFormatError: a bad header, file group or layout.
            ArrowUnsuitable: the snapshot cannot go through the Arrow importer.
        """
        ...

    def estimated_rows(self) -> int | None: ...

    def node_chunks(self, batch_size: int) -> Iterator[ArrowChunk]:
        """Node batches of at most ``batch_size`` rows.

        Raises:
            SnapshotFormatError: a bad value, at its file, line or row, and column.
        """
        ...

    def relationship_chunks(self, batch_size: int) -> Iterator[ArrowChunk]: ...
