"""Times and snapshot views for history store tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bgtui.domain.snapshot import SnapshotId, SnapshotState
from bgtui.engine.events import SnapshotView

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
