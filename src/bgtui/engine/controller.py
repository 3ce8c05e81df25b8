"""The controller: the one place that decides what happens to a snapshot.

It runs on the event loop (the console's, or the headless runner's). Blocking work — the
driver, SQLite — goes to worker threads; their results come back to the loop, where every
state change is recorded in the history store *before* it is published as an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar

from bgtui.domain.snapshot import SnapshotId, SnapshotState
from bgtui.engine import dialogs, observing
from bgtui.engine.clock import SystemClock
from bgtui.engine.commands import (
    CommandRefused,
    HistoryEntry,
    PromotionPreview,
    RollbackOption,
)
from bgtui.engine.events import (
    AliasesChanged,
    ControllerChanged,
    EngineEvent,
    EventSink,
    HealthChanged,
    HealthView,
    Level,
    LoadLogLine,
    Notice,
    SnapshotChanged,
    WatcherChanged,
)
from bgtui.engine.health import COMMUNITY_PROBLEM, HealthProbe
from bgtui.engine.loading import LoadSteps
from bgtui.engine.ports import Clock, GraphError, GraphPort, HistoryPort, WatcherPort
from bgtui.engine.promotion import PromotionSteps
from bgtui.engine.queued_commands import CommandSource, run_queued_commands
from bgtui.engine.recovery import recover
from bgtui.engine.rules import ALIAS_ACTIONS, why_not
from bgtui.engine.settings import SYSTEM_ACTOR, EngineSettings
from bgtui.engine.tracking import CustomerState, TrackedSnapshot

T = TypeVar("T")

_TICK_SECONDS = 0.25
_COMMAND_POLL_SECONDS = 1.0
_HISTORY_REFRESH_SECONDS = 2.0
_STATUS_EXPORT_SECONDS = 5.0  # as often as the old pipeline rewrote its file


class Discovery(Protocol):
    """What the watcher reports (``bgtui.watch.Discovery``)."""

    snapshot: SnapshotId
    path: Path
    ready: bool
    problem: str | None


WatcherFactory = Callable[[Callable[[Any], None]], WatcherPort]


class Controller:
    """Watch → load → validate → promote / roll back, for every customer under one base path."""

    def __init__(
        self,
        settings: EngineSettings,
        graph: GraphPort,
        history: HistoryPort,
        *,
        clock: Clock | None = None,
        watcher_factory: WatcherFactory | None = None,
        read_only: bool = False,
        lock_holder: str | None = None,
        status_exporter: Callable[[], None] | None = None,
        command_queue: CommandSource | None = None,
        autonomous: bool = True,
    ) -> None:
        self.settings = settings
        self.graph = graph
        self.store = history
        self.clock = clock or SystemClock()
        self.read_only = read_only
        self.lock_holder = lock_holder
        self.snapshots: dict[str, TrackedSnapshot] = {}
        self.customers: dict[str, CustomerState] = {}
        self.health = HealthView(connected=False, address=settings.neo4j_address)
        self._sinks: list[EventSink] = []
        self._watcher_factory = watcher_factory
        self._watcher: WatcherPort | None = None
        self._watcher_paused = False
        self._status_exporter = status_exporter
        self._command_queue = command_queue
        self._stopping = False
        self._community_reported = False
        self._autonomous = autonomous  # False: a one-shot CLI action, no watching or loading
        self._next_history_refresh = 0.0
        self._next_command_poll = 0.0
        self._probe = HealthProbe(graph, settings, self.clock)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._io = ThreadPoolExecutor(
            max_workers=settings.max_parallel_loads + 3, thread_name_prefix="bgtui-io"
        )
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bgtui-history")
        self._tasks: set[asyncio.Task[Any]] = set()
        self._cancel_events: dict[str, threading.Event] = {}
        self._schedule_lock = asyncio.Lock()
        self._background: asyncio.Task[None] | None = None
        self._next_health = 0.0
        self._next_gate_check = 0.0
        self._health_running = False
        self._status_due = False
        self._next_status_export = 0.0
        self.promotions = PromotionSteps(self)
        self.loads = LoadSteps(self)
        self.cancel_events = self._cancel_events

    # ---- plumbing ------------------------------------------------------------------------

    def subscribe(self, sink: EventSink) -> None:
        self._sinks.append(sink)
        for event in self._current_picture():
            sink(event)

    def emit(self, event: EngineEvent) -> None:
        for sink in list(self._sinks):
            sink(event)

    async def in_worker(self, func: Callable[..., T], *args: Any) -> T:
        """Run blocking driver work off the loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._io, partial(func, *args))

    async def record(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Write to the history store in order, on its own thread; never loses the loop.

        An observing console (another controller holds the lock) opens the history read-only
        and writes nothing: the controller that holds the lock is the one that records.
        """
        if getattr(self.store, "read_only", False):
            return
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._writer, partial(func, *args, **kwargs))
        except Exception as exc:  # the audit trail failing must be visible, not fatal
            self.emit(Notice(self.clock.now(), Level.ERROR, "History not written", f"{exc}"))
        self._status_due = True

    def spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            self.emit(
                Notice(
                    self.clock.now(), Level.ERROR, "Engine error", f"{type(exc).__name__}: {exc}"
                )
            )

    def notice(
        self,
        level: Level,
        title: str,
        message: str,
        *,
        needs_person: bool = False,
        key: str | None = None,
    ) -> None:
        self.emit(Notice(self.clock.now(), level, title, message, needs_person, key))

    async def log(self, key: str, level: Level, message: str) -> None:
        at = self.clock.now()
        await self.record(self.store.append_log, key, level.value, message, at)
        self.emit(LoadLogLine(at, key, level, message))

    def log_from_thread(self, key: str, level: Level, message: str) -> None:
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(lambda: self.spawn(self.log(key, level, message)))

    async def transition(
        self,
        tracked: TrackedSnapshot,
        state: SnapshotState,
        cause: str,
        actor: str = SYSTEM_ACTOR,
        **changes: Any,
    ) -> None:
        """Move a snapshot to ``state``: record it first, then tell the panes."""
        previous = tracked.state
        for name, value in changes.items():
            setattr(tracked, name, value)
        tracked.state = state
        tracked.detail = cause
        tracked.updated_at = self.clock.now()
        view = tracked.view()
        await self.record(
            self.store.record_transition,
            tracked.key,
            None if previous is state and previous is SnapshotState.SEEN else previous,
            state,
            cause,
            actor,
            tracked.updated_at,
        )
        await self.record(self.store.record_snapshot, view)
        self.emit(SnapshotChanged(tracked.updated_at, view))

    async def update(self, tracked: TrackedSnapshot, **changes: Any) -> None:
        """Change what a snapshot shows without changing its state (detail, countdown)."""
        for name, value in changes.items():
            setattr(tracked, name, value)
        tracked.updated_at = self.clock.now()
        view = tracked.view()
        await self.record(self.store.record_snapshot, view)
        self.emit(SnapshotChanged(tracked.updated_at, view))

    async def drop_partial_database(self, tracked: TrackedSnapshot) -> None:
        """Drop a database a load left half-written, so a retry starts clean; log either way."""
        database = tracked.database
        if not (database and tracked.database_exists):
            return
        try:
            await self.in_worker(self.graph.drop_database, database)
        except GraphError as exc:
            await self.log(tracked.key, Level.WARNING, f"could not drop {database}: {exc}")
            return
        tracked.database_exists = False
        await self.log(tracked.key, Level.INFO, f"dropped the partial database {database}")

    def publish_aliases(self) -> None:
        online = self.online_databases()
        views = tuple(
            customer.view(online, self.awaiting_for(customer.customer))
            for customer in sorted(self.customers.values(), key=lambda c: c.customer)
        )
        self.emit(AliasesChanged(self.clock.now(), views))

    def _current_picture(self) -> list[EngineEvent]:
        now = self.clock.now()
        events: list[EngineEvent] = [
            ControllerChanged(now, read_only=self.read_only, lock_holder=self.lock_holder),
            HealthChanged(now, self.health),
        ]
        events.extend(SnapshotChanged(now, t.view()) for t in self.snapshots.values())
        online = self.online_databases()
        events.append(
            AliasesChanged(
                now,
                tuple(
                    c.view(online, self.awaiting_for(c.customer)) for c in self.customers.values()
                ),
            )
        )
        if self._watcher is not None:
            events.append(self._watcher_event())
        return events

    # ---- queries over the working memory -------------------------------------------------

    def online_databases(self) -> set[str]:
        """Online as Neo4j last said, plus databases bgtui created since that reading."""
        reported = {db.name: db.current_status for db in self.health.databases}
        online = {name for name, status in reported.items() if status == "online"}
        online |= {
            t.database
            for t in self.snapshots.values()
            if t.database and t.database_exists and t.database not in reported
        }
        return online

    def of_customer(self, customer: str) -> list[TrackedSnapshot]:
        """A customer's loadable snapshots, newest first (rejected names are left out)."""
        found = [
            t
            for t in self.snapshots.values()
            if t.snapshot.customer == customer and t.snapshot.name_problem() is None
        ]
        return sorted(found, key=lambda t: t.snapshot.taken_at, reverse=True)

    def awaiting_for(self, customer: str) -> str | None:
        for tracked in self.of_customer(customer):
            if tracked.state is SnapshotState.AWAITING_APPROVAL:
                return tracked.key
        return None

    def by_database(self, database: str | None) -> TrackedSnapshot | None:
        if database is None:
            return None
        for tracked in self.snapshots.values():
            if tracked.database == database:
                return tracked
        return None

    def live_snapshot(self, customer: str) -> TrackedSnapshot | None:
        state = self.customers.get(customer)
        return self.by_database(state.live_database) if state else None

    def is_older_than_live(self, tracked: TrackedSnapshot) -> bool:
        live = self.live_snapshot(tracked.snapshot.customer)
        return (
            live is not None
            and live is not tracked
            and (tracked.snapshot.taken_at < live.snapshot.taken_at)
        )

    def customer_for(self, tracked: TrackedSnapshot) -> CustomerState:
        name = tracked.snapshot.customer
        if name not in self.customers:
            self.customers[name] = CustomerState(name, tracked.snapshot.alias)
        return self.customers[name]

    # ---- life ----------------------------------------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._schedule_lock = asyncio.Lock()
        await recover(self)
        await observing.replay_recent_logs(self)
        await self.refresh_health()
        if not self._autonomous:
            return
        if self._watcher_factory is not None:
            self._watcher = self._watcher_factory(self.on_discovery)
            if self._watcher_paused:
                self._watcher.pause()
            await self.in_worker(self._watcher.start)
            self.emit(self._watcher_event())
        self._background = asyncio.ensure_future(self._run_background())
        await self.schedule()

    async def stop(self) -> None:
        self._stopping = True
        if self._background is not None:
            self._background.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._background
        if self._watcher is not None:
            await self.in_worker(self._watcher.stop)
        for event in self._cancel_events.values():
            event.set()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=15)
        self._export_status(final=True)
        self._writer.shutdown(wait=True)
        self._io.shutdown(wait=False, cancel_futures=True)
        await asyncio.get_running_loop().run_in_executor(None, self.graph.close)

    async def _run_background(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception as exc:  # keep the engine alive; say what went wrong
                self.notice(Level.ERROR, "Engine error", f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(_TICK_SECONDS)

    async def tick(self) -> None:
        """Everything driven by time: health, retries, the gate, auto_after countdowns."""
        now = self.clock.monotonic()
        if now >= self._next_health and not self._health_running:
            self._next_health = now + self.settings.health_interval_seconds
            self.spawn(self.refresh_health())
        if not self.read_only:
            for tracked in list(self.snapshots.values()):
                due = tracked.auto_promote_at
                if (
                    tracked.state is SnapshotState.AWAITING_APPROVAL
                    and due is not None
                    and not tracked.held
                    and self.clock.now() >= due
                ):
                    await self.update(tracked, auto_promote_at=None)
                    self.spawn(self.promotions.promote(tracked, SYSTEM_ACTOR, "auto_after elapsed"))
            if self._retry_due(now) or (self._next_gate_check and now >= self._next_gate_check):
                await self.schedule()
        if getattr(self.store, "read_only", False) and now >= self._next_history_refresh:
            self._next_history_refresh = now + _HISTORY_REFRESH_SECONDS
            await observing.follow_history(self)
        if self._command_queue is not None and now >= self._next_command_poll:
            self._next_command_poll = now + _COMMAND_POLL_SECONDS
            await run_queued_commands(self, self._command_queue)
        if self._status_due or now >= self._next_status_export:
            self._status_due = False
            self._export_status()

    def _retry_due(self, now: float) -> bool:
        return any(
            t.state is SnapshotState.QUEUED
            and t.next_attempt_at is not None
            and t.next_attempt_at <= now
            for t in self.snapshots.values()
        )

    def _export_status(self, *, final: bool = False) -> None:
        """Refresh the status file (uptime stays fresh while idle); say so if it fails."""
        exporter = self._status_exporter
        if exporter is None:
            return
        self._next_status_export = self.clock.monotonic() + _STATUS_EXPORT_SECONDS
        write_stopped = getattr(exporter, "write", None)
        if final and write_stopped is not None:
            future = self._writer.submit(write_stopped, "stopped")
        else:
            future = self._writer.submit(exporter)
        future.add_done_callback(self._status_written)

    def _status_written(self, future: Future[Any]) -> None:
        error = future.exception()
        loop = self._loop
        if error is not None and loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(
                self.notice, Level.WARNING, "Status file not written", str(error)
            )

    async def refresh_health(self) -> None:
        self._health_running = True
        try:
            self.health = await self.in_worker(self._probe.read)
        finally:
            self._health_running = False
        self.emit(HealthChanged(self.clock.now(), self.health))
        community = self.health.connected and self.health.edition == "community"
        if community != self._community_reported:
            self._community_reported = community
            problem = COMMUNITY_PROBLEM if community else None
            self.emit(
                ControllerChanged(
                    self.clock.now(),
                    read_only=self.read_only,
                    lock_holder=self.lock_holder,
                    edition_problem=problem,
                )
            )
            if problem:
                self.notice(Level.ERROR, "Community edition", problem, needs_person=True)
        if self.health.connected:
            await self.promotions.notice_drift(self._probe.aliases)
        self.publish_aliases()

    # ---- discoveries and scheduling ------------------------------------------------------

    def on_discovery(self, discovery: Discovery) -> None:
        """Called on the watcher's threads; hands the discovery to the loop."""
        loop = self._loop
        if loop is None:
            return
        loop.call_soon_threadsafe(lambda: self.spawn(self.handle_discovery(discovery)))

    async def handle_discovery(self, discovery: Discovery) -> None:
        key = discovery.snapshot.key
        tracked = self.snapshots.get(key)
        if discovery.problem:
            if tracked is None:
                tracked = TrackedSnapshot(discovery.snapshot, discovery.path, SnapshotState.SEEN)
                self.snapshots[key] = tracked
            news = tracked.state is SnapshotState.SEEN or (
                tracked.state is SnapshotState.REJECTED and tracked.detail != discovery.problem
            )
            if news:
                await self.transition(tracked, SnapshotState.REJECTED, discovery.problem)
            return
        if tracked is None:
            tracked = TrackedSnapshot(discovery.snapshot, discovery.path, SnapshotState.SEEN)
            self.snapshots[key] = tracked
            self.customer_for(tracked)
            await self.transition(tracked, SnapshotState.SEEN, "found on disk")
        if not discovery.ready or tracked.state is not SnapshotState.SEEN:
            return  # no double loads: only a newly complete snapshot is queued
        if self.is_older_than_live(tracked):
            await self.transition(
                tracked, SnapshotState.STALE, "older than the live database; retry to load it"
            )
            return
        await self.transition(tracked, SnapshotState.QUEUED, "complete on disk")
        await self.schedule()

    async def schedule(self) -> None:
        """Start what may start: one load per customer, ``max_parallel_loads`` in all."""
        if self._stopping:
            return  # an interrupted load must not make room for a new one on the way out
        async with self._schedule_lock:
            self._next_gate_check = 0.0
            running = sum(1 for c in self.customers.values() if c.loading_key)
            now = self.clock.monotonic()
            for customer in sorted(self.customers.values(), key=lambda c: c.customer):
                queued = [
                    t
                    for t in self.of_customer(customer.customer)
                    if t.state is SnapshotState.QUEUED
                ]
                if not queued:
                    continue
                newest, older = queued[0], queued[1:]
                for tracked in older:
                    await self.transition(
                        tracked,
                        SnapshotState.SUPERSEDED,
                        f"superseded by {newest.snapshot.timestamp}",
                    )
                if customer.loading_key:
                    continue
                if newest.next_attempt_at is not None and newest.next_attempt_at > now:
                    continue
                if self.read_only:
                    if newest.detail != "waiting: this console is read-only":
                        await self.update(newest, detail="waiting: this console is read-only")
                    continue
                if running >= self.settings.max_parallel_loads:
                    continue
                if not self.health.gate_open:
                    reason = f"waiting for the health gate: {self.health.gate_reason}"
                    if newest.detail != reason:
                        await self.update(newest, detail=reason)
                    self._next_gate_check = now + self.settings.gate_recheck_seconds
                    continue
                customer.loading_key = newest.key
                running += 1
                self.spawn(self.loads.run_load(newest))

    # ---- commands (EngineCommands) -------------------------------------------------------

    def _refuse_if(self, action: str, key: str | None, customer: str | None) -> None:
        reason = self.why_not(action, key, customer)
        if reason:
            raise CommandRefused(reason)

    def find(self, key: str) -> TrackedSnapshot:
        tracked = self.snapshots.get(key)
        if tracked is None:
            raise CommandRefused(f"no snapshot {key!r} is known")
        return tracked

    async def approve(self, snapshot_key: str, actor: str, reason: str) -> None:
        self._refuse_if("approve", snapshot_key, None)
        tracked = self.find(snapshot_key)
        await self.promotions.promote(tracked, actor, reason or "approved")

    async def retry(self, snapshot_key: str, actor: str) -> None:
        self._refuse_if("retry", snapshot_key, None)
        tracked = self.find(snapshot_key)
        manual = tracked.state is SnapshotState.STALE or self.is_older_than_live(tracked)
        await self.transition(
            tracked,
            SnapshotState.QUEUED,
            f"retry requested by {actor}",
            actor=actor,
            attempts=0,
            error=None,
            next_attempt_at=None,
            manual_only=manual,
        )
        await self.schedule()

    async def rollback(
        self,
        customer: str,
        actor: str,
        reason: str,
        target_database: str | None = None,
        expected_from: str | None = None,
    ) -> None:
        if customer not in self.customers:
            raise CommandRefused(f"no customer {customer!r} is known")
        self._refuse_if("rollback", None, customer)
        await self.promotions.rollback(customer, actor, reason, target_database, expected_from)

    async def hold(self, snapshot_key: str, actor: str, held: bool = True) -> None:
        self._refuse_if("hold", snapshot_key, None)
        tracked = self.find(snapshot_key)
        if held:
            await self.transition(
                tracked,
                SnapshotState.AWAITING_APPROVAL,
                f"countdown held by {actor}",
                actor=actor,
                held=True,
            )
        else:
            policy = self.settings.policy_for(tracked.snapshot.customer)
            due = self.clock.now() + timedelta(seconds=policy.auto_after_seconds)
            await self.transition(
                tracked,
                SnapshotState.AWAITING_APPROVAL,
                f"countdown released by {actor}; promotes at {due:%H:%M:%S}",
                actor=actor,
                held=False,
                auto_promote_at=due,
            )

    async def preview_promotion(self, snapshot_key: str) -> PromotionPreview:
        return await dialogs.preview_promotion(self, snapshot_key)

    async def rollback_options(self, customer: str) -> list[RollbackOption]:
        return await dialogs.rollback_options(self, customer)

    async def history(self, limit: int = 200, customer: str | None = None) -> list[HistoryEntry]:
        entries = await self.in_worker(partial(self.store.history, limit=limit, customer=customer))
        return list(entries)

    def set_watcher_paused(self, paused: bool) -> None:
        self._watcher_paused = paused
        if self._watcher is not None:
            (self._watcher.pause if paused else self._watcher.resume)()
            self.emit(self._watcher_event())

    def _watcher_event(self) -> WatcherChanged:
        mode = self._watcher.mode if self._watcher is not None else "off"
        return WatcherChanged(self.clock.now(), self.settings.base_path, mode, self._watcher_paused)

    def set_read_only(self, read_only: bool) -> None:
        if not read_only and self.lock_holder:
            raise CommandRefused(f"another controller holds this base path: {self.lock_holder}")
        self.read_only = read_only
        self.emit(
            ControllerChanged(self.clock.now(), read_only=read_only, lock_holder=self.lock_holder)
        )
        if not read_only and self._loop is not None:
            self.spawn(self.schedule())

    def why_not(self, action: str, snapshot_key: str | None, customer: str | None) -> str | None:
        tracked = self.snapshots.get(snapshot_key) if snapshot_key else None
        customer = customer or (tracked.snapshot.customer if tracked else None)
        state = self.customers.get(customer) if customer else None
        if action in ALIAS_ACTIONS and not self.health.connected and not self.read_only:
            return f"Neo4j is unreachable ({self.health.error or 'no answer yet'})"
        return why_not(
            action,
            tracked.state if tracked else None,
            read_only=self.read_only,
            has_countdown=bool(tracked and tracked.auto_promote_at is not None),
            rollback_target=state.rollback_target(self.online_databases()) if state else None,
            live_database=state.live_database if state else None,
        )
