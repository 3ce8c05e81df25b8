"""The contract between the engine and Neo4j's adapter: errors, server facts, load reports.

``bgtui.engine.ports`` declares the port (``GraphPort``) and re-exports these; ``bgtui.graph``
implements it. Both sides depend on this module, neither on the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bgtui.domain.views import Level, LoadProgress


class GraphError(Exception):
    """Neo4j said no or could not be reached; ``transient`` errors are worth retrying."""

    def __init__(self, message: str, *, transient: bool = False, code: str | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.code = code


class GateClosedError(GraphError):
    """Neo4j cannot take a new database now, through no fault of the snapshot.

    The load gate closes with this message and the snapshot waits behind it instead of
    failing: for good when ``lasting`` (the server refuses CREATE DATABASE outright, as Aura
    does), otherwise until the gate is looked at again (``dbms.max_databases`` reached).
    """

    def __init__(self, message: str, *, lasting: bool, code: str | None = None) -> None:
        super().__init__(message, transient=False, code=code)
        self.lasting = lasting


@dataclass(frozen=True)
class ServerInfo:
    address: str
    version: str
    edition: str  # "enterprise" or "community"
    agent: str = ""


@dataclass
class LoadReport:
    """What a load wrote, and what it skipped, for validation and history."""

    nodes_by_label: dict[str, int] = field(default_factory=dict)
    relationships_by_type: dict[str, int] = field(default_factory=dict)
    nodes: int = 0
    relationships: int = 0
    skipped_duplicates: int = 0
    bad_relationships: int = 0
    examples: list[str] = field(default_factory=list)  # first few skipped rows, for the log
    duration_seconds: float = 0.0


ProgressCallback = Callable[[LoadProgress], None]
LogCallback = Callable[[Level, str], None]
