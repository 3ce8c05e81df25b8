"""Rebuilding the picture after a restart: history says what was happening, Neo4j says what is.

A load that was cut off is marked failed (interrupted), its partial database dropped, and it
is queued again, so nothing is loaded twice and nothing half-loaded is ever promoted. Alias
targets come from SHOW ALIASES: Neo4j is the truth.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from bgtui.domain.snapshot import SnapshotId, SnapshotState
from bgtui.engine.events import Level
from bgtui.engine.ports import GraphError
from bgtui.engine.tracking import TrackedSnapshot

if TYPE_CHECKING:
    from bgtui.engine.controller import Controller

_CUT_OFF = {SnapshotState.LOADING, SnapshotState.VALIDATING}


def tracked_from_record(record: Any) -> TrackedSnapshot | None:
    """The engine's working record for a stored snapshot (None for names that are invalid)."""
    snapshot = SnapshotId(record.customer, record.timestamp)
    if snapshot.name_problem():
        return None
    return TrackedSnapshot(
        snapshot=snapshot,
        path=Path(record.path or ""),
        state=SnapshotState(record.state),
        detail=getattr(record, "detail", "") or "",
        error=getattr(record, "error", None),
        snapshot_format=getattr(record, "format", None),
        attempts=getattr(record, "attempts", 0) or 0,
        held=bool(getattr(record, "held", False)),
        auto_promote_at=getattr(record, "auto_promote_at", None),
        updated_at=getattr(record, "updated_at", None),
        started_at=getattr(record, "started_at", None),
        finished_at=getattr(record, "finished_at", None),
    )


async def recover(c: Controller) -> None:
    """Load history, reconcile it with Neo4j, and re-queue what was cut off."""
    records = await c.in_worker(c.store.snapshots)
    for record in records:
        tracked = tracked_from_record(record)
        if tracked is None:
            continue
        c.snapshots[tracked.key] = tracked
        c.customer_for(tracked)
    try:
        databases = await c.in_worker(c.graph.list_databases)
        aliases = await c.in_worker(c.graph.list_aliases)
    except GraphError as exc:
        c.notice(
            Level.WARNING,
            "Neo4j unreachable at start",
            f"history loaded; alias targets will be checked when Neo4j answers ({exc})",
        )
        return
    existing = {db.name for db in databases}
    for tracked in list(c.snapshots.values()):
        tracked.database_exists = tracked.database in existing
        if c.read_only:
            continue
        if tracked.state in _CUT_OFF:
            await _requeue_interrupted(c, tracked)
        elif tracked.state is SnapshotState.PROMOTING:
            await _settle_interrupted_promotion(c, tracked, aliases)
    await _adopt_alias_truth(c, aliases)


async def _requeue_interrupted(c: Controller, tracked: TrackedSnapshot) -> None:
    await c.transition(
        tracked,
        SnapshotState.FAILED,
        "interrupted: bgtui stopped during the load",
        error="interrupted",
    )
    await c.drop_partial_database(tracked)
    await c.transition(
        tracked,
        SnapshotState.QUEUED,
        "queued again after an interrupted load",
        attempts=0,
        error=None,
    )


async def _settle_interrupted_promotion(
    c: Controller, tracked: TrackedSnapshot, aliases: dict[str, str]
) -> None:
    if aliases.get(tracked.snapshot.alias) == tracked.database:
        return  # the switch happened; alias truth below marks it live
    await c.transition(
        tracked,
        SnapshotState.AWAITING_APPROVAL,
        "promotion was interrupted before the alias moved; approve to try again",
        manual_only=True,
    )


async def _adopt_alias_truth(c: Controller, aliases: dict[str, str]) -> None:
    for customer in c.customers.values():
        actual = aliases.get(customer.alias)
        earlier = [
            t.database
            for t in c.of_customer(customer.customer)
            if t.database
            and t.database_exists
            and t.state in {SnapshotState.LIVE, SnapshotState.STANDBY, SnapshotState.ROLLED_BACK}
            and t.database != actual
        ]
        customer.previous_live = [name for name in earlier if name is not None]
        customer.live_database = actual
        recorded = await c.in_worker(c.store.last_alias_target, customer.customer)
        if recorded is not None and recorded != actual:
            message = (
                f"alias {customer.alias} targets {actual or 'nothing'}; bgtui last set {recorded}"
            )
            await c.promotions.record_drift(
                customer, actual, message, adopt=False, expected=recorded
            )
        for tracked in c.of_customer(customer.customer):
            if tracked.database == actual and tracked.state is not SnapshotState.LIVE:
                await c.transition(tracked, SnapshotState.LIVE, "Neo4j says the alias targets it")
            elif tracked.state is SnapshotState.LIVE and tracked.database != actual:
                await c.transition(
                    tracked, SnapshotState.STANDBY, "Neo4j says the alias targets another database"
                )
