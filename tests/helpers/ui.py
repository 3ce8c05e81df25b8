"""Driving the console in tests: waiting for it, and reading rows and keys off it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from bgtui.ui.app import BgtuiApp

OPERATOR = "alice"


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
