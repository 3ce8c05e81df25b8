"""The composition root: settings in, a controller with its real collaborators out.

Everything that opens a file, a socket or a lock is made here and closed by ``Runtime.close``,
so the console, the headless service, the demo and the one-shot CLI actions share one path.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bgtui.config.settings import Settings
from bgtui.engine.controller import Controller
from bgtui.engine.settings import EngineSettings
from bgtui.graph.client import Neo4jGraph
from bgtui.store.command_queue import CommandQueue
from bgtui.store.history import HistoryStore
from bgtui.store.lock import ControllerLock, LockHeld
from bgtui.store.status_export import StatusExporter

HISTORY_FILE = "history.sqlite3"


class LockedOut(Exception):
    """Another controller holds this base path; the message says who."""


def engine_settings(settings: Settings) -> EngineSettings:
    """The engine's view of the operator's settings: config already built the shared types."""
    loading = settings.loading
    return EngineSettings(
        base_path=str(settings.snapshots.base_path),
        neo4j_address=settings.neo4j.uri,
        load=loading.load,
        reader_options=settings.snapshots.reader,
        max_parallel_loads=loading.max_parallel_loads,
        max_retries=loading.max_retries,
        retry_backoff_seconds=loading.retry_backoff,
        max_databases=loading.max_databases,
        heap_threshold_percent=loading.heap_threshold_percent,
        gate_recheck_seconds=loading.gate_recheck,
        default_policy=settings.promotion,
        customer_policies=dict(settings.customers),
        topology=settings.neo4j.topology,
        customer_topologies=dict(settings.customer_topologies),
        counts_must_match=settings.validation.counts_must_match,
        checks=settings.validation.checks,
    )


@dataclass
class Runtime:
    """A controller and the resources it holds, closed in reverse order."""

    settings: Settings
    controller: Controller
    lock_holder: str | None
    _closers: list[Any] = field(default_factory=list)

    @property
    def read_only(self) -> bool:
        return self.controller.read_only

    def close(self) -> None:
        for close in reversed(self._closers):
            with contextlib.suppress(Exception):
                close()
        self._closers.clear()


def history_path(settings: Settings) -> Path:
    return settings.state_dir / HISTORY_FILE


def build_runtime(
    settings: Settings,
    *,
    read_only: bool = False,
    must_control: bool = False,
    autonomous: bool = True,
    watch: bool = True,
) -> Runtime:
    """Wire a controller for ``settings``.

    Args:
        read_only: observe only, by the operator's choice.
        must_control: refuse (``LockedOut``) instead of observing when another controller
            holds the base path — the headless service and one-shot actions.
        autonomous: watch and load; False for one-shot actions.
    """
    base_path = settings.snapshots.base_path
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    closers: list[Any] = []
    lock = ControllerLock(settings.state_dir, base_path)
    holder: str | None = None
    if not read_only:
        try:
            lock.acquire()
            closers.append(lock.release)
        except LockHeld as exc:
            if must_control:
                raise LockedOut(str(exc)) from exc
            holder, read_only = str(exc), True
    try:
        return _assemble(settings, closers, read_only, holder, autonomous, watch)
    except BaseException:
        for close in reversed(closers):  # release the lock if anything below fails
            with contextlib.suppress(Exception):
                close()
        raise


def _assemble(
    settings: Settings,
    closers: list[Any],
    read_only: bool,
    holder: str | None,
    autonomous: bool,
    watch: bool,
) -> Runtime:
    base_path = settings.snapshots.base_path
    observing = holder is not None or read_only
    if observing and history_path(settings).exists():
        store = HistoryStore.open_read_only(history_path(settings))
    else:
        store = HistoryStore(history_path(settings), base_path=base_path)
    closers.append(store.close)
    graph = Neo4jGraph(
        settings.neo4j.uri,
        settings.neo4j.user,
        settings.neo4j.require_password(),
        connect_timeout=settings.neo4j.connect_timeout,
    )
    queue = None if observing else CommandQueue(history_path(settings))
    if queue is not None:
        closers.append(queue.close)
    exporter = None
    if not observing:
        exporter = StatusExporter(
            store,
            settings.status_json,
            base_path=base_path,
            workers=settings.loading.max_parallel_loads,
            scan_interval_seconds=int(settings.snapshots.poll_interval),
        )
    controller = Controller(
        engine_settings(settings),
        graph,
        store,
        watcher_factory=_watcher_factory(settings) if watch and not observing else None,
        read_only=read_only,
        lock_holder=holder,
        status_exporter=exporter,
        command_queue=queue,
        autonomous=autonomous,
    )
    return Runtime(settings, controller, holder, closers)


def _watcher_factory(settings: Settings) -> Any:
    from bgtui.watch import SnapshotWatcher

    def make(on_discovery: Any) -> Any:
        return SnapshotWatcher(settings.snapshots.base_path, settings, on_discovery)

    return make
