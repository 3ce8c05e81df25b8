"""What an operator sees before deciding: a promotion's diff and the rollback choices."""

from __future__ import annotations

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.commands import CommandRefused, CountDiff, PromotionPreview, RollbackOption
from bgtui.engine.memory import EngineMemory
from bgtui.engine.ports import GraphError, GraphPort
from bgtui.engine.rules import ROLLBACK_CANDIDATE_STATES
from bgtui.engine.runner import Runner


async def preview_promotion(
    memory: EngineMemory, graph: GraphPort, run: Runner, snapshot_key: str
) -> PromotionPreview:
    """The label/type diff of a candidate against the live database, for approval."""
    tracked = memory.find(snapshot_key)
    database = tracked.database
    if database is None:
        raise CommandRefused(f"{snapshot_key} has no database")
    customer = memory.customer_for(tracked)
    live = customer.live_database
    try:
        labels, types = await run.in_worker(graph.counts, database)
        live_labels, live_types = await run.in_worker(graph.counts, live) if live else ({}, {})
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


def rollback_options(memory: EngineMemory, customer: str) -> list[RollbackOption]:
    """Retained databases a rollback may return to, the previous live one first."""
    state = memory.customers.get(customer)
    if state is None:
        return []
    online = memory.online_databases()
    default = state.rollback_target(online)
    options = []
    for tracked in memory.of_customer(customer):
        database = tracked.database
        if (
            database
            and database != state.live_database
            and tracked.database_exists
            and tracked.state in ROLLBACK_CANDIDATE_STATES
        ):
            note = f"snapshot {tracked.snapshot.timestamp}"
            if tracked.state is SnapshotState.ROLLED_BACK:
                when = f"{tracked.updated_at:%Y-%m-%d %H:%M}" if tracked.updated_at else "?"
                note += f"; rolled back from at {when} ({tracked.detail})"
            options.append(
                RollbackOption(
                    database,
                    tracked.key,
                    database in online,
                    database == default and tracked.state is not SnapshotState.ROLLED_BACK,
                    note,
                )
            )
    options.sort(key=lambda option: not option.is_default)
    return options
