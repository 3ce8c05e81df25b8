"""How the sandbox recognises a statement: shapes, kinds and the context handlers run in.

A ``Statement`` pairs a template (see ``cypher_text``) with a handler. ``dbms.py`` tries the
administration, procedure and data tables in turn; the first shape that matches the whole
query wins, and its ``Kind`` decides the Bolt query type and what may share a transaction.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bgtui.sandbox.cypher_text import compile_template
from bgtui.sandbox.graphstore import GraphStore, UndoLog
from bgtui.sandbox.results import QueryResult

if TYPE_CHECKING:
    from bgtui.sandbox.catalogue import DatabaseRecord
    from bgtui.sandbox.catalogue import Server as Dbms


class Kind(enum.Enum):
    """What a statement does, which decides its Bolt query type and what it may mix with."""

    READ = "read"
    DATA_WRITE = "data write"
    SCHEMA_WRITE = "schema write"
    ADMIN_READ = "administration read"
    ADMIN_WRITE = "administration write"

    @property
    def is_admin(self) -> bool:
        return self in (Kind.ADMIN_READ, Kind.ADMIN_WRITE)

    @property
    def query_type(self) -> str:
        """The ``type`` of the PULL summary. Every data write bgtui sends also returns a count,
        so it is read-write. UNCONFIRMED: ``w`` for administration commands."""
        return _QUERY_TYPES[self]


_QUERY_TYPES = {
    Kind.READ: "r",
    Kind.DATA_WRITE: "rw",
    Kind.SCHEMA_WRITE: "s",
    Kind.ADMIN_READ: "r",
    Kind.ADMIN_WRITE: "w",
}


@dataclass
class StatementContext:
    """Everything a handler may touch while it runs one statement."""

    query: str
    parameters: Mapping[str, Any]
    dbms: Dbms
    record: DatabaseRecord  # where the statement runs (system for administration)
    graph_log: UndoLog
    admin_log: list[Callable[[], None]]

    @property
    def graph(self) -> GraphStore:
        return self.record.graph


Handler = Callable[[StatementContext, "re.Match[str]"], QueryResult]


@dataclass(frozen=True)
class Statement:
    """One recognised statement shape.

    ``feature`` names an Enterprise-only command (as Community's 51N27 error names it);
    ``system_ok`` lets a non-administration statement run on the ``system`` database.
    """

    name: str
    kind: Kind
    template: str
    handler: Handler
    feature: str | None = None
    system_ok: bool = False
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", compile_template(self.template))


def recognise(query: str, tables: list[Statement]) -> tuple[Statement, re.Match[str]] | None:
    for statement in tables:
        match = statement.pattern.match(query)
        if match is not None:
            return statement, match
    return None


_DATA_CLAUSE = re.compile(
    r"^\s*(OPTIONAL\s+MATCH|DETACH\s+DELETE|LOAD\s+CSV|(?:CREATE|DROP)\s+(?:CONSTRAINT|INDEX)"
    r"|SHOW\s+(?:CONSTRAINTS?|INDEX(?:ES)?)|CREATE(?=\s*\()|MATCH|UNWIND|MERGE|WITH|RETURN"
    r"|DELETE|SET|REMOVE|FOREACH|CALL)\b",
    re.IGNORECASE,
)


def leading_clause(query: str) -> str | None:
    """The clause a data query starts with (``MATCH``, ``OPTIONAL MATCH``), if it is one.

    Administration commands the sandbox does not know (``CREATE USER``) are not data queries.
    """
    match = _DATA_CLAUSE.match(query)
    return " ".join(match.group(1).split()).upper() if match else None


def structure(tag: int, fields: list[Any]) -> Any:
    """A PackStream structure (node, date-time) as the Bolt layer encodes it."""
    from bgtui.sandbox.packstream import Structure  # lazily: the Bolt side owns this module

    return Structure(tag, fields)


def write_stats(**counts: int) -> dict[str, int | bool]:
    """Neo4j's summary counters: only the non-zero ones, names with dashes."""
    stats: dict[str, int | bool] = {
        name.replace("_", "-"): value for name, value in counts.items() if value
    }
    if stats:
        stats["contains-updates"] = True
    return stats
