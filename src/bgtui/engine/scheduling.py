"""From a folder on disk to a running load: discoveries become queued snapshots, and the
scheduler starts what may start (one load per customer, ``max_parallel_loads`` in all, only
while the health gate is open)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.journal import Journal
from bgtui.engine.memory import EngineMemory
from bgtui.engine.ports import Discovery
from bgtui.engine.settings import EngineSettings
from bgtui.engine.tracking import TrackedSnapshot

_READ_ONLY_WAIT = "waiting: this console is read-only"


class Scheduler:
    """Decides which queued snapshot loads next, and hands it to ``start_load``."""

    def __init__(
        self,
        memory: EngineMemory,
        journal: Journal,
        settings: EngineSettings,
        start_load: Callable[[TrackedSnapshot], Coroutine[Any, Any, None]],
        spawn: Callable[[Coroutine[Any, Any, Any]], None],
    ) -> None:
        self.memory = memory
        self.journal = journal
        self.settings = settings
        self._start_load = start_load
        self._spawn = spawn
        self._lock = asyncio.Lock()
        self.stopping = False  # an interrupted load must not make room for a new one
        self.next_gate_check = 0.0  # monotonic time to look again at a closed gate; 0: none

    def bind(self) -> None:
        """Make the lock on the running loop (the engine may start on another loop)."""
        self._lock = asyncio.Lock()

    def due(self, now: float) -> bool:
        """Is a retry's backoff over, or time to look at a closed health gate again?"""
        retry_due = any(
            t.state is SnapshotState.QUEUED
            and t.next_attempt_at is not None
            and t.next_attempt_at <= now
            for t in self.memory.snapshots.values()
        )
        return retry_due or bool(self.next_gate_check and now >= self.next_gate_check)

    async def retry(self, tracked: TrackedSnapshot, actor: str) -> None:
        """Queue a snapshot again at an operator's request; an older one never auto-promotes."""
        manual = tracked.state is SnapshotState.STALE or self.memory.is_older_than_live(tracked)
        await self.journal.transition(
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

    async def handle_discovery(self, discovery: Discovery) -> None:
        memory, journal = self.memory, self.journal
        tracked = memory.snapshots.get(discovery.snapshot.key)
        if discovery.problem:
            if tracked is None:
                tracked = TrackedSnapshot(discovery.snapshot, discovery.path, SnapshotState.SEEN)
                memory.snapshots[tracked.key] = tracked
            news = tracked.state is SnapshotState.SEEN or (
                tracked.state is SnapshotState.REJECTED and tracked.detail != discovery.problem
            )
            if news:
                await journal.transition(tracked, SnapshotState.REJECTED, discovery.problem)
            return
        if tracked is None:
            tracked = memory.track(
                TrackedSnapshot(discovery.snapshot, discovery.path, SnapshotState.SEEN)
            )
            await journal.transition(tracked, SnapshotState.SEEN, "found on disk")
        if not discovery.ready or tracked.state is not SnapshotState.SEEN:
            return  # no double loads: only a newly complete snapshot is queued
        if memory.is_older_than_live(tracked):
            await journal.transition(
                tracked, SnapshotState.STALE, "older than the live database; retry to load it"
            )
            return
        await journal.transition(tracked, SnapshotState.QUEUED, "complete on disk")
        await self.schedule()

    async def schedule(self) -> None:
        """Start what may start: one load per customer, ``max_parallel_loads`` in all."""
        if self.stopping:
            return
        memory, journal = self.memory, self.journal
        async with self._lock:
            self.next_gate_check = 0.0
            running = sum(1 for c in memory.customers.values() if c.loading_key)
            now = journal.clock.monotonic()
            for customer in sorted(memory.customers.values(), key=lambda c: c.customer):
                queued = [
                    t
                    for t in memory.of_customer(customer.customer)
                    if t.state is SnapshotState.QUEUED
                ]
                if not queued:
                    continue
                newest, older = queued[0], queued[1:]
                for tracked in older:
                    await journal.transition(
                        tracked,
                        SnapshotState.SUPERSEDED,
                        f"superseded by {newest.snapshot.timestamp}",
                    )
                if customer.loading_key:
                    continue
                if newest.next_attempt_at is not None and newest.next_attempt_at > now:
                    continue
                if memory.read_only:
                    if newest.detail != _READ_ONLY_WAIT:
                        await journal.update(newest, detail=_READ_ONLY_WAIT)
                    continue
                if running >= self.settings.max_parallel_loads:
                    continue
                held = memory.gate_held(now)
                if held is not None or not memory.health.gate_open:
                    reason = f"waiting for the health gate: {held or memory.health.gate_reason}"
                    if newest.detail != reason:
                        await journal.update(newest, detail=reason)
                    self.next_gate_check = now + self.settings.gate_recheck_seconds
                    continue
                customer.loading_key = newest.key
                running += 1
                self._spawn(self._start_load(newest))
