"""Rebuilding the picture after a restart: history says what was happening, Neo4j says what is.

A load that was cut off is marked failed (interrupted), its partial database dropped, and it
is queued again, so nothing is loaded twice and nothing half-loaded is ever promoted. Alias
targets come from SHOW ALIASES: Neo4j is the truth.
"""

from __future__ import annotations

from pathlib import Path

from bgtui.domain.snapshot import SnapshotId, SnapshotState
from bgtui.engine.events import Level
from bgtui.engine.journal import Journal
from bgtui.engine.loading import drop_partial_database
from bgtui.engine.memory import EngineMemory
from bgtui.engine.ports import GraphError, GraphPort, HistoryPort, StoredSnapshot
from bgtui.engine.rollback import record_drift
from bgtui.engine.runner import Runner
from bgtui.engine.tracking import TrackedSnapshot

_CUT_OFF = {SnapshotState.LOADING, SnapshotState.VALIDATING}
_ONCE_LIVE = {SnapshotState.LIVE, SnapshotState.STANDBY}
_HOLD_KINDS = ("(rollback)", "(release)", "(alter)", "(create)")


def tracked_from_record(record: StoredSnapshot) -> TrackedSnapshot | None:
    """The engine's working record for a stored snapshot (None for names that are invalid)."""
    snapshot = SnapshotId(record.customer, record.timestamp)
    if snapshot.name_problem():
        return None
    return TrackedSnapshot(
        snapshot=snapshot,
        path=Path(record.path or ""),
        state=SnapshotState(record.state),
        detail=record.detail or "",
        error=record.error,
        snapshot_format=record.format,
        attempts=record.attempts or 0,
        held=bool(record.held),
        auto_promote_at=record.auto_promote_at,
        updated_at=record.updated_at,
        started_at=record.started_at,
        finished_at=record.finished_at,
    )


class Recovery:
    """One restart's reconciliation of the history with Neo4j."""

    def __init__(
        self,
        memory: EngineMemory,
        journal: Journal,
        graph: GraphPort,
        history: HistoryPort,
        run: Runner,
    ) -> None:
        self.memory = memory
        self.journal = journal
        self.graph = graph
        self.history = history
        self.run = run

    async def recover(self) -> None:
        """Load history, reconcile it with Neo4j, and re-queue what was cut off."""
        memory, graph, run = self.memory, self.graph, self.run
        for record in await run.in_worker(self.history.snapshots):
            tracked = tracked_from_record(record)
            if tracked is not None:
                memory.track(tracked)
        try:
            databases = await run.in_worker(graph.list_databases)
            aliases = await run.in_worker(graph.list_aliases)
        except GraphError as exc:
            self.journal.notice(
                Level.WARNING,
                "Neo4j unreachable at start",
                f"history loaded; alias targets will be checked when Neo4j answers ({exc})",
            )
            return
        existing = {db.name for db in databases}
        for tracked in list(memory.snapshots.values()):
            tracked.database_exists = tracked.database in existing
            if memory.read_only:
                continue
            if tracked.state in _CUT_OFF:
                await self._requeue_interrupted(tracked)
            elif tracked.state is SnapshotState.PROMOTING:
                await self._settle_interrupted_promotion(tracked, aliases)
        await self._adopt_alias_truth(aliases)

    async def _requeue_interrupted(self, tracked: TrackedSnapshot) -> None:
        await self.journal.transition(
            tracked,
            SnapshotState.FAILED,
            "interrupted: bgtui stopped during the load",
            error="interrupted",
        )
        await drop_partial_database(tracked, self.graph, self.run, self.journal)
        await self.journal.transition(
            tracked,
            SnapshotState.QUEUED,
            "queued again after an interrupted load",
            attempts=0,
            error=None,
        )

    async def _held_by(self, customer: str) -> str | None:
        """Who holds ``customer`` after a rollback: the newest alias change says (a rollback
        holds; a release or a promotion ends the hold)."""
        entries = await self.run.in_worker(self.history.history, 50, customer)
        for entry in sorted(entries, key=lambda e: e.at, reverse=True):
            if entry.kind != "alias":
                continue
            if entry.summary.endswith(_HOLD_KINDS):
                return entry.actor if entry.summary.endswith("(rollback)") else None
        return None

    async def _settle_interrupted_promotion(
        self, tracked: TrackedSnapshot, aliases: dict[str, str]
    ) -> None:
        if aliases.get(tracked.snapshot.alias) == tracked.database:
            return  # the switch happened; alias truth below marks it live
        await self.journal.transition(
            tracked,
            SnapshotState.AWAITING_APPROVAL,
            "promotion was interrupted before the alias moved; approve to try again",
            manual_only=True,
        )

    async def _adopt_alias_truth(self, aliases: dict[str, str]) -> None:
        memory, journal = self.memory, self.journal
        for customer in memory.customers.values():
            actual = aliases.get(customer.alias)
            earlier = [
                t.database
                for t in memory.of_customer(customer.customer)
                if t.database
                and t.database_exists
                and t.state in _ONCE_LIVE
                and t.database != actual
            ]
            customer.previous_live = [name for name in earlier if name is not None]
            customer.live_database = actual
            customer.held_by = await self._held_by(customer.customer)
            recorded = await self.run.in_worker(self.history.last_alias_target, customer.customer)
            if recorded is not None and recorded != actual:
                message = (
                    f"alias {customer.alias} targets {actual or 'nothing'}; "
                    f"bgtui last set {recorded}"
                )
                await record_drift(
                    journal, customer, actual, message, adopt=False, expected=recorded
                )
            for tracked in memory.of_customer(customer.customer):
                if tracked.database == actual and tracked.state is not SnapshotState.LIVE:
                    await journal.transition(
                        tracked, SnapshotState.LIVE, "Neo4j says the alias targets it"
                    )
                elif tracked.state is SnapshotState.LIVE and tracked.database != actual:
                    await journal.transition(
                        tracked,
                        SnapshotState.STANDBY,
                        "Neo4j says the alias targets another database",
                    )
