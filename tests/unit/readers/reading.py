"""Read a whole (small) snapshot into lists, for assertions."""

from __future__ import annotations

from pathlib import Path

from bgtui.readers import (
    ImportOptions,
    NodeBatch,
    NodeRow,
    RelationshipBatch,
    RelationshipRow,
    open_snapshot,
)


def node_batches(
    root: Path, options: ImportOptions | None = None, batch_size: int = 1000
) -> list[NodeBatch]:
    reader = open_snapshot(root, options or ImportOptions())
    reader.check()
    return list(reader.node_batches(batch_size))


def relationship_batches(
    root: Path, options: ImportOptions | None = None, batch_size: int = 1000
) -> list[RelationshipBatch]:
    reader = open_snapshot(root, options or ImportOptions())
    reader.check()
    return list(reader.relationship_batches(batch_size))


def nodes(root: Path, options: ImportOptions | None = None) -> list[NodeRow]:
    return [row for batch in node_batches(root, options) for row in batch.rows]


def relationships(root: Path, options: ImportOptions | None = None) -> list[RelationshipRow]:
    return [row for batch in relationship_batches(root, options) for row in batch.rows]
