"""Snapshot folders built on disk with chosen modification times, and a clock that is told."""

from __future__ import annotations

import pytest

from tests.helpers.watch import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
