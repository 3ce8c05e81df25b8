"""What the engine reports about a snapshot and its load, and what the history keeps of it.

Plain immutable records shared by the engine (``bgtui.engine.events`` re-exports them), the
Neo4j adapter (``bgtui.graph``) and the history store (``bgtui.store``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bgtui.domain.snapshot import SnapshotState


class Level(StrEnum):
    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class LoadProgress:
    """How far a load is: ``phase`` is nodes, relationships, finalising or validating."""

    phase: str
    rows_done: int
    rows_total: int | None  # None until the snapshot's size is known
    rows_per_second: float
    eta_seconds: float | None

    @property
    def fraction(self) -> float | None:
        if not self.rows_total:
            return None
        return min(1.0, self.rows_done / self.rows_total)


@dataclass(frozen=True)
class SnapshotView:
    """Everything a pane shows about one snapshot."""

    key: str  # "customer/timestamp"
    customer: str
    timestamp: str
    database: str | None  # None when the folder name cannot become a database name
    alias: str | None
    state: SnapshotState
    detail: str = ""  # the cause of the last transition, for the operator
    error: str | None = None
    progress: LoadProgress | None = None
    snapshot_format: str | None = None  # "csv" or "parquet"
    nodes: int | None = None
    relationships: int | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    auto_promote_at: datetime | None = None  # auto_after countdown target
    held: bool = False  # auto_after countdown held by an operator
    attempts: int = 0
    updated_at: datetime | None = None

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None:
            return None
        end = self.finished_at or self.updated_at
        return None if end is None else max(0.0, (end - self.started_at).total_seconds())


@dataclass(frozen=True)
class DatabaseStatus:
    name: str
    current_status: str
    requested_status: str
    aliases: tuple[str, ...] = ()
    status_message: str = ""


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    kind: str  # "transition" or "alias"
    snapshot_key: str | None
    customer: str
    summary: str  # e.g. "loading -> validating" or "acme: acme-1 -> acme-2"
    actor: str
    reason: str
