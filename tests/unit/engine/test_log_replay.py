"""A console opened after the fact sees the newest log lines of recent snapshots."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.clock import ManualClock
from bgtui.engine.controller import Controller
from bgtui.engine.events import EngineEvent, LoadLogLine, SnapshotView
from bgtui.store.history import HistoryStore
from tests.helpers.engine import make_settings

from .doubles import InMemoryGraph


async def test_recent_log_lines_are_replayed_at_start(tmp_path: Path) -> None:
    at = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    store = HistoryStore(tmp_path / "history.sqlite3", base_path=tmp_path)
    store.record_snapshot(
        SnapshotView(
            "acme/1714564800",
            "acme",
            "1714564800",
            "acme-1714564800",
            "acme",
            SnapshotState.FAILED,
            "load failed",
            updated_at=at,
        )
    )
    store.append_log("acme/1714564800", "error", "people-part1.csv, line 3: bad int", at)
    events: list[EngineEvent] = []
    controller = Controller(make_settings(), InMemoryGraph(), store, clock=ManualClock())
    controller.subscribe(events.append)
    await controller.start()
    try:
        lines = [e for e in events if isinstance(e, LoadLogLine)]
        assert [(line.snapshot_key, line.message) for line in lines] == [
            ("acme/1714564800", "people-part1.csv, line 3: bad int")
        ]
    finally:
        await controller.stop()
        store.close()
