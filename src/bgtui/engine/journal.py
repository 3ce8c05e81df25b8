"""Record, then show: every change the engine makes reaches the history before the panes.

The journal is the one way a step changes what the operator sees. A transition is written to
the history store (in order, on its single writer thread) and only then published as an event,
so a console never shows a state the audit trail lacks. An observing console, whose history is
read-only because another controller holds the lock, writes nothing and still shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.events import (
    AliasesChanged,
    AliasView,
    EngineEvent,
    EventSink,
    Level,
    LoadLogLine,
    LoadProgress,
    Notice,
    SnapshotChanged,
)
from bgtui.engine.ports import Clock, HistoryPort, LoadReport
from bgtui.engine.runner import Runner
from bgtui.engine.settings import SYSTEM_ACTOR
from bgtui.engine.tracking import CustomerState, TrackedSnapshot


class Journal:
    """Subscribers, the history they trail, and the clock that dates both."""

    def __init__(self, history: HistoryPort, clock: Clock, runner: Runner) -> None:
        self.clock = clock
        self._history = history
        self._runner = runner
        self._sinks: list[EventSink] = []
        self.written_since_export = False  # the status file is due for a refresh

    # ---- showing -------------------------------------------------------------------------

    def subscribe(self, sink: EventSink, picture: Iterable[EngineEvent] = ()) -> None:
        """Add ``sink``, first handing it ``picture`` (the current state of everything)."""
        self._sinks.append(sink)
        for event in picture:
            sink(event)

    def emit(self, event: EngineEvent) -> None:
        for sink in list(self._sinks):
            sink(event)

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

    def aliases(self, views: tuple[AliasView, ...]) -> None:
        self.emit(AliasesChanged(self.clock.now(), views))

    def progress(self, tracked: TrackedSnapshot, progress: LoadProgress) -> None:
        """Show how far a load is; progress is live state and is not recorded."""
        tracked.progress = progress
        tracked.updated_at = self.clock.now()
        self.emit(SnapshotChanged(tracked.updated_at, tracked.view()))

    # ---- recording, then showing ---------------------------------------------------------

    async def record(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Write to the history store in order, on its own thread; never loses the loop.

        An observing console (another controller holds the lock) opens the history read-only
        and writes nothing: the controller that holds the lock is the one that records.
        """
        if self._history.read_only:
            return
        try:
            await self._runner.in_writer(func, *args, **kwargs)
        except Exception as exc:  # the audit trail failing must be visible, not fatal
            self.emit(Notice(self.clock.now(), Level.ERROR, "History not written", f"{exc}"))
        self.written_since_export = True

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
            self._history.record_transition,
            tracked.key,
            None if previous is state and previous is SnapshotState.SEEN else previous,
            state,
            cause,
            actor,
            tracked.updated_at,
        )
        await self.record(self._history.record_snapshot, view)
        self.emit(SnapshotChanged(tracked.updated_at, view))

    async def update(self, tracked: TrackedSnapshot, **changes: Any) -> None:
        """Change what a snapshot shows without changing its state (detail, countdown)."""
        for name, value in changes.items():
            setattr(tracked, name, value)
        tracked.updated_at = self.clock.now()
        view = tracked.view()
        await self.record(self._history.record_snapshot, view)
        self.emit(SnapshotChanged(tracked.updated_at, view))

    async def log(self, key: str, level: Level, message: str) -> None:
        at = self.clock.now()
        await self.record(self._history.append_log, key, level.value, message, at)
        self.emit(LoadLogLine(at, key, level, message))

    def log_from_thread(self, key: str, level: Level, message: str) -> None:
        """``log`` for a worker thread: the line is recorded and shown on the loop."""
        self._runner.spawn_from_thread(lambda: self.log(key, level, message))

    async def alias_moved(
        self,
        customer: CustomerState,
        from_database: str | None,
        to_database: str | None,
        kind: str,
        actor: str,
        reason: str,
    ) -> None:
        """Record an alias change: one bgtui made, or (``kind="drift"``) one it found."""
        await self.record(
            self._history.record_alias_change,
            customer.customer,
            customer.alias,
            from_database,
            to_database,
            kind,
            actor,
            reason,
            self.clock.now(),
        )

    async def load_stats(self, tracked: TrackedSnapshot, attempt: int, report: LoadReport) -> None:
        await self.record(
            self._history.record_load_stats,
            tracked.key,
            attempt,
            report.nodes,
            report.relationships,
            report.skipped_duplicates,
            report.bad_relationships,
            report.duration_seconds,
            self.clock.now(),
        )
