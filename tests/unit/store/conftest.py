"""Fixtures for the store's tests: real SQLite files in tmp_path, views built field by field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bgtui.store.history import HistoryStore


@pytest.fixture
def history_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "history.sqlite3"


@pytest.fixture
def store(history_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore(history_path) as opened:
        yield opened
