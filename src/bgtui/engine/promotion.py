"""Moving an alias forward: promote (compare and swap), then retire old databases.

The alias is never absent: the first switch is CREATE ALIAS, every later one ALTER ALIAS.
Before any switch the alias is read back from Neo4j; if someone moved it outside bgtui the
switch stops and the drift is recorded. Retention looks at the alias's real target before it
drops anything. Rolling back is ``engine/rollback.py``.
"""

from __future__ import annotations

from datetime import timedelta

from bgtui.domain.policy import policy_for
from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.events import Level
from bgtui.engine.journal import Journal
from bgtui.engine.memory import EngineMemory
from bgtui.engine.ports import GraphError, GraphPort
from bgtui.engine.readiness import wait_for_copies
from bgtui.engine.rollback import record_drift, record_move
from bgtui.engine.rules import ROLLBACK_CANDIDATE_STATES, RetainedDatabase, databases_to_retire
from bgtui.engine.runner import Runner
from bgtui.engine.settings import SYSTEM_ACTOR, EngineSettings
from bgtui.engine.tracking import CustomerState, TrackedSnapshot


class PromotionSteps:
    """Promoting a validated snapshot, and what follows a promotion."""

    def __init__(
        self,
        memory: EngineMemory,
        journal: Journal,
        graph: GraphPort,
        run: Runner,
        settings: EngineSettings,
    ) -> None:
        self.memory = memory
        self.journal = journal
        self.graph = graph
        self.run = run
        self.settings = settings

    async def start_due_countdowns(self) -> None:
        """Start the promotion of every ``auto_after`` countdown that has run out (not held)."""
        now = self.journal.clock.now()
        for tracked in list(self.memory.snapshots.values()):
            due = tracked.auto_promote_at
            if (
                tracked.state is SnapshotState.AWAITING_APPROVAL
                and due is not None
                and not tracked.held
                and now >= due
                and self.memory.customer_for(tracked).held_by is None
            ):
                await self.journal.update(tracked, auto_promote_at=None)
                self.run.spawn(self.promote(tracked, SYSTEM_ACTOR, "auto_after elapsed"))

    async def hold(self, tracked: TrackedSnapshot, actor: str, held: bool) -> None:
        """Hold an ``auto_after`` countdown, or release it to run its full length again."""
        if held:
            await self.journal.transition(
                tracked,
                SnapshotState.AWAITING_APPROVAL,
                f"countdown held by {actor}",
                actor=actor,
                held=True,
            )
            return
        settings = self.settings
        policy = policy_for(
            tracked.snapshot.customer, settings.default_policy, settings.customer_policies
        )
        due = self.journal.clock.now() + timedelta(seconds=policy.auto_after_seconds)
        await self.journal.transition(
            tracked,
            SnapshotState.AWAITING_APPROVAL,
            f"countdown released by {actor}; promotes at {due:%H:%M:%S}",
            actor=actor,
            held=False,
            auto_promote_at=due,
        )

    async def promote(self, tracked: TrackedSnapshot, actor: str, reason: str) -> None:
        memory, journal, graph, run = self.memory, self.journal, self.graph, self.run
        customer = memory.customer_for(tracked)
        database = tracked.database
        assert database is not None
        await journal.transition(
            tracked, SnapshotState.PROMOTING, reason, actor=actor, auto_promote_at=None
        )
        expected = customer.live_database
        try:
            await wait_for_copies(
                graph, run, journal, tracked, database, self.settings.readiness_timeout_seconds
            )
            actual = (await run.in_worker(graph.list_aliases)).get(customer.alias)
            if actual != expected:
                await self._stop_for_drift(tracked, customer, expected, actual)
                return
            if actual is None:
                await run.in_worker(graph.create_alias, customer.alias, database)
            else:
                await run.in_worker(graph.alter_alias, customer.alias, database)
            read_back = (await run.in_worker(graph.list_aliases)).get(customer.alias)
        except GraphError as exc:
            await journal.log(tracked.key, Level.ERROR, f"promotion failed: {exc}")
            await journal.transition(
                tracked,
                SnapshotState.AWAITING_APPROVAL,
                "promotion failed; the alias was not changed — approve to try again",
                error=str(exc),
                manual_only=True,
            )
            journal.notice(
                Level.ERROR,
                "Promotion failed",
                f"{tracked.key}: {exc}",
                needs_person=True,
                key=tracked.key,
            )
            return
        if read_back != database:
            message = f"alias {customer.alias} reads back {read_back!r}, not {database!r}"
            await journal.log(tracked.key, Level.ERROR, message)
            await journal.transition(
                tracked, SnapshotState.AWAITING_APPROVAL, message, error=message, manual_only=True
            )
            return
        kind = "create" if expected is None else "promote"
        previous = await record_move(
            memory, journal, customer, expected, database, kind, actor, reason
        )
        if previous is not None and previous is not tracked:
            await journal.transition(
                previous, SnapshotState.STANDBY, f"replaced by {tracked.snapshot.timestamp}"
            )
        await journal.transition(
            tracked,
            SnapshotState.LIVE,
            f"{customer.alias} → {database}",
            actor=actor,
            error=None,
            manual_only=False,
            held=False,
        )
        await journal.log(tracked.key, Level.INFO, f"alias {customer.alias} now targets {database}")
        journal.notice(Level.INFO, "Promoted", f"{customer.alias} → {database}", key=tracked.key)
        await self.supersede_older_awaiting(tracked)
        journal.aliases(memory.alias_views())
        await self.retire(customer)
        await self.stop_standbys(customer)

    async def _stop_for_drift(
        self,
        tracked: TrackedSnapshot,
        customer: CustomerState,
        expected: str | None,
        actual: str | None,
    ) -> None:
        message = (
            f"alias {customer.alias} was changed outside bgtui: expected {expected or 'no alias'}, "
            f"found {actual or 'no alias'}"
        )
        await record_drift(self.journal, customer, actual, message, adopt=True, key=tracked.key)
        await self.journal.log(tracked.key, Level.WARNING, message)
        await self.journal.transition(
            tracked,
            SnapshotState.AWAITING_APPROVAL,
            f"{message}; approve to switch anyway",
            manual_only=True,
        )
        self.journal.aliases(self.memory.alias_views())

    async def supersede_older_awaiting(self, tracked: TrackedSnapshot) -> None:
        for other in self.memory.of_customer(tracked.snapshot.customer):
            if (
                other is not tracked
                and other.state is SnapshotState.AWAITING_APPROVAL
                and other.snapshot.taken_at < tracked.snapshot.taken_at
            ):
                await self.journal.transition(
                    other,
                    SnapshotState.SUPERSEDED,
                    f"superseded by {tracked.snapshot.timestamp}",
                    auto_promote_at=None,
                )

    async def stop_standbys(self, customer: CustomerState) -> None:
        """With ``stop_standbys``: stop every standby but the most recent one.

        A stopped database "is shut down completely"
        (https://neo4j.com/docs/operations-manual/current/database-administration/standard-databases/start-stop-databases/),
        so it no longer competes for heap and page cache; the most recent standby stays online
        for an immediate rollback.
        """
        memory, journal = self.memory, self.journal
        settings = self.settings
        policy = policy_for(customer.customer, settings.default_policy, settings.customer_policies)
        if memory.read_only or not policy.stop_standbys:
            return
        online = memory.online_databases()
        standbys = sorted(
            (
                t
                for t in memory.of_customer(customer.customer)
                if t.state is SnapshotState.STANDBY and t.database_exists and t.database
            ),
            key=lambda t: t.snapshot.taken_at,
            reverse=True,
        )
        if len(standbys) < 2:
            return
        try:
            targets = set((await self.run.in_worker(self.graph.list_aliases)).values())
        except GraphError as exc:
            journal.notice(Level.WARNING, "Standbys left running", f"cannot read aliases: {exc}")
            return
        for tracked in standbys[1:]:
            database = tracked.database
            assert database is not None
            if database not in online or database in targets:
                continue
            try:
                await self.run.in_worker(self.graph.stop_database, database)
            except GraphError as exc:
                await journal.log(tracked.key, Level.WARNING, f"could not stop {database}: {exc}")
                continue
            await journal.log(
                tracked.key, Level.INFO, f"stopped standby {database} to free heap and page cache"
            )
            await journal.update(tracked, detail=f"{tracked.detail}; stopped (stop_standbys)")

    async def retire(self, customer: CustomerState) -> None:
        """Drop databases beyond live + keep_previous, never one the alias really targets."""
        memory, journal, graph, run = self.memory, self.journal, self.graph, self.run
        if memory.read_only:
            return
        settings = self.settings
        policy = policy_for(customer.customer, settings.default_policy, settings.customer_policies)
        try:
            aliases = await run.in_worker(graph.list_aliases)
        except GraphError as exc:
            journal.notice(Level.WARNING, "Retention skipped", f"cannot read aliases: {exc}")
            return
        online = memory.online_databases()
        protected = set(aliases.values())
        rollback_target = customer.rollback_target(online)
        if rollback_target:
            protected.add(rollback_target)
        retained = [
            RetainedDatabase(t.database, t.key, t.state)
            for t in memory.of_customer(customer.customer)
            if t.database and t.database_exists
        ]
        for database in databases_to_retire(retained, policy.keep_previous, protected):
            tracked = memory.by_database(database)
            if tracked is None:
                continue
            try:
                await run.in_worker(graph.drop_database, database)
            except GraphError as exc:
                await journal.log(
                    tracked.key, Level.WARNING, f"retention could not drop {database}: {exc}"
                )
                continue
            tracked.database_exists = False
            customer.previous_live = [name for name in customer.previous_live if name != database]
            if tracked.state in ROLLBACK_CANDIDATE_STATES:
                await journal.transition(
                    tracked, SnapshotState.RETIRED, f"database {database} dropped by retention"
                )
            else:
                await journal.update(
                    tracked, detail=f"{tracked.detail}; database dropped by retention"
                )
            await journal.log(tracked.key, Level.INFO, f"retention dropped {database}")
