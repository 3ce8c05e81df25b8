"""Moving aliases: promote (compare and swap), roll back, notice drift, retire old databases.

The alias is never absent: the first switch is CREATE ALIAS, every later one ALTER ALIAS.
Before any switch the alias is read back from Neo4j; if someone moved it outside bgtui the
switch stops and the drift is recorded. Retention looks at the alias's real target before it
drops anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.commands import CommandRefused
from bgtui.engine.events import Level
from bgtui.engine.ports import GraphError
from bgtui.engine.rules import RetainedDatabase, databases_to_retire
from bgtui.engine.tracking import CustomerState, TrackedSnapshot

if TYPE_CHECKING:
    from bgtui.engine.controller import Controller


class PromotionSteps:
    """The alias-changing half of the controller; it shares the controller's memory."""

    def __init__(self, controller: Controller) -> None:
        self.c = controller

    async def promote(self, tracked: TrackedSnapshot, actor: str, reason: str) -> None:
        c = self.c
        customer = c.customer_for(tracked)
        database = tracked.database
        assert database is not None
        await c.transition(
            tracked, SnapshotState.PROMOTING, reason, actor=actor, auto_promote_at=None
        )
        expected = customer.live_database
        try:
            actual = (await c.in_worker(c.graph.list_aliases)).get(customer.alias)
            if actual != expected:
                await self._stop_for_drift(tracked, customer, expected, actual)
                return
            if actual is None:
                await c.in_worker(c.graph.create_alias, customer.alias, database)
            else:
                await c.in_worker(c.graph.alter_alias, customer.alias, database)
            read_back = (await c.in_worker(c.graph.list_aliases)).get(customer.alias)
        except GraphError as exc:
            await c.log(tracked.key, Level.ERROR, f"promotion failed: {exc}")
            await c.transition(
                tracked,
                SnapshotState.AWAITING_APPROVAL,
                "promotion failed; the alias was not changed — approve to try again",
                error=str(exc),
                manual_only=True,
            )
            c.notice(
                Level.ERROR,
                "Promotion failed",
                f"{tracked.key}: {exc}",
                needs_person=True,
                key=tracked.key,
            )
            return
        if read_back != database:
            message = f"alias {customer.alias} reads back {read_back!r}, not {database!r}"
            await c.log(tracked.key, Level.ERROR, message)
            await c.transition(
                tracked, SnapshotState.AWAITING_APPROVAL, message, error=message, manual_only=True
            )
            return
        kind = "create" if expected is None else "promote"
        previous = await self._moved(customer, expected, database, kind, actor, reason)
        if previous is not None and previous is not tracked:
            await c.transition(
                previous, SnapshotState.STANDBY, f"replaced by {tracked.snapshot.timestamp}"
            )
        await c.transition(
            tracked,
            SnapshotState.LIVE,
            f"{customer.alias} → {database}",
            actor=actor,
            error=None,
            manual_only=False,
            held=False,
        )
        await c.log(tracked.key, Level.INFO, f"alias {customer.alias} now targets {database}")
        c.notice(Level.INFO, "Promoted", f"{customer.alias} → {database}", key=tracked.key)
        await self.supersede_older_awaiting(tracked)
        c.publish_aliases()
        await self.retire(customer)

    async def _moved(
        self,
        customer: CustomerState,
        from_database: str | None,
        to_database: str,
        kind: str,
        actor: str,
        reason: str,
    ) -> TrackedSnapshot | None:
        """Record an alias move bgtui made and believe it; return the snapshot moved away from."""
        c = self.c
        await c.record(
            c.store.record_alias_change,
            customer.customer,
            customer.alias,
            from_database,
            to_database,
            kind,
            actor,
            reason,
            c.clock.now(),
        )
        customer.note_live(to_database)
        customer.drift = None
        return c.by_database(from_database)

    async def _stop_for_drift(
        self,
        tracked: TrackedSnapshot,
        customer: CustomerState,
        expected: str | None,
        actual: str | None,
    ) -> None:
        c = self.c
        message = (
            f"alias {customer.alias} was changed outside bgtui: expected {expected or 'no alias'}, "
            f"found {actual or 'no alias'}"
        )
        await self.record_drift(customer, actual, message, adopt=True, key=tracked.key)
        await c.log(tracked.key, Level.WARNING, message)
        await c.transition(
            tracked,
            SnapshotState.AWAITING_APPROVAL,
            f"{message}; approve to switch anyway",
            manual_only=True,
        )
        c.publish_aliases()

    async def record_drift(
        self,
        customer: CustomerState,
        actual: str | None,
        message: str,
        *,
        adopt: bool,
        notify: bool = True,
        expected: str | None = None,
        key: str | None = None,
    ) -> None:
        """Record that Neo4j's alias differs from what bgtui believed (or last set).

        With ``adopt``, bgtui follows Neo4j from now on: the next switch compares against
        ``actual``. Without it, the difference is only shown, and a switch will stop on it.
        """
        c = self.c
        customer.drift = message
        await c.record(
            c.store.record_alias_change,
            customer.customer,
            customer.alias,
            expected if expected is not None else customer.live_database,
            actual,
            "drift",
            "outside bgtui",
            message,
            c.clock.now(),
        )
        if adopt:
            if actual is not None:
                customer.note_live(actual)
            else:
                customer.live_database = None
        if notify:
            c.notice(Level.WARNING, "Alias drift", message, needs_person=True, key=key)

    async def notice_drift(self, aliases: dict[str, str]) -> None:
        """Compare Neo4j's alias targets with the engine's belief; record a new difference once."""
        c = self.c
        for customer in c.customers.values():
            if any(t.state is SnapshotState.PROMOTING for t in c.of_customer(customer.customer)):
                continue  # the switch itself is under way
            actual = aliases.get(customer.alias)
            if actual == customer.live_database:
                if customer.drift:
                    customer.drift = None
                continue
            message = (
                f"alias {customer.alias} targets {actual or 'nothing'}; "
                f"bgtui expected {customer.live_database or 'no alias'}"
            )
            if customer.drift == message:
                continue
            await self.record_drift(customer, actual, message, adopt=False)

    async def supersede_older_awaiting(self, tracked: TrackedSnapshot) -> None:
        c = self.c
        for other in c.of_customer(tracked.snapshot.customer):
            if (
                other is not tracked
                and other.state is SnapshotState.AWAITING_APPROVAL
                and other.snapshot.taken_at < tracked.snapshot.taken_at
            ):
                await c.transition(
                    other,
                    SnapshotState.SUPERSEDED,
                    f"superseded by {tracked.snapshot.timestamp}",
                    auto_promote_at=None,
                )

    async def rollback(
        self,
        customer_name: str,
        actor: str,
        reason: str,
        target: str | None,
        expected_from: str | None = None,
    ) -> None:
        c = self.c
        customer = c.customers.get(customer_name)
        if customer is None:
            raise CommandRefused(f"no customer {customer_name!r} is known")
        try:
            databases = await c.in_worker(c.graph.list_databases)
            aliases = await c.in_worker(c.graph.list_aliases)
        except GraphError as exc:
            raise CommandRefused(f"cannot read Neo4j: {exc}") from exc
        online = {db.name for db in databases if db.current_status == "online"}
        target = target or customer.rollback_target(online)
        if target is None:
            raise CommandRefused("no earlier database is retained and online to roll back to")
        target_snapshot = c.by_database(target)
        if target_snapshot is None or target_snapshot.snapshot.customer != customer_name:
            raise CommandRefused(f"{target} is not one of {customer_name}'s databases")
        if target not in online:
            raise CommandRefused(f"{target} is not online; start it before rolling back to it")
        actual = aliases.get(customer.alias)
        if actual != customer.live_database:
            message = (
                f"alias {customer.alias} targets {actual or 'nothing'}, not "
                f"{customer.live_database or 'nothing'}: it was changed outside bgtui"
            )
            await self.record_drift(customer, actual, message, adopt=True, notify=False)
            c.publish_aliases()
            raise CommandRefused(f"{message}. bgtui now follows Neo4j; check and try again.")
        if actual == target:
            raise CommandRefused(f"{customer.alias} already targets {target}")
        if expected_from is not None and actual != expected_from:
            raise CommandRefused(
                f"{customer.alias} moved to {actual} after you confirmed "
                f"{expected_from} → {target}; look again and confirm"
            )
        try:
            await c.in_worker(c.graph.alter_alias, customer.alias, target)
            read_back = (await c.in_worker(c.graph.list_aliases)).get(customer.alias)
        except GraphError as exc:
            raise CommandRefused(f"rollback failed, the alias was not changed: {exc}") from exc
        if read_back != target:
            raise CommandRefused(f"alias {customer.alias} reads back {read_back!r}, not {target!r}")
        rolled_back = await self._moved(customer, actual, target, "rollback", actor, reason)
        if rolled_back is not None:
            await c.transition(
                rolled_back,
                SnapshotState.ROLLED_BACK,
                f"rolled back by {actor}: {reason}",
                actor=actor,
            )
        await c.transition(
            target_snapshot,
            SnapshotState.LIVE,
            f"live again after rollback by {actor}",
            actor=actor,
        )
        c.notice(
            Level.WARNING,
            "Rolled back",
            f"{customer.alias} → {target} ({actor})",
            key=target_snapshot.key,
        )
        c.publish_aliases()

    async def retire(self, customer: CustomerState) -> None:
        """Drop databases beyond live + keep_previous, never one the alias really targets."""
        c = self.c
        if c.read_only:
            return
        keep = c.settings.policy_for(customer.customer).keep_previous
        try:
            aliases = await c.in_worker(c.graph.list_aliases)
        except GraphError as exc:
            c.notice(Level.WARNING, "Retention skipped", f"cannot read aliases: {exc}")
            return
        online = c.online_databases()
        protected = set(aliases.values())
        rollback_target = customer.rollback_target(online)
        if rollback_target:
            protected.add(rollback_target)
        retained = [
            RetainedDatabase(t.database, t.key, t.state)
            for t in c.of_customer(customer.customer)
            if t.database and t.database_exists
        ]
        for database in databases_to_retire(retained, keep, protected):
            tracked = c.by_database(database)
            if tracked is None:
                continue
            try:
                await c.in_worker(c.graph.drop_database, database)
            except GraphError as exc:
                await c.log(
                    tracked.key, Level.WARNING, f"retention could not drop {database}: {exc}"
                )
                continue
            tracked.database_exists = False
            customer.previous_live = [name for name in customer.previous_live if name != database]
            if tracked.state in {SnapshotState.STANDBY, SnapshotState.ROLLED_BACK}:
                await c.transition(
                    tracked, SnapshotState.RETIRED, f"database {database} dropped by retention"
                )
            else:
                await c.update(tracked, detail=f"{tracked.detail}; database dropped by retention")
            await c.log(tracked.key, Level.INFO, f"retention dropped {database}")
