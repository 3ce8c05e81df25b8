"""The controller: owns the engine's loop and answers the console's commands.

It wires the steps together and drives them: discoveries and timers in, commands from the
console or the CLI queue, everything else delegated. Blocking work (the driver, SQLite) runs
on worker threads (``runner``); every state change goes through the journal, which records it
in the history store *before* it is published as an event.
"""

from __future__ import annotations

import asyncio
import contextlib
from functools import partial

from bgtui.engine import observing, previews
from bgtui.engine.clock import SystemClock
from bgtui.engine.commands import CommandRefused, HistoryEntry, PromotionPreview, RollbackOption
from bgtui.engine.events import (
    AliasesChanged,
    ControllerChanged,
    EngineEvent,
    EventSink,
    HealthChanged,
    HealthView,
    Level,
    SnapshotChanged,
    WatcherChanged,
)
from bgtui.engine.health import HealthProbe, HealthWatch
from bgtui.engine.journal import Journal
from bgtui.engine.loading import LoadSteps
from bgtui.engine.memory import EngineMemory
from bgtui.engine.ports import (
    Clock,
    CommandSource,
    Discovery,
    GraphPort,
    HistoryPort,
    StatusExporter,
    WatcherFactory,
    WatcherPort,
)
from bgtui.engine.promotion import PromotionSteps
from bgtui.engine.queued_commands import run_queued_commands
from bgtui.engine.recovery import Recovery
from bgtui.engine.rollback import RollbackSteps
from bgtui.engine.runner import Runner
from bgtui.engine.scheduling import Scheduler
from bgtui.engine.settings import EngineSettings
from bgtui.engine.status_file import StatusFile
from bgtui.engine.tracking import CustomerState, TrackedSnapshot

_TICK_SECONDS = 0.25
_COMMAND_POLL_SECONDS = 1.0
_HISTORY_REFRESH_SECONDS = 2.0


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
        status_exporter: StatusExporter | None = None,
        command_queue: CommandSource | None = None,
        autonomous: bool = True,
    ) -> None:
        self.settings = settings
        self.graph = graph
        self.store = history
        self.clock = clock or SystemClock()
        self.lock_holder = lock_holder
        self.memory = EngineMemory(
            HealthView(connected=False, address=settings.neo4j_address), read_only=read_only
        )
        self.runner = Runner(settings.max_parallel_loads + 3, self._task_failed)
        self.journal = Journal(history, self.clock, self.runner)
        run, memory, journal = self.runner, self.memory, self.journal
        self.promotions = PromotionSteps(memory, journal, graph, run, settings)
        self.rollbacks = RollbackSteps(memory, journal, graph, run, settings)
        self.loads = LoadSteps(memory, journal, graph, run, settings, promotions=self.promotions)
        self.scheduler = Scheduler(memory, journal, settings, self.loads.run_load, run.spawn)
        self.loads.on_finished = lambda: run.spawn(self.scheduler.schedule())  # a slot is free
        probe = HealthProbe(graph, settings, self.clock)
        self.health_watch = HealthWatch(probe, memory, journal, run, self._edition_changed)
        self.status_file = StatusFile(status_exporter, journal, run)
        self._watcher_factory = watcher_factory
        self._watcher: WatcherPort | None = None
        self._watcher_paused = False
        self._command_queue = command_queue
        self._autonomous = autonomous  # False: a one-shot CLI action, no watching or loading
        self._background: asyncio.Task[None] | None = None
        self._next_health = self._next_history_refresh = self._next_command_poll = 0.0

    # ---- what the engine knows -----------------------------------------------------------

    @property
    def snapshots(self) -> dict[str, TrackedSnapshot]:
        return self.memory.snapshots

    @property
    def customers(self) -> dict[str, CustomerState]:
        return self.memory.customers

    @property
    def health(self) -> HealthView:
        return self.memory.health

    @property
    def read_only(self) -> bool:
        return self.memory.read_only

    def subscribe(self, sink: EventSink) -> None:
        self.journal.subscribe(sink, self._current_picture())

    def _current_picture(self) -> list[EngineEvent]:
        now = self.clock.now()
        events: list[EngineEvent] = [
            ControllerChanged(now, read_only=self.read_only, lock_holder=self.lock_holder),
            HealthChanged(now, self.health),
        ]
        events.extend(SnapshotChanged(now, t.view()) for t in self.snapshots.values())
        events.append(self._aliases_event(ordered=False))
        if self._watcher is not None:
            events.append(self._watcher_event())
        return events

    def _aliases_event(self, *, ordered: bool) -> EngineEvent:
        return AliasesChanged(self.clock.now(), self.memory.alias_views(ordered=ordered))

    def _task_failed(self, exc: BaseException) -> None:
        self.journal.notice(Level.ERROR, "Engine error", f"{type(exc).__name__}: {exc}")

    # ---- life ----------------------------------------------------------------------------

    async def start(self) -> None:
        self.runner.bind()
        self.scheduler.bind()
        memory, journal, run = self.memory, self.journal, self.runner
        await Recovery(memory, journal, self.graph, self.store, run).recover()
        observing.publish_recovered(memory, journal)
        journal.emit(self._aliases_event(ordered=True))
        await observing.replay_recent_logs(memory, journal, self.store, run)
        await self.refresh_health()
        if not self._autonomous:
            return
        if self._watcher_factory is not None:
            self._watcher = self._watcher_factory(self.on_discovery)
            if self._watcher_paused:
                self._watcher.pause()
            await run.in_worker(self._watcher.start)
            journal.emit(self._watcher_event())
        self._background = asyncio.ensure_future(self._run_background())
        await self.schedule()

    async def stop(self) -> None:
        self.scheduler.stopping = True
        if self._background is not None:
            self._background.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._background
        if self._watcher is not None:
            await self.runner.in_worker(self._watcher.stop)
        self.loads.cancel_all()
        await self.runner.wait_for_tasks(timeout=15)
        self.status_file.export(final=True)
        self.runner.shutdown()
        await asyncio.get_running_loop().run_in_executor(None, self.graph.close)

    async def _run_background(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception as exc:  # keep the engine alive; say what went wrong
                self.journal.notice(Level.ERROR, "Engine error", f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(_TICK_SECONDS)

    async def tick(self) -> None:
        """Everything driven by time: health, retries, the gate, auto_after countdowns."""
        now = self.clock.monotonic()
        if now >= self._next_health and not self.health_watch.running:
            self._next_health = now + self.settings.health_interval_seconds
            self.runner.spawn(self.refresh_health())
        if not self.read_only:
            await self.promotions.start_due_countdowns()
            if self.scheduler.due(now):
                await self.schedule()
        if self.store.read_only and now >= self._next_history_refresh:
            self._next_history_refresh = now + _HISTORY_REFRESH_SECONDS
            await observing.follow_history(self.memory, self.journal, self.store, self.runner)
        if self._command_queue is not None and now >= self._next_command_poll:
            self._next_command_poll = now + _COMMAND_POLL_SECONDS
            await run_queued_commands(self, self._command_queue, self.runner)
        self.status_file.refresh_if_due(now)

    async def refresh_health(self) -> None:
        await self.health_watch.refresh()

    def _edition_changed(self, problem: str | None) -> None:
        self.journal.emit(
            ControllerChanged(
                self.clock.now(),
                read_only=self.read_only,
                lock_holder=self.lock_holder,
                edition_problem=problem,
            )
        )

    # ---- discoveries and scheduling ------------------------------------------------------

    def on_discovery(self, discovery: Discovery) -> None:
        """Called on the watcher's threads; hands the discovery to the loop."""
        self.runner.spawn_from_thread(lambda: self.handle_discovery(discovery))

    async def handle_discovery(self, discovery: Discovery) -> None:
        await self.scheduler.handle_discovery(discovery)

    async def schedule(self) -> None:
        await self.scheduler.schedule()

    # ---- commands (EngineCommands) -------------------------------------------------------

    def _refuse_if(self, action: str, key: str | None, customer: str | None) -> None:
        reason = self.why_not(action, key, customer)
        if reason:
            raise CommandRefused(reason)

    async def approve(self, snapshot_key: str, actor: str, reason: str) -> None:
        self._refuse_if("approve", snapshot_key, None)
        tracked = self.memory.find(snapshot_key)
        await self.promotions.promote(tracked, actor, reason or "approved")

    async def retry(self, snapshot_key: str, actor: str) -> None:
        self._refuse_if("retry", snapshot_key, None)
        await self.scheduler.retry(self.memory.find(snapshot_key), actor)

    async def rollback(
        self,
        customer: str,
        actor: str,
        reason: str,
        target_database: str | None = None,
        expected_from: str | None = None,
    ) -> None:
        self.memory.customer(customer)  # refuses an unknown customer before anything else
        self._refuse_if("rollback", None, customer)
        await self.rollbacks.rollback(customer, actor, reason, target_database, expected_from)

    async def release(self, customer: str, actor: str, reason: str) -> None:
        if self.read_only:
            raise CommandRefused("read-only mode: this console may not change Neo4j")
        await self.rollbacks.release(customer, actor, reason)

    async def hold(self, snapshot_key: str, actor: str, held: bool = True) -> None:
        self._refuse_if("hold", snapshot_key, None)
        await self.promotions.hold(self.memory.find(snapshot_key), actor, held)

    async def preview_promotion(self, snapshot_key: str) -> PromotionPreview:
        return await previews.preview_promotion(self.memory, self.graph, self.runner, snapshot_key)

    async def rollback_options(self, customer: str) -> list[RollbackOption]:
        return previews.rollback_options(self.memory, customer)

    async def history(self, limit: int = 200, customer: str | None = None) -> list[HistoryEntry]:
        read = partial(self.store.history, limit=limit, customer=customer)
        return list(await self.runner.in_worker(read))

    def set_watcher_paused(self, paused: bool) -> None:
        self._watcher_paused = paused
        if self._watcher is not None:
            (self._watcher.pause if paused else self._watcher.resume)()
            self.journal.emit(self._watcher_event())

    def _watcher_event(self) -> WatcherChanged:
        mode = self._watcher.mode if self._watcher is not None else "off"
        return WatcherChanged(self.clock.now(), self.settings.base_path, mode, self._watcher_paused)

    def set_read_only(self, read_only: bool) -> None:
        if not read_only and self.lock_holder:
            raise CommandRefused(f"another controller holds this base path: {self.lock_holder}")
        self.memory.read_only = read_only
        self.journal.emit(
            ControllerChanged(self.clock.now(), read_only=read_only, lock_holder=self.lock_holder)
        )
        if not read_only and self.runner.bound:
            self.runner.spawn(self.schedule())

    def why_not(self, action: str, snapshot_key: str | None, customer: str | None) -> str | None:
        return self.memory.why_not(action, snapshot_key, customer)
