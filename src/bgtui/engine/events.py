"""The engine's outward voice: small immutable records the UI and the headless log render.

The engine publishes these through an ``EventSink`` callable. Views are complete snapshots of
one thing's state (not deltas), so a renderer that misses an event is never left wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bgtui.domain.views import DatabaseStatus, Level, LoadProgress, SnapshotView

__all__ = [
    "AliasView",
    "AliasesChanged",
    "ControllerChanged",
    "DatabaseStatus",
    "EngineEvent",
    "EventSink",
    "HealthChanged",
    "HealthView",
    "Level",
    "LoadLogLine",
    "LoadProgress",
    "Notice",
    "SnapshotChanged",
    "SnapshotView",
    "WatcherChanged",
]


@dataclass(frozen=True)
class HealthView:
    """Neo4j as the engine last saw it."""

    connected: bool
    address: str
    server_version: str | None = None
    edition: str | None = None
    latency_ms: float | None = None
    latency_trend_ms: tuple[float, ...] = ()
    heap_used_percent: float | None = None
    database_count: int | None = None
    databases: tuple[DatabaseStatus, ...] = ()
    error: str | None = None
    gate_open: bool = True
    gate_reason: str = ""
    checked_at: datetime | None = None


@dataclass(frozen=True)
class AliasView:
    """One customer's alias: where it points, where a rollback would go, what waits."""

    customer: str
    alias: str
    live_database: str | None
    rollback_target: str | None
    awaiting_approval: str | None = None  # snapshot key
    drift: str | None = None  # set when Neo4j disagrees with what the engine expected
    held_by: str | None = None  # held after a rollback by this actor: nothing auto-promotes


@dataclass(frozen=True)
class EngineEvent:
    at: datetime


@dataclass(frozen=True)
class SnapshotChanged(EngineEvent):
    snapshot: SnapshotView


@dataclass(frozen=True)
class LoadLogLine(EngineEvent):
    snapshot_key: str
    level: Level
    message: str


@dataclass(frozen=True)
class HealthChanged(EngineEvent):
    health: HealthView


@dataclass(frozen=True)
class AliasesChanged(EngineEvent):
    aliases: tuple[AliasView, ...]


@dataclass(frozen=True)
class WatcherChanged(EngineEvent):
    base_path: str
    mode: str  # "events" or "polling"
    paused: bool


@dataclass(frozen=True)
class Notice(EngineEvent):
    """Something worth a toast; ``needs_person`` rings the bell when the operator wants it."""

    level: Level
    title: str
    message: str
    needs_person: bool = False
    snapshot_key: str | None = None


@dataclass(frozen=True)
class ControllerChanged(EngineEvent):
    """Who controls the base path and whether this console may change anything."""

    read_only: bool
    lock_holder: str | None = None  # set when another controller holds the lock
    edition_problem: str | None = None  # e.g. Community edition has no aliases
    extra: dict[str, str] = field(default_factory=dict)


EventSink = Callable[[EngineEvent], None]
