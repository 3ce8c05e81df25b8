"""Fixtures for console tests: a fake engine with a fixed clock, and an app factory."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from bgtui.ui.app import BgtuiApp
from bgtui.ui.options import ConsoleOptions
from tests.ui.fake_engine import FakeEngine
from tests.ui.scenario import build_picture

OPERATOR = "alice"


@pytest.fixture
def engine() -> FakeEngine:
    """The scenario's five customers, already known to the engine (as after recovery)."""
    fake = FakeEngine()
    build_picture(fake)
    return fake


@pytest.fixture
def make_app(engine: FakeEngine) -> Callable[..., BgtuiApp]:
    def build(**options: Any) -> BgtuiApp:
        settings = dict(
            environment_name="staging",
            environment_colour="yellow",
            neo4j_address="bolt://localhost:7687",
            operator=OPERATOR,
        )
        settings.update(options)
        return BgtuiApp(engine, ConsoleOptions(**settings), now=engine.clock.now)

    return build


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 3.0
) -> None:
    """Let the app run until ``condition()`` holds (workers, modals, posted messages)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.01)


def row_text(app: BgtuiApp, key: str) -> str:
    """A snapshot row as the operator reads it (cells joined by ' | ')."""
    table = app.main.snapshots
    return " | ".join(str(cell) for cell in table.get_row(key))


def shown_keys(app: BgtuiApp) -> list[str]:
    table = app.main.snapshots
    return [str(row.key.value) for row in table.ordered_rows]
