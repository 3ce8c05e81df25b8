from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from bgtui.engine.settings import EngineSettings
from tests.helpers.engine import Harness, make_settings


@pytest.fixture
def settings_factory() -> Callable[..., EngineSettings]:
    return make_settings


@pytest.fixture
async def harness() -> AsyncIterator[Harness]:
    h = Harness(make_settings())
    await h.controller.start()
    yield h
    await h.controller.stop()
