"""A controller on in-memory ports, with helpers to wait for states; engine settings for tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bgtui.domain.policy import PromotionPolicy
from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.clock import ManualClock
from bgtui.engine.controller import Controller
from bgtui.engine.events import EngineEvent
from bgtui.engine.settings import EngineSettings
from tests.unit.engine.doubles import InMemoryGraph, InMemoryHistory


class Harness:
    """A controller wired to in-memory ports, with helpers to wait for states."""

    def __init__(self, settings: EngineSettings) -> None:
        self.graph = InMemoryGraph()
        self.history = InMemoryHistory()
        self.clock = ManualClock()
        self.settings = settings
        self.events: list[EngineEvent] = []
        self.controller = self.build()

    def build(self, **kwargs: object) -> Controller:
        controller = Controller(self.settings, self.graph, self.history, clock=self.clock, **kwargs)  # type: ignore[arg-type]
        controller.subscribe(self.events.append)
        return controller

    def state(self, key: str) -> SnapshotState | None:
        tracked = self.controller.snapshots.get(key)
        return tracked.state if tracked else None

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate():
            if asyncio.get_running_loop().time() > deadline:
                states = {k: t.state.value for k, t in self.controller.snapshots.items()}
                raise AssertionError(f"condition not reached; states: {states}")
            await asyncio.sleep(0.01)

    async def wait_state(self, key: str, state: SnapshotState) -> None:
        await self.wait_for(lambda: self.state(key) is state)


def make_settings(**overrides: object) -> EngineSettings:
    base: dict[str, object] = {
        "base_path": "/snapshots",
        "retry_backoff_seconds": 0.0,
        "health_interval_seconds": 3600.0,
        "default_policy": PromotionPolicy("auto", 60.0, 1),
    }
    base.update(overrides)
    return EngineSettings(**base)  # type: ignore[arg-type]
