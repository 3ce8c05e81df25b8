"""In-memory stand-ins for the engine's ports, so its rules are tested without sockets.

The end-to-end path (real driver, real sandbox, real SQLite) is covered in tests/integration.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bgtui.domain.snapshot import SnapshotId, SnapshotState
from bgtui.domain.topology import Topology
from bgtui.engine.events import DatabaseStatus, Level, LoadProgress
from bgtui.engine.ports import GraphError, LoadReport, ServerInfo


@dataclass
class Discovery:
    snapshot: SnapshotId
    path: Path
    ready: bool = True
    problem: str | None = None


def discovery(customer: str, timestamp: str, **kwargs: Any) -> Discovery:
    return Discovery(
        SnapshotId(customer, timestamp), Path(f"/snapshots/{customer}/{timestamp}"), **kwargs
    )


class InMemoryGraph:
    """Databases, aliases and counts in dicts; failures can be scheduled per operation."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.databases: dict[str, str] = {"system": "online", "neo4j": "online"}
        self.aliases: dict[str, str] = {}
        self.counts_by_db: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
        self.snapshot_counts: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
        self.load_failures: list[GraphError] = []
        self.heap_percent: float | None = 40.0
        self.reachable = True
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.check_values: dict[str, Any] = {}
        self.load_gate: threading.Event | None = None  # set to block loads until released
        self.topologies: dict[str, Topology | None] = {}
        self.create_failures: list[GraphError] = []
        #: Databases whose copies are not ready, with the reason the wait reports.
        self.not_ready: dict[str, str] = {}

    def _call(self, name: str, *args: Any) -> None:
        with self.lock:
            self.calls.append((name, args))
        if not self.reachable:
            raise GraphError("Neo4j at bolt://test: connection refused", transient=True)

    def server_info(self) -> ServerInfo:
        self._call("server_info")
        return ServerInfo("bolt://test", "5.26.0", "enterprise")

    def ping(self) -> float:
        self._call("ping")
        return 1.5

    def heap_used_percent(self) -> float | None:
        self._call("heap")
        return self.heap_percent

    def list_databases(self) -> list[DatabaseStatus]:
        self._call("list_databases")
        return [
            DatabaseStatus(
                name,
                status,
                status,
                tuple(a for a, target in self.aliases.items() if target == name),
            )
            for name, status in self.databases.items()
        ]

    def list_aliases(self) -> dict[str, str]:
        self._call("list_aliases")
        return dict(self.aliases)

    def create_database(self, name: str, topology: Topology | None = None) -> None:
        self._call("create_database", name)
        self.topologies[name] = topology
        if self.create_failures:
            raise self.create_failures.pop(0)
        if name in self.databases or name in self.aliases:
            raise GraphError(
                f"database {name} exists", code="Neo.ClientError.Database.ExistingDatabaseFound"
            )
        self.databases[name] = "online"
        self.counts_by_db[name] = ({}, {})

    def wait_until_ready(
        self, name: str, timeout: float, on_wait: Callable[[str], None] | None = None
    ) -> None:
        self._call("wait_until_ready", name)
        reason = self.not_ready.get(name)
        if reason is None:
            return
        if on_wait is not None:
            on_wait(reason)
        raise GraphError(
            f"database '{name}' was not ready after {timeout:.0f}s: {reason}", transient=True
        )

    def stop_database(self, name: str) -> None:
        self._call("stop_database", name)
        self.databases[name] = "offline"

    def start_database(self, name: str) -> None:
        self._call("start_database", name)
        self.databases[name] = "online"

    def drop_database(self, name: str) -> None:
        self._call("drop_database", name)
        if name in self.aliases.values():
            raise GraphError(
                f"{name} has aliases", code="Neo.ClientError.Database.ExistingAliasFound"
            )
        self.databases.pop(name, None)
        self.counts_by_db.pop(name, None)

    def create_alias(self, alias: str, database: str) -> None:
        self._call("create_alias", alias, database)
        if alias in self.aliases or alias in self.databases:
            raise GraphError("alias exists")
        self.aliases[alias] = database

    def alter_alias(self, alias: str, database: str) -> None:
        self._call("alter_alias", alias, database)
        if alias not in self.aliases:
            raise GraphError("no such alias")
        self.aliases[alias] = database

    def counts(self, database: str) -> tuple[dict[str, int], dict[str, int]]:
        self._call("counts", database)
        labels, types = self.counts_by_db[database]
        return dict(labels), dict(types)

    def run_check(self, database: str, query: str) -> Any:
        self._call("run_check", database, query)
        return self.check_values.get(query, 1)

    def load_snapshot(
        self,
        database: str,
        snapshot_path: Path,
        options: Any,
        reader_options: Any,
        progress: Any,
        log: Any,
        cancel: threading.Event,
    ) -> LoadReport:
        self._call("load_snapshot", database)
        if self.load_gate is not None:
            while not self.load_gate.wait(0.01):
                if cancel.is_set():
                    raise RuntimeError("cancelled")
        if self.load_failures:
            raise self.load_failures.pop(0)
        labels, types = self.snapshot_counts.get(database, ({"Person": 3}, {"KNOWS": 2}))
        self.counts_by_db[database] = (dict(labels), dict(types))
        progress(LoadProgress("nodes", 3, 5, 100.0, 0.02))
        log(Level.INFO, "nodes loaded")
        return LoadReport(
            nodes_by_label=dict(labels),
            relationships_by_type=dict(types),
            nodes=sum(labels.values()),
            relationships=sum(types.values()),
        )

    def close(self) -> None:
        self._call("close")


@dataclass
class Record:
    key: str
    customer: str
    timestamp: str
    path: str
    state: str
    detail: str = ""
    error: str | None = None
    attempts: int = 0
    format: str | None = None
    held: bool = False
    auto_promote_at: datetime | None = None
    updated_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None


@dataclass
class InMemoryHistory:
    transitions: list[tuple[str, Any, Any, str, str]] = field(default_factory=list)
    alias_changes: list[tuple[str, str | None, str | None, str, str]] = field(default_factory=list)
    views: dict[str, Any] = field(default_factory=dict)
    logs: list[tuple[str, str, str]] = field(default_factory=list)
    stats: list[tuple[str, int]] = field(default_factory=list)
    preset: list[Record] = field(default_factory=list)
    last_targets: dict[str, str] = field(default_factory=dict)
    read_only: bool = False

    def record_snapshot(self, view: Any) -> None:
        self.views[view.key] = view

    def record_transition(
        self, key: str, from_state: Any, to_state: Any, cause: str, actor: str, at: datetime
    ) -> None:
        self.transitions.append((key, from_state, to_state, cause, actor))

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
    ) -> None:
        self.alias_changes.append((customer, from_database, to_database, kind, actor))
        if kind != "drift" and to_database:
            self.last_targets[customer] = to_database

    def record_load_stats(self, key: str, attempt: int, *args: Any) -> None:
        self.stats.append((key, attempt))

    def append_log(self, key: str, level: str, message: str, at: datetime) -> None:
        self.logs.append((key, level, message))

    def snapshots(self) -> list[Any]:
        return list(self.preset)

    def history(self, limit: int = 200, customer: str | None = None) -> list[Any]:
        return []

    def load_log(self, key: str, limit: int = 1000) -> list[Any]:
        return []

    def last_alias_target(self, customer: str) -> str | None:
        return self.last_targets.get(customer)

    def states_of(self, key: str) -> list[SnapshotState]:
        return [to for k, _, to, _, _ in self.transitions if k == key]
