"""The engine's collaborators, as small interfaces.

The engine decides; these do. Keeping them narrow lets the rules be tested with in-memory
doubles and a fake clock, and again end to end through the sandbox with the real driver.
Graph methods are blocking (the sync driver); the engine calls them from worker threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from bgtui.domain.graph import (
    GateClosedError,
    GraphError,
    LoadReport,
    LogCallback,
    ProgressCallback,
    ServerInfo,
)
from bgtui.domain.loading import LoadOptions
from bgtui.domain.snapshot import SnapshotId, SnapshotState
from bgtui.domain.topology import Topology
from bgtui.domain.views import DatabaseStatus, HistoryEntry, SnapshotView

__all__ = [
    "Clock",
    "CommandSource",
    "Discovery",
    "GateClosedError",
    "GraphError",
    "GraphPort",
    "HistoryPort",
    "LoadOptions",
    "LoadReport",
    "LogCallback",
    "ProgressCallback",
    "QueuedCommand",
    "ServerInfo",
    "StatusExporter",
    "StoredLogLine",
    "StoredSnapshot",
    "WatcherFactory",
    "WatcherPort",
]


class GraphPort(Protocol):
    """Everything the engine needs from Neo4j; implemented by ``bgtui.graph.client``."""

    def server_info(self) -> ServerInfo: ...

    def ping(self) -> float:
        """Round trip in milliseconds; raises GraphError when Neo4j is unreachable."""

    def heap_used_percent(self) -> float | None: ...

    def list_databases(self) -> list[DatabaseStatus]: ...

    def list_aliases(self) -> dict[str, str]:
        """Local alias name -> target database name."""

    def create_database(self, name: str, topology: Topology | None = None) -> None:
        """Create (and wait until online) a fresh, empty database, with ``topology`` copies."""

    def wait_until_ready(
        self, name: str, timeout: float, on_wait: Callable[[str], None] | None = None
    ) -> Any:
        """Block until every copy of ``name`` is online, caught up and as many as requested;
        ``on_wait`` hears why not yet. Raises a transient GraphError after ``timeout`` s."""

    def drop_database(self, name: str) -> None: ...

    def stop_database(self, name: str) -> None:
        """Shut a database down completely (its heap and page cache are freed)."""

    def start_database(self, name: str) -> None:
        """Start a stopped database and wait until it is online."""

    def create_alias(self, alias: str, database: str) -> None: ...

    def alter_alias(self, alias: str, database: str) -> None: ...

    def counts(self, database: str) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per label and relationships per type in ``database``."""

    def run_check(self, database: str, query: str) -> Any:
        """Run an operator-authored validation query; return its single value."""

    def load_snapshot(
        self,
        database: str,
        snapshot_path: Path,
        options: LoadOptions,
        reader_options: Any,  # bgtui.readers.ImportOptions, passed through untouched
        progress: ProgressCallback,
        log: LogCallback,
        cancel: threading.Event,
    ) -> LoadReport:
        """Stream the snapshot into ``database``; raise GraphError or SnapshotFormatError."""

    def close(self) -> None: ...


class Clock(Protocol):
    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...


class StoredSnapshot(Protocol):
    """A snapshot as the history last recorded it (``bgtui.store.records.SnapshotRecord``)."""

    @property
    def customer(self) -> str: ...
    @property
    def timestamp(self) -> str: ...
    @property
    def path(self) -> str | None: ...
    @property
    def format(self) -> str | None: ...
    @property
    def state(self) -> str: ...
    @property
    def detail(self) -> str: ...
    @property
    def error(self) -> str | None: ...
    @property
    def attempts(self) -> int: ...
    @property
    def held(self) -> bool: ...
    @property
    def auto_promote_at(self) -> datetime | None: ...
    @property
    def updated_at(self) -> datetime | None: ...
    @property
    def started_at(self) -> datetime | None: ...
    @property
    def finished_at(self) -> datetime | None: ...


class StoredLogLine(Protocol):
    """One recorded load-log line (``bgtui.store.records.LogRecord``)."""

    @property
    def at(self) -> datetime: ...
    @property
    def snapshot_key(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def message(self) -> str: ...


class HistoryPort(Protocol):
    """The audit trail the engine writes before it shows anything (``bgtui.store``)."""

    @property
    def read_only(self) -> bool:
        """True when another controller holds the lock: this one reads and writes nothing."""

    def record_snapshot(self, view: SnapshotView) -> None: ...

    def record_transition(
        self,
        key: str,
        from_state: SnapshotState | None,
        to_state: SnapshotState,
        cause: str,
        actor: str,
        at: datetime,
    ) -> None: ...

    def record_alias_change(
        self,
        customer: str,
        alias: str,
        from_database: str | None,
        to_database: str | None,
        kind: str,
        actor: str,
        reason: str,
        at: datetime,
    ) -> None: ...

    def record_load_stats(
        self,
        key: str,
        attempt: int,
        nodes: int,
        relationships: int,
        skipped_duplicates: int,
        bad_relationships: int,
        duration_seconds: float,
        at: datetime,
    ) -> None: ...

    def append_log(self, key: str, level: str, message: str, at: datetime) -> None: ...

    def snapshots(self) -> Sequence[StoredSnapshot]: ...

    def load_log(self, key: str, limit: int = 1000) -> Sequence[StoredLogLine]:
        """The newest ``limit`` log lines of one snapshot, oldest first."""

    def history(self, limit: int = 200, customer: str | None = None) -> Sequence[HistoryEntry]: ...

    def last_alias_target(self, customer: str) -> str | None: ...


class WatcherPort(Protocol):
    """The snapshot watcher as the engine drives it (``bgtui.watch``)."""

    mode: str

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def rescan(self) -> None: ...


class Discovery(Protocol):
    """What the watcher reports about one snapshot folder (``bgtui.watch.Discovery``)."""

    @property
    def snapshot(self) -> SnapshotId: ...
    @property
    def path(self) -> Path: ...
    @property
    def ready(self) -> bool: ...
    @property
    def problem(self) -> str | None: ...


#: Builds the watcher, given the callback it calls (on its own threads) for each discovery.
WatcherFactory = Callable[[Callable[[Discovery], None]], WatcherPort]


class QueuedCommand(Protocol):
    """One command ``bgtui promote``/``rollback``/``retry`` queued for the controller."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def customer(self) -> str: ...
    @property
    def snapshot_key(self) -> str | None: ...
    @property
    def database(self) -> str | None: ...
    @property
    def actor(self) -> str: ...
    @property
    def reason(self) -> str: ...


class CommandSource(Protocol):
    """Commands queued by the CLI while this controller holds the lock (``bgtui.store``)."""

    def take_pending(self) -> Sequence[QueuedCommand]: ...

    def finish(self, command_id: int, ok: bool, message: str) -> None: ...


class StatusExporter(Protocol):
    """The monitoring status file (``bgtui.store.status_export``); written on the history thread."""

    def write(self, status: str) -> Any:
        """Write the file now with ``status`` ("running" or "stopped")."""
