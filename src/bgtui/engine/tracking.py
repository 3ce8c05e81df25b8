"""The engine's working memory: one record per snapshot and one per customer.

Only the engine's steps mutate these, on the event loop; everything else sees immutable
``SnapshotView``/``AliasView`` copies.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from bgtui.domain.snapshot import SnapshotId, SnapshotState
from bgtui.engine.events import AliasView, LoadProgress, SnapshotView
from bgtui.engine.ports import LoadReport


@dataclass
class TrackedSnapshot:
    """A snapshot the engine knows about, and what it is doing with it."""

    snapshot: SnapshotId
    path: Path
    state: SnapshotState
    detail: str = ""
    error: str | None = None
    progress: LoadProgress | None = None
    snapshot_format: str | None = None
    report: LoadReport | None = None
    attempts: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    auto_promote_at: datetime | None = None
    held: bool = False
    manual_only: bool = False  # stale snapshots, or promotions interrupted by drift
    next_attempt_at: float | None = None  # monotonic time of the next retry
    updated_at: datetime | None = None
    database_exists: bool = False  # bgtui created its database and has not dropped it

    @property
    def key(self) -> str:
        return self.snapshot.key

    @property
    def database(self) -> str | None:
        try:
            return self.snapshot.database
        except ValueError:
            return None

    @property
    def alias(self) -> str | None:
        try:
            return self.snapshot.alias
        except ValueError:
            return None

    def view(self) -> SnapshotView:
        report = self.report
        return SnapshotView(
            key=self.key,
            customer=self.snapshot.customer,
            timestamp=self.snapshot.timestamp,
            database=self.database,
            alias=self.alias,
            state=self.state,
            detail=self.detail,
            error=self.error,
            progress=self.progress,
            snapshot_format=self.snapshot_format,
            nodes=report.nodes if report else None,
            relationships=report.relationships if report else None,
            started_at=self.started_at,
            finished_at=self.finished_at,
            auto_promote_at=self.auto_promote_at,
            held=self.held,
            attempts=self.attempts,
            updated_at=self.updated_at,
        )


@dataclass
class CustomerState:
    """One customer's alias as the engine believes it, and its load slot."""

    customer: str
    alias: str
    live_database: str | None = None  # what Neo4j said (or bgtui set) most recently
    loading_key: str | None = None  # the one load allowed per customer
    drift: str | None = None
    previous_live: list[str] = field(default_factory=list)  # databases, most recent first
    held_by: str | None = None  # rolled back by this actor: no automatic promotion until released

    def rollback_target(self, online: set[str]) -> str | None:
        """The most recent earlier live database that still exists and is online."""
        for database in self.previous_live:
            if database != self.live_database and database in online:
                return database
        return None

    def view(self, online: set[str], awaiting: str | None) -> AliasView:
        return AliasView(
            customer=self.customer,
            alias=self.alias,
            live_database=self.live_database,
            rollback_target=self.rollback_target(online),
            awaiting_approval=awaiting,
            drift=self.drift,
            held_by=self.held_by,
        )

    def note_live(self, database: str) -> None:
        """Record that ``database`` is now live, keeping the old one first in line for rollback."""
        if self.live_database and self.live_database != database:
            self.previous_live = [self.live_database] + [
                name for name in self.previous_live if name not in {self.live_database, database}
            ]
        else:
            self.previous_live = [name for name in self.previous_live if name != database]
        self.live_database = database


def with_progress(view: SnapshotView, progress: LoadProgress | None) -> SnapshotView:
    return replace(view, progress=progress)
