"""Reading the history back: log context for a late console, and following another controller."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bgtui.engine.events import Level, LoadLogLine, SnapshotChanged
from bgtui.engine.recovery import tracked_from_record

if TYPE_CHECKING:
    from bgtui.engine.controller import Controller

_REPLAYED_SNAPSHOTS, _REPLAYED_LINES = 20, 100


async def replay_recent_logs(c: Controller) -> None:
    """Show the newest log lines of recent snapshots, so a console opened later has context."""
    load_log = getattr(c.store, "load_log", None)
    if load_log is None:
        return
    recent = sorted(
        c.snapshots.values(),
        key=lambda t: t.updated_at or datetime.min.replace(tzinfo=UTC),
        reverse=True,
    )[:_REPLAYED_SNAPSHOTS]
    for tracked in recent:
        for line in await c.in_worker(load_log, tracked.key, _REPLAYED_LINES):
            c.emit(LoadLogLine(line.at, line.snapshot_key, Level(line.level), line.message))


async def follow_history(c: Controller) -> None:
    """An observing console shows what the controller holding the lock records."""
    for record in await c.in_worker(c.store.snapshots):
        tracked = tracked_from_record(record)
        if tracked is None:
            continue
        known = c.snapshots.get(tracked.key)
        if known is not None and (known.state, known.detail, known.updated_at) == (
            tracked.state,
            tracked.detail,
            tracked.updated_at,
        ):
            continue
        c.snapshots[tracked.key] = tracked
        c.customer_for(tracked)
        c.emit(SnapshotChanged(c.clock.now(), tracked.view()))
