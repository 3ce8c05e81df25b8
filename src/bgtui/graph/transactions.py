"""The loader's transaction functions and the row shapes they send.

Each builder partitions a batch (labels and types cannot be parameters, so one statement per
label set or type) and returns a function for ``execute_write``. Those functions are pure: the
driver may run one again after a transient failure, so they read nothing but their arguments
and return everything the loader accounts for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import neo4j

from bgtui.graph import cypher
from bgtui.readers import NodeRow, RelationshipRow

#: What a node batch created, per label set.
NodesCreated = dict[tuple[str, ...], int]
#: Per relationship type: rows sent, relationships created, rows that lacked a node.
RelationshipsWritten = dict[str, tuple[int, int, list[dict[str, Any]]]]


def consume(statement: str) -> Callable[[neo4j.ManagedTransaction], None]:
    def work(tx: neo4j.ManagedTransaction) -> None:
        tx.run(statement).consume()

    return work


def single_count(
    statement: str, column: str, **parameters: Any
) -> Callable[[neo4j.ManagedTransaction], int]:
    def work(tx: neo4j.ManagedTransaction) -> int:
        return int(tx.run(statement, parameters).single(strict=True)[column])

    return work


def create_nodes(
    rows: Iterable[NodeRow], space: int | None, *, skipping: bool
) -> Callable[[neo4j.ManagedTransaction], NodesCreated]:
    """One statement per label set (labels cannot be parameters), all in one transaction."""
    by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_labels[tuple(sorted(set(row.labels)))].append({"id": row.id, "props": row.properties})

    def work(tx: neo4j.ManagedTransaction) -> NodesCreated:
        created: NodesCreated = {}
        for labels, params in by_labels.items():
            if skipping and space is not None:
                statement = cypher.create_nodes_skipping_duplicates(labels, space)
            else:
                statement = cypher.create_nodes(labels, space)
            created[labels] = int(tx.run(statement, rows=params).single(strict=True)["created"])
        return created

    return work


def create_relationships(
    rows: Iterable[RelationshipRow], start: int, end: int
) -> Callable[[neo4j.ManagedTransaction], RelationshipsWritten]:
    """One statement per type, answering (rows sent, created, rows that lacked a node) per type."""
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_type[row.type].append({"start": row.start, "end": row.end, "props": row.properties})

    def work(tx: neo4j.ManagedTransaction) -> RelationshipsWritten:
        written: RelationshipsWritten = {}
        for rel_type, params in by_type.items():
            statement = cypher.create_relationships(rel_type, start, end)
            count = int(tx.run(statement, rows=params).single(strict=True)["created"])
            missing: list[dict[str, Any]] = []
            if count < len(params):
                finder = cypher.find_missing_endpoints(start, end)
                missing = [record.data() for record in tx.run(finder, rows=params)]
            written[rel_type] = (len(params), count, missing)
        return written

    return work


def first_of_each_id(rows: list[NodeRow]) -> tuple[list[NodeRow], list[NodeRow]]:
    """Split a batch into the first row of each id and the rows that repeat an id."""
    seen: set[Any] = set()
    unique: list[NodeRow] = []
    repeated: list[NodeRow] = []
    for row in rows:
        if row.id in seen:
            repeated.append(row)
        else:
            seen.add(row.id)
            unique.append(row)
    return unique, repeated
