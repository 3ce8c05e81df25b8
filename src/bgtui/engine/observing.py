"""Reading the history back: log context for a late console, and following another controller."""

from __future__ import annotations

from datetime import UTC, datetime

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.events import Level, LoadLogLine, SnapshotChanged
from bgtui.engine.journal import Journal
from bgtui.engine.memory import EngineMemory
from bgtui.engine.ports import HistoryPort
from bgtui.engine.recovery import tracked_from_record
from bgtui.engine.runner import Runner

_REPLAYED_SNAPSHOTS, _REPLAYED_LINES = 20, 100

_NOT_SHOWN_AFTER_RESTART = {SnapshotState.RETIRED, SnapshotState.SUPERSEDED, SnapshotState.STALE}
"""Final states nobody acts on; everything else the history knows is on the board at start."""


def publish_recovered(memory: EngineMemory, journal: Journal) -> None:
    """Put what the history knows on every console's board once recovery has read it.

    Recovery tracks stored snapshots without a transition, and a console subscribes before
    the engine starts, so without this a restarted console (or one attached to a running
    service) would show "no snapshots yet" while snapshots await approval. The same facts
    ``bgtui status`` reads: everything not retired, superseded or stale.
    """
    now = journal.clock.now()
    for tracked in memory.snapshots.values():
        if tracked.state not in _NOT_SHOWN_AFTER_RESTART:
            journal.emit(SnapshotChanged(now, tracked.view()))


async def replay_recent_logs(
    memory: EngineMemory, journal: Journal, history: HistoryPort, run: Runner
) -> None:
    """Show the newest log lines of recent snapshots, so a console opened later has context."""
    recent = sorted(
        memory.snapshots.values(),
        key=lambda t: t.updated_at or datetime.min.replace(tzinfo=UTC),
        reverse=True,
    )[:_REPLAYED_SNAPSHOTS]
    for tracked in recent:
        for line in await run.in_worker(history.load_log, tracked.key, _REPLAYED_LINES):
            journal.emit(LoadLogLine(line.at, line.snapshot_key, Level(line.level), line.message))


async def follow_history(
    memory: EngineMemory, journal: Journal, history: HistoryPort, run: Runner
) -> None:
    """An observing console shows what the controller holding the lock records."""
    for record in await run.in_worker(history.snapshots):
        tracked = tracked_from_record(record)
        if tracked is None:
            continue
        known = memory.snapshots.get(tracked.key)
        if known is not None and (known.state, known.detail, known.updated_at) == (
            tracked.state,
            tracked.detail,
            tracked.updated_at,
        ):
            continue
        memory.track(tracked)
        journal.emit(SnapshotChanged(journal.clock.now(), tracked.view()))
