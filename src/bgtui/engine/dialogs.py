"""What the console's dialogs show before an operator decides: diffs and rollback choices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.commands import CommandRefused, CountDiff, PromotionPreview, RollbackOption
from bgtui.engine.ports import GraphError

if TYPE_CHECKING:
    from bgtui.engine.controller import Controller


async def preview_promotion(c: Controller, snapshot_key: str) -> PromotionPreview:
    """The label/type diff of a candidate against the live database, for approval."""
    tracked = c.find(snapshot_key)
    database = tracked.database
    if database is None:
        raise CommandRefused(f"{snapshot_key} has no database")
    customer = c.customer_for(tracked)
    live = customer.live_database
    try:
        labels, types = await c.in_worker(c.graph.counts, database)
        live_labels, live_types = await c.in_worker(c.graph.counts, live) if live else ({}, {})
    except GraphError as exc:
        raise CommandRefused(f"cannot compare with the live database: {exc}") from exc
    diffs = [
        CountDiff("label", name, live_labels.get(name) if live else None, labels.get(name, 0))
        for name in sorted(set(labels) | set(live_labels))
    ] + [
        CountDiff("type", name, live_types.get(name) if live else None, types.get(name, 0))
        for name in sorted(set(types) | set(live_types))
    ]
    return PromotionPreview(snapshot_key, customer.alias, live, database, tuple(diffs))


async def rollback_options(c: Controller, customer: str) -> list[RollbackOption]:
    """Retained databases a rollback may return to, the previous live one first."""
    state = c.customers.get(customer)
    if state is None:
        return []
    online = c.online_databases()
    default = state.rollback_target(online)
    options = []
    for tracked in c.of_customer(customer):
        database = tracked.database
        if (
            database
            and database != state.live_database
            and tracked.database_exists
            and tracked.state in {SnapshotState.STANDBY, SnapshotState.ROLLED_BACK}
        ):
            options.append(
                RollbackOption(database, tracked.key, database in online, database == default)
            )
    options.sort(key=lambda option: not option.is_default)
    return options
