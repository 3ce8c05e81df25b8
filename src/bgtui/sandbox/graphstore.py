"""The stored graph of one sandbox database, kept in dicts so a large batch stays cheap.

Nodes and relationships live in dicts keyed by id, with an ordered index per label and per
relationship type (counts are ``len`` of an index, like Neo4j's count store). A uniqueness
constraint owns a dict from value to node id, so a duplicate is found with one lookup and a
relationship endpoint with another.

Every change appends an entry to the caller's undo log; ``undo`` replays entries backwards,
which is how a failing statement leaves nothing behind and how ROLLBACK works.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from bgtui.sandbox import errors

UndoLog = list[tuple[Any, ...]]
_ABSENT = object()


class Node:
    __slots__ = ("id", "labels", "properties")

    def __init__(self, node_id: int, labels: frozenset[str], properties: dict[str, Any]) -> None:
        self.id = node_id
        self.labels = labels  # shared between nodes of a batch; replaced, never mutated
        self.properties = properties


class Relationship:
    __slots__ = ("end", "id", "properties", "start", "type")

    def __init__(
        self, rel_id: int, rel_type: str, start: int, end: int, properties: dict[str, Any]
    ) -> None:
        self.id = rel_id
        self.type = rel_type
        self.start = start
        self.end = end
        self.properties = properties


@dataclass(frozen=True)
class Constraint:
    """A node property uniqueness constraint: ``(n:label) REQUIRE n.key IS UNIQUE``."""

    name: str
    label: str
    key: str


def index_key(value: Any) -> Hashable:
    """A hashable stand-in for a property value that keeps Cypher's equality.

    Numbers compare by value (1 = 1.0) but booleans never equal numbers, and lists compare
    element-wise; other unhashable values (temporal structures) compare by their repr.
    """
    kind = type(value)
    if kind is str or kind is int or kind is float:
        return value
    if kind is bool:
        return (bool, value)
    if isinstance(value, list | tuple):
        return (list, tuple(index_key(item) for item in value))
    try:
        hash(value)
    except TypeError:
        return (kind.__name__, repr(value))
    return value


class GraphStore:
    """Nodes, relationships, their indexes and uniqueness constraints for one database."""

    def __init__(self) -> None:
        self.nodes: dict[int, Node] = {}
        self.relationships: dict[int, Relationship] = {}
        self.constraints: dict[str, Constraint] = {}
        self._by_label: dict[str, dict[int, None]] = {}
        self._by_type: dict[str, dict[int, None]] = {}
        self._unique: dict[tuple[str, str], dict[Hashable, int]] = {}
        self._next_node = 0
        self._next_relationship = 0

    # --- reading ---------------------------------------------------------------------------

    def node_count(self, label: str | None = None) -> int:
        return len(self.nodes) if label is None else len(self._by_label.get(label, ()))

    def relationship_count(self, rel_type: str | None = None) -> int:
        if rel_type is None:
            return len(self.relationships)
        return len(self._by_type.get(rel_type, ()))

    def labels(self) -> list[str]:
        """Labels carried by at least one node, sorted."""
        return sorted(label for label, ids in self._by_label.items() if ids)

    def relationship_types(self) -> list[str]:
        return sorted(rel_type for rel_type, ids in self._by_type.items() if ids)

    def property_keys(self) -> list[str]:
        keys: set[str] = set()
        for node in self.nodes.values():
            keys.update(node.properties)
        for rel in self.relationships.values():
            keys.update(rel.properties)
        return sorted(keys)

    def nodes_in_order(self, label: str | None = None, limit: int | None = None) -> list[Node]:
        """Nodes (with ``label``) in creation order, at most ``limit`` of them."""
        ids: Iterable[int] = self.nodes if label is None else self._by_label.get(label, {})
        return [self.nodes[node_id] for node_id in islice(ids, limit)]

    def finder(self, label: str, key: str) -> Callable[[Any], list[int]]:
        """Look nodes up by ``(:label {key: value})``: a seek with a constraint, else a scan.

        Without a constraint the label is scanned once per call to ``finder`` (per statement),
        not once per row.
        """
        unique = self._unique.get((label, key))
        if unique is not None:
            index = unique

            def seek(value: Any) -> list[int]:
                found = index.get(index_key(value)) if value is not None else None
                return [] if found is None else [found]

            return seek
        groups: dict[Hashable, list[int]] = {}
        for node_id in self._by_label.get(label, {}):
            value = self.nodes[node_id].properties.get(key)
            if value is not None:
                groups.setdefault(index_key(value), []).append(node_id)
        return lambda value: [] if value is None else groups.get(index_key(value), [])

    # --- writing ---------------------------------------------------------------------------

    def create_nodes(
        self, labels: Iterable[str], rows: Iterable[dict[str, Any]], log: UndoLog
    ) -> int:
        """Create one node per property map; returns how many were created.

        Raises:
            CypherFailure: ConstraintValidationFailed on a duplicate; nodes created so far are
                in ``log``, so the caller undoes them.
        """
        label_set = frozenset(labels)
        checks = [
            (constraint.label, constraint.key, self._unique[(constraint.label, constraint.key)])
            for constraint in self.constraints.values()
            if constraint.label in label_set
        ]
        indexes = [self._by_label.setdefault(label, {}) for label in label_set]
        created: list[int] = []
        log.append(("nodes", created))
        nodes = self.nodes
        for properties in rows:
            node_id = self._next_node
            for label, key, unique in checks:
                value = properties.get(key)
                if value is not None and index_key(value) in unique:
                    existing = unique[index_key(value)]
                    raise errors.constraint_violation(existing, label, key, value)
            for _label, key, unique in checks:
                value = properties.get(key)
                if value is not None:
                    unique[index_key(value)] = node_id
            self._next_node = node_id + 1
            nodes[node_id] = Node(node_id, label_set, properties)
            for index in indexes:
                index[node_id] = None
            created.append(node_id)
        return len(created)

    def create_relationships(
        self, rel_type: str, rows: Iterable[tuple[int, int, dict[str, Any]]], log: UndoLog
    ) -> int:
        """Create one relationship per ``(start, end, properties)``; returns the count."""
        created: list[int] = []
        log.append(("relationships", created))
        index = self._by_type.setdefault(rel_type, {})
        for start, end, properties in rows:
            rel_id = self._next_relationship
            self._next_relationship = rel_id + 1
            self.relationships[rel_id] = Relationship(rel_id, rel_type, start, end, properties)
            index[rel_id] = None
            created.append(rel_id)
        return len(created)

    def remove_label(self, node: Node, label: str, log: UndoLog) -> bool:
        if label not in node.labels:
            return False
        self._unindex(node, labels=(label,))
        node.labels = node.labels - {label}
        self._by_label[label].pop(node.id, None)
        log.append(("label", node.id, label))
        return True

    def remove_property(self, node: Node, key: str, log: UndoLog) -> bool:
        if key not in node.properties:
            return False
        self._unindex(node, keys=(key,))
        log.append(("property", node.id, key, node.properties.pop(key)))
        return True

    def add_constraint(self, constraint: Constraint, log: UndoLog) -> None:
        """Create the constraint and its index over the nodes already stored.

        Raises:
            CypherFailure: ConstraintCreationFailed when existing nodes hold duplicates.
        """
        unique: dict[Hashable, int] = {}
        for node_id in self._by_label.get(constraint.label, {}):
            value = self.nodes[node_id].properties.get(constraint.key)
            if value is None:
                continue
            key = index_key(value)
            if key in unique:
                raise errors.constraint_creation_failed(
                    constraint.name, constraint.label, constraint.key, unique[key], node_id, value
                )
            unique[key] = node_id
        self.constraints[constraint.name] = constraint
        self._unique[(constraint.label, constraint.key)] = unique
        log.append(("constraint added", constraint.name))

    def drop_constraint(self, name: str, log: UndoLog) -> None:
        constraint = self.constraints.pop(name)
        unique = self._unique.pop((constraint.label, constraint.key))
        log.append(("constraint dropped", constraint, unique))

    # --- undo --------------------------------------------------------------------------------

    def undo(self, log: UndoLog, down_to: int = 0) -> None:
        """Reverse the entries of ``log`` after position ``down_to``, newest first."""
        while len(log) > down_to:
            entry = log.pop()
            kind = entry[0]
            if kind == "nodes":
                for node_id in reversed(entry[1]):
                    self._forget_node(node_id)
            elif kind == "relationships":
                for rel_id in reversed(entry[1]):
                    rel = self.relationships.pop(rel_id)
                    self._by_type[rel.type].pop(rel_id, None)
            elif kind == "label":
                node = self.nodes[entry[1]]
                node.labels = node.labels | {entry[2]}
                self._by_label.setdefault(entry[2], {})[node.id] = None
                self._index(node, labels=(entry[2],))
            elif kind == "property":
                node = self.nodes[entry[1]]
                node.properties[entry[2]] = entry[3]
                self._index(node, keys=(entry[2],))
            elif kind == "constraint added":
                constraint = self.constraints.pop(entry[1])
                self._unique.pop((constraint.label, constraint.key), None)
            elif kind == "constraint dropped":
                self.constraints[entry[1].name] = entry[1]
                self._unique[(entry[1].label, entry[1].key)] = entry[2]

    def _forget_node(self, node_id: int) -> None:
        node = self.nodes.pop(node_id)
        self._unindex(node)
        for label in node.labels:
            self._by_label[label].pop(node_id, None)

    def _constrained(
        self, node: Node, labels: Iterable[str] | None, keys: Iterable[str] | None
    ) -> Iterator[tuple[dict[Hashable, int], Hashable]]:
        """The unique-index entries a node holds, limited to some labels or keys."""
        label_filter = set(labels) if labels is not None else None
        key_filter = set(keys) if keys is not None else None
        for constraint in self.constraints.values():
            if constraint.label not in node.labels:
                continue
            if label_filter is not None and constraint.label not in label_filter:
                continue
            if key_filter is not None and constraint.key not in key_filter:
                continue
            value = node.properties.get(constraint.key, _ABSENT)
            if value is not _ABSENT and value is not None:
                yield self._unique[(constraint.label, constraint.key)], index_key(value)

    def _unindex(
        self, node: Node, labels: Iterable[str] | None = None, keys: Iterable[str] | None = None
    ) -> None:
        for unique, key in self._constrained(node, labels, keys):
            if unique.get(key) == node.id:
                del unique[key]

    def _index(
        self, node: Node, labels: Iterable[str] | None = None, keys: Iterable[str] | None = None
    ) -> None:
        for unique, key in self._constrained(node, labels, keys):
            unique[key] = node.id
