"""Fixtures for console tests: a fake engine with a fixed clock, and an app factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bgtui.ui.app import BgtuiApp
from bgtui.ui.options import ConsoleOptions
from tests.helpers.ui import OPERATOR
from tests.ui.fake_engine import FakeEngine
from tests.ui.scenario import build_picture


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
