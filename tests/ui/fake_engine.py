"""An in-memory engine for console tests: the command surface of ``EngineCommands``, the same
events in the same order as the controller, and its refusals.

It stands in for the engine, not for Neo4j: there is no graph here, only the picture the
console is shown. Its rules are the engine's own (``bgtui.engine.rules.why_not``), so a
console test cannot pass on a rule the real engine does not have.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bgtui.domain.snapshot import SnapshotId, SnapshotState
from bgtui.engine.commands import (
    CommandRefused,
    CountDiff,
    HistoryEntry,
    PromotionPreview,
    RollbackOption,
)
from bgtui.engine.events import (
    AliasesChanged,
    AliasView,
    ControllerChanged,
    DatabaseStatus,
    EngineEvent,
    EventSink,
    HealthChanged,
    HealthView,
    Level,
    LoadLogLine,
    LoadProgress,
    Notice,
    SnapshotChanged,
    SnapshotView,
    WatcherChanged,
)
from bgtui.engine.rules import ROLLBACK_CANDIDATE_STATES, why_not

START = datetime(2026, 1, 2, 12, 0, 0, tzinfo=UTC)


class FixedClock:
    """Time that moves only when a test says so (countdowns and frames stay the same)."""

    def __init__(self, at: datetime = START) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@dataclass
class _Customer:
    alias: str
    live_database: str | None = None
    previous_live: list[str] = field(default_factory=list)
    drift: str | None = None


class FakeEngine:
    """``EngineCommands`` in memory; its drivers (``put``, ``progress``, …) play the loop."""

    def __init__(
        self,
        clock: FixedClock | None = None,
        *,
        read_only: bool = False,
        lock_holder: str | None = None,
        base_path: str = "/data/snapshots",
    ) -> None:
        self.clock = clock or FixedClock()
        self.read_only = read_only
        self.lock_holder = lock_holder
        self.base_path = base_path
        self.snapshots: dict[str, SnapshotView] = {}
        self.customers: dict[str, _Customer] = {}
        self.held_by: dict[str, str] = {}  # customers held after a rollback, by whom
        self.health = HealthView(connected=False, address="bolt://localhost:7687")
        self.paused = False
        self.watching = False
        self.counts: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
        self.entries: list[HistoryEntry] = []
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.started = False
        self.stopped = False
        self.refuse_next: str | None = None  # make the next command fail as the engine would
        self._sinks: list[EventSink] = []
        self._lock = threading.Lock()

    # ---- EngineCommands --------------------------------------------------------------------

    def subscribe(self, sink: EventSink) -> None:
        self._sinks.append(sink)
        for event in self._current_picture():
            sink(event)

    async def start(self) -> None:
        self.calls.append(("start", ()))
        self.started = True
        self.watching = True
        self.emit(self._watcher_event())

    async def stop(self) -> None:
        self.calls.append(("stop", ()))
        self.stopped = True

    async def approve(self, snapshot_key: str, actor: str, reason: str) -> None:
        self.calls.append(("approve", (snapshot_key, actor, reason)))
        self._refuse_if("approve", snapshot_key, None)
        view = self.snapshots[snapshot_key]
        self._transition(view.key, SnapshotState.PROMOTING, f"approved by {actor}", actor)
        self._make_live(view.customer, view.key, actor, reason)

    async def retry(self, snapshot_key: str, actor: str) -> None:
        self.calls.append(("retry", (snapshot_key, actor)))
        self._refuse_if("retry", snapshot_key, None)
        self._transition(
            snapshot_key,
            SnapshotState.QUEUED,
            f"retry requested by {actor}",
            actor,
            attempts=0,
            error=None,
        )

    async def rollback(
        self,
        customer: str,
        actor: str,
        reason: str,
        target_database: str | None = None,
        expected_from: str | None = None,
    ) -> None:
        self.calls.append(("rollback", (customer, actor, reason, target_database)))
        self._refuse_if("rollback", None, customer)
        state = self.customers[customer]
        target = target_database or self._rollback_target(customer)
        target_view = next(
            (v for v in self.snapshots.values() if v.database == target and v.customer == customer),
            None,
        )
        if target_view is None:
            raise CommandRefused(f"{target} is not a database bgtui keeps for {customer}")
        old = self._snapshot_of(state.live_database)
        if old is not None:
            self._transition(old.key, SnapshotState.ROLLED_BACK, f"rolled back by {actor}", actor)
        self._make_live(customer, target_view.key, actor, reason, rollback=True)
        self.held_by[customer] = actor
        self.publish_aliases()

    async def release(self, customer: str, actor: str, reason: str) -> None:
        self.calls.append(("release", (customer, actor, reason)))
        if self.held_by.pop(customer, None) is None:
            raise CommandRefused(f"{customer} is not held")
        self.publish_aliases()

    async def hold(self, snapshot_key: str, actor: str, held: bool = True) -> None:
        self.calls.append(("hold", (snapshot_key, actor, held)))
        self._refuse_if("hold", snapshot_key, None)
        view = self.snapshots[snapshot_key]
        if held:
            self._transition(view.key, view.state, f"countdown held by {actor}", actor, held=True)
        else:
            self._transition(
                view.key,
                view.state,
                f"countdown released by {actor}",
                actor,
                held=False,
                auto_promote_at=self.clock.now() + timedelta(seconds=60),
            )

    async def preview_promotion(self, snapshot_key: str) -> PromotionPreview:
        self.calls.append(("preview_promotion", (snapshot_key,)))
        view = self.snapshots.get(snapshot_key)
        if view is None or view.database is None:
            raise CommandRefused(f"no snapshot {snapshot_key!r} is known")
        live = self.customers[view.customer].live_database
        labels, types = self.counts.get(view.database, ({}, {}))
        live_labels, live_types = self.counts.get(live, ({}, {})) if live else ({}, {})
        diffs = [
            CountDiff("label", name, live_labels.get(name) if live else None, labels.get(name, 0))
            for name in sorted(set(labels) | set(live_labels))
        ] + [
            CountDiff("type", name, live_types.get(name) if live else None, types.get(name, 0))
            for name in sorted(set(types) | set(live_types))
        ]
        return PromotionPreview(
            snapshot_key, self.customers[view.customer].alias, live, view.database, tuple(diffs)
        )

    async def rollback_options(self, customer: str) -> list[RollbackOption]:
        self.calls.append(("rollback_options", (customer,)))
        state = self.customers.get(customer)
        if state is None:
            return []
        default = self._rollback_target(customer)
        online = self._online()
        options = [
            RollbackOption(
                view.database, view.key, view.database in online, view.database == default
            )
            for view in self._of_customer(customer)
            if view.database
            and view.database != state.live_database
            and view.state in ROLLBACK_CANDIDATE_STATES
        ]
        options.sort(key=lambda option: not option.is_default)
        return options

    async def history(self, limit: int = 200, customer: str | None = None) -> list[HistoryEntry]:
        self.calls.append(("history", (limit, customer)))
        found = [e for e in self.entries if customer is None or e.customer == customer]
        return sorted(found, key=lambda e: e.at, reverse=True)[:limit]

    def set_watcher_paused(self, paused: bool) -> None:
        self.calls.append(("set_watcher_paused", (paused,)))
        self.paused = paused
        self.emit(self._watcher_event())

    def set_read_only(self, read_only: bool) -> None:
        self.calls.append(("set_read_only", (read_only,)))
        if not read_only and self.lock_holder:
            raise CommandRefused(f"another controller holds this base path: {self.lock_holder}")
        self.read_only = read_only
        self.emit(ControllerChanged(self.clock.now(), read_only, self.lock_holder))

    def why_not(self, action: str, snapshot_key: str | None, customer: str | None) -> str | None:
        view = self.snapshots.get(snapshot_key) if snapshot_key else None
        customer = customer or (view.customer if view else None)
        state = self.customers.get(customer) if customer else None
        return why_not(
            action,
            view.state if view else None,
            read_only=self.read_only,
            has_countdown=bool(view and view.auto_promote_at is not None),
            rollback_target=self._rollback_target(customer) if customer else None,
            live_database=state.live_database if state else None,
        )

    # ---- what the engine's loop would do (test drivers) ------------------------------------

    def emit(self, event: EngineEvent) -> None:
        for sink in list(self._sinks):
            sink(event)

    def put(self, customer: str, timestamp: str, state: SnapshotState, **changes: Any) -> str:
        """Create or change a snapshot and publish its view, as a transition would."""
        snapshot = SnapshotId(customer, timestamp)
        with self._lock:
            old = self.snapshots.get(snapshot.key)
            if old is None:
                old = SnapshotView(
                    key=snapshot.key,
                    customer=customer,
                    timestamp=timestamp,
                    database=snapshot.database,
                    alias=snapshot.alias,
                    state=state,
                )
                self.customers.setdefault(customer, _Customer(snapshot.alias))
            view = replace(old, state=state, updated_at=self.clock.now(), **changes)
            self.snapshots[view.key] = view
        self.emit(SnapshotChanged(self.clock.now(), view))
        return view.key

    def progress(self, key: str, done: int, total: int | None, rate: float) -> None:
        eta = (total - done) / rate if total and rate else None
        view = self.snapshots[key]
        self.put(
            view.customer,
            view.timestamp,
            view.state,
            progress=LoadProgress("nodes", done, total, rate, eta),
        )

    def log(self, key: str, message: str, level: Level = Level.INFO) -> None:
        self.emit(LoadLogLine(self.clock.now(), key, level, message))

    def notice(self, title: str, message: str, *, needs_person: bool = False) -> None:
        level = Level.WARNING if needs_person else Level.INFO
        self.emit(Notice(self.clock.now(), level, title, message, needs_person))

    def set_health(self, **changes: Any) -> None:
        self.health = replace(self.health, **changes)
        self.emit(HealthChanged(self.clock.now(), self.health))
        self.publish_aliases()

    def set_live(self, customer: str, database: str) -> None:
        """Point ``customer``'s alias at ``database`` (what recovery reads from Neo4j)."""
        state = self.customers[customer]
        if state.live_database and state.live_database != database:
            state.previous_live.insert(0, state.live_database)
        state.live_database = database
        self.publish_aliases()

    def publish_aliases(self) -> None:
        self.emit(AliasesChanged(self.clock.now(), self._alias_views()))

    def record(
        self, kind: str, key: str | None, customer: str, summary: str, actor: str, reason: str
    ) -> None:
        self.entries.append(
            HistoryEntry(self.clock.now(), kind, key, customer, summary, actor, reason)
        )

    def called(self, name: str) -> list[tuple[Any, ...]]:
        return [args for call, args in self.calls if call == name]

    # ---- inside ----------------------------------------------------------------------------

    def _refuse_if(self, action: str, key: str | None, customer: str | None) -> None:
        if self.refuse_next:
            reason, self.refuse_next = self.refuse_next, None
            raise CommandRefused(reason)
        if key is not None and key not in self.snapshots:
            raise CommandRefused(f"no snapshot {key!r} is known")
        reason = self.why_not(action, key, customer)
        if reason:
            raise CommandRefused(reason)

    def _transition(
        self, key: str, state: SnapshotState, cause: str, actor: str, **changes: Any
    ) -> None:
        view = self.snapshots[key]
        self.record("transition", key, view.customer, f"{view.state} -> {state}", actor, cause)
        self.put(view.customer, view.timestamp, state, detail=cause, **changes)

    def _make_live(
        self, customer: str, key: str, actor: str, reason: str, *, rollback: bool = False
    ) -> None:
        state = self.customers[customer]
        view = self.snapshots[key]
        old = self._snapshot_of(state.live_database)
        if old is not None and not rollback:
            self._transition(old.key, SnapshotState.STANDBY, f"replaced by {view.timestamp}", actor)
        summary = f"{state.alias}: {state.live_database or '-'} -> {view.database}"
        self.record("alias", key, customer, summary, actor, reason)
        self._transition(key, SnapshotState.LIVE, reason, actor, auto_promote_at=None, held=False)
        assert view.database is not None
        self.set_live(customer, view.database)

    def _snapshot_of(self, database: str | None) -> SnapshotView | None:
        return next((v for v in self.snapshots.values() if v.database == database), None)

    def _of_customer(self, customer: str) -> list[SnapshotView]:
        found = [v for v in self.snapshots.values() if v.customer == customer]
        return sorted(found, key=lambda v: v.timestamp, reverse=True)

    def _online(self) -> set[str]:
        return {db.name for db in self.health.databases if db.current_status == "online"}

    def _rollback_target(self, customer: str) -> str | None:
        state = self.customers.get(customer)
        if state is None:
            return None
        online = self._online()
        return next(
            (db for db in state.previous_live if db != state.live_database and db in online),
            None,
        )

    def _alias_views(self) -> tuple[AliasView, ...]:
        views = []
        for customer, state in sorted(self.customers.items()):
            awaiting = next(
                (
                    v.key
                    for v in self._of_customer(customer)
                    if v.state is SnapshotState.AWAITING_APPROVAL
                ),
                None,
            )
            views.append(
                AliasView(
                    customer,
                    state.alias,
                    state.live_database,
                    self._rollback_target(customer),
                    awaiting,
                    state.drift,
                    self.held_by.get(customer),
                )
            )
        return tuple(views)

    def _watcher_event(self) -> WatcherChanged:
        mode = "events" if self.watching else "off"
        return WatcherChanged(self.clock.now(), self.base_path, mode, self.paused)

    def _current_picture(self) -> Iterable[EngineEvent]:
        now = self.clock.now()
        yield ControllerChanged(now, read_only=self.read_only, lock_holder=self.lock_holder)
        yield HealthChanged(now, self.health)
        for view in list(self.snapshots.values()):
            yield SnapshotChanged(now, view)
        yield AliasesChanged(now, self._alias_views())
        if self.watching:
            yield self._watcher_event()


def online(*names: str) -> tuple[DatabaseStatus, ...]:
    return tuple(DatabaseStatus(name, "online", "online") for name in names)
