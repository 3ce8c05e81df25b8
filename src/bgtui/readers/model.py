"""What the snapshot readers hand to the loader: plain rows in batches, whatever the format.

The loader never learns whether rows came from CSV or Parquet; it sees ID spaces, labels,
types and typed property values. Values are Python scalars, lists, ``datetime`` values and
the driver's ``Duration`` and point types, which the driver sends as Bolt structures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

#: The ID space of ``:ID`` / ``:START_ID`` / ``:END_ID`` written without a ``(group)``, and
#: the one space of every Parquet snapshot's node ids.
GLOBAL_ID_SPACE = ""

#: neo4j-admin's ``--id-type`` values
#: (https://neo4j.com/docs/operations-manual/current/import/). ``actual`` ids are integers;
#: neo4j-admin would also use them as the internal node ids, which a load through Cypher
#: cannot do, so bgtui reads them as ``integer`` ids.
ID_TYPES = ("string", "integer", "actual")
INTEGER_ID_TYPES = frozenset({"integer", "actual"})
FORMATS = ("auto", "csv", "parquet")
_TAB_NAMES = frozenset({"\\t", "tab"})


def option_character(value: str) -> str:
    """A delimiter or quote as neo4j-admin reads it: ``\\t`` or ``TAB`` (any case) is a tab."""
    return "\t" if value.lower() in _TAB_NAMES else value


@dataclass(frozen=True, slots=True)
class NodeRow:
    """One node: its id in its group's ID space, its labels and its non-empty properties."""

    id: str | int | None  # None when the group has no :ID column
    labels: tuple[str, ...]
    properties: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RelationshipRow:
    """One relationship between two node ids of its batch's start and end ID spaces."""

    start: str | int
    end: str | int
    type: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class NodeBatch:
    """Consecutive nodes of one file group, all in one ID space."""

    group: str  # e.g. "people" (file group) or "Person" (Parquet folder)
    id_space: str | None  # None: the group has no :ID column
    rows: list[NodeRow]
    source: str  # "nodes/people-part1.csv lines 2-1001", for messages


@dataclass(frozen=True)
class RelationshipBatch:
    """Consecutive relationships of one file group, between two ID spaces."""

    group: str
    start_space: str
    end_space: str
    rows: list[RelationshipRow]
    source: str


@dataclass(frozen=True)
class ImportOptions:
    """How to read a snapshot; the defaults are neo4j-admin's
    (https://neo4j.com/docs/operations-manual/current/import/).

    ``delimiter`` also takes ``\\t`` or ``TAB`` for a tab, as neo4j-admin does.

    Raises:
        ValueError: an option neo4j-admin would refuse too (a delimiter of several
            characters, the same character for two jobs, an unknown id type or format).
    """

    delimiter: str = ","
    array_delimiter: str = ";"
    quote: str = '"'
    id_type: str = "string"  # "string" | "integer" | "actual"
    ignore_empty_strings: bool = False
    trim_strings: bool = False
    ignore_extra_columns: bool = False
    format: str = "auto"  # "auto" | "csv" | "parquet"

    def __post_init__(self) -> None:
        for name in ("delimiter", "array_delimiter", "quote"):
            value = option_character(getattr(self, name))
            object.__setattr__(self, name, value)
            if len(value) != 1:
                raise ValueError(f"{name} must be a single character, got {value!r}")
            if value in "\r\n":
                raise ValueError(f"{name} cannot be a line break")
        if len({self.delimiter, self.array_delimiter, self.quote}) != 3:
            raise ValueError(
                "delimiter, array_delimiter and quote must be three different characters, got "
                f"{self.delimiter!r}, {self.array_delimiter!r} and {self.quote!r}"
            )
        if self.id_type not in ID_TYPES:
            raise ValueError(f"id_type must be one of {', '.join(ID_TYPES)}, got {self.id_type!r}")
        if self.format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {self.format!r}")

    @property
    def integer_ids(self) -> bool:
        """Are ``:ID`` values without an ``{id-type:…}`` of their own read as integers?"""
        return self.id_type in INTEGER_ID_TYPES


class SnapshotReader(Protocol):
    """One snapshot folder, read as a stream of batches (constant memory whatever its size)."""

    format: str  # "csv" | "parquet"

    def id_spaces(self) -> list[str]:
        """Every ID space the node groups declare, in the order first seen."""
        ...

    def estimated_rows(self) -> int | None:
        """Nodes plus relationships, cheaply: exact for Parquet, estimated for CSV, or None."""
        ...

    def check(self) -> None:
        """Read every header up front, so a bad layout fails before anything is written.

        Raises:
            SnapshotFormatError: a bad header, file group or layout.
        """
        ...

    def node_batches(self, batch_size: int) -> Iterator[NodeBatch]:
        """Nodes, group by group, ``batch_size`` rows at a time at most.

        Raises:
            SnapshotFormatError: a bad value, at its file, line and column.
        """
        ...

    def relationship_batches(self, batch_size: int) -> Iterator[RelationshipBatch]:
        """Relationships, group by group, ``batch_size`` rows at a time at most.

        Raises:
            SnapshotFormatError: a bad value, at its file, line and column.
        """
        ...
