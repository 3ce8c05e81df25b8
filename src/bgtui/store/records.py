"""What the history store hands back: plain frozen records, tz-aware datetimes.

``SnapshotRecord`` carries every field of a ``SnapshotView`` that outlives a restart (not the
live progress) plus the folder path, so the engine can rebuild its picture from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bgtui.domain.snapshot import SnapshotState

ALIAS_CHANGE_KINDS = frozenset({"create", "promote", "rollback", "drift", "manual"})
"""``drift`` records what Neo4j showed, not what bgtui set; the others are bgtui's own moves."""


@dataclass(frozen=True)
class SnapshotRecord:
    """The last recorded picture of one snapshot."""

    key: str  # "customer/timestamp"
    customer: str
    timestamp: str
    database: str | None
    alias: str | None
    path: str | None  # the snapshot folder, when known
    format: str | None  # "csv" or "parquet"
    state: SnapshotState
    detail: str
    error: str | None
    attempts: int
    nodes: int | None
    relationships: int | None
    started_at: datetime | None
    finished_at: datetime | None
    auto_promote_at: datetime | None
    held: bool
    first_seen: datetime
    updated_at: datetime


@dataclass(frozen=True)
class TransitionRecord:
    snapshot_key: str
    customer: str
    from_state: SnapshotState | None  # None for the first state a snapshot is seen in
    to_state: SnapshotState
    cause: str
    actor: str
    at: datetime


@dataclass(frozen=True)
class AliasChangeRecord:
    customer: str
    alias: str
    from_database: str | None
    to_database: str | None
    kind: str  # one of ALIAS_CHANGE_KINDS
    actor: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class LoadStatsRecord:
    snapshot_key: str
    attempt: int
    nodes: int
    relationships: int
    skipped_duplicates: int
    bad_relationships: int
    duration_seconds: float
    rows_per_second: float
    at: datetime


@dataclass(frozen=True)
class LogRecord:
    snapshot_key: str
    at: datetime
    level: str
    message: str


@dataclass(frozen=True)
class StatusCounters:
    """Totals over the whole history, in the old status file's terms.

    ``discovered``: snapshots that became complete on disk (ever queued).
    ``completed``: snapshots that loaded and passed validation.
    ``failed``: times a snapshot landed in ``failed`` (a retry that fails again counts again).
    ``retried``: times a snapshot was queued again after its first time.
    """

    discovered: int = 0
    completed: int = 0
    failed: int = 0
    retried: int = 0
    queued: int = 0  # snapshots waiting right now
    last_activity: datetime | None = None
    by_state: dict[str, int] = field(default_factory=dict)

    @property
    def success_rate(self) -> float:
        """Completed per discovered, in percent (0.0 before anything was discovered)."""
        return self.completed / max(self.discovered, 1) * 100.0
