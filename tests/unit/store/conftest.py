"""Fixtures for the store's tests: real SQLite files in tmp_path, views built field by field."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bgtui.domain.snapshot import SnapshotId, SnapshotState
from bgtui.engine.events import SnapshotView
from bgtui.store.history import HistoryStore

T0 = datetime(2025, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)


def at(seconds: float) -> datetime:
    """A moment ``seconds`` after T0."""
    return T0 + timedelta(seconds=seconds)


def make_view(key: str, state: SnapshotState = SnapshotState.SEEN, **fields: Any) -> SnapshotView:
    snapshot = SnapshotId.from_key(key)
    values: dict[str, Any] = {
        "key": key,
        "customer": snapshot.customer,
        "timestamp": snapshot.timestamp,
        "database": snapshot.database,
        "alias": snapshot.alias,
        "state": state,
        "updated_at": T0,
    }
    values.update(fields)
    return SnapshotView(**values)


@pytest.fixture
def history_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "history.sqlite3"


@pytest.fixture
def store(history_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore(history_path) as opened:
        yield opened
