"""Pointing an alias back, and noticing when someone else moved it (drift).

A rollback reads Neo4j first: the target must be one of the customer's databases and
online, and the alias must still target what bgtui believes (else that drift is recorded and
bgtui follows Neo4j from then on). Every alias move, bgtui's own or one it found, is recorded
before anything is shown.
"""

from __future__ import annotations

from bgtui.domain.policy import policy_for
from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.commands import CommandRefused
from bgtui.engine.events import Level
from bgtui.engine.journal import Journal
from bgtui.engine.memory import EngineMemory
from bgtui.engine.ports import GraphError, GraphPort
from bgtui.engine.readiness import wait_for_copies
from bgtui.engine.runner import Runner
from bgtui.engine.settings import EngineSettings
from bgtui.engine.tracking import CustomerState, TrackedSnapshot


async def record_move(
    memory: EngineMemory,
    journal: Journal,
    customer: CustomerState,
    from_database: str | None,
    to_database: str,
    kind: str,
    actor: str,
    reason: str,
) -> TrackedSnapshot | None:
    """Record an alias move bgtui made and believe it; return the snapshot moved away from."""
    await journal.alias_moved(customer, from_database, to_database, kind, actor, reason)
    customer.note_live(to_database)
    customer.drift = None
    return memory.by_database(from_database)


async def record_drift(
    journal: Journal,
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
    customer.drift = message
    from_database = expected if expected is not None else customer.live_database
    await journal.alias_moved(customer, from_database, actual, "drift", "outside bgtui", message)
    if adopt:
        if actual is not None:
            customer.note_live(actual)
        else:
            customer.live_database = None
    if notify:
        journal.notice(Level.WARNING, "Alias drift", message, needs_person=True, key=key)


async def notice_drift(memory: EngineMemory, journal: Journal, aliases: dict[str, str]) -> None:
    """Compare Neo4j's alias targets with the engine's belief; record a new difference once."""
    for customer in memory.customers.values():
        if any(t.state is SnapshotState.PROMOTING for t in memory.of_customer(customer.customer)):
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
        await record_drift(journal, customer, actual, message, adopt=False)


class RollbackSteps:
    """Moving a customer's alias back to a database it targeted before."""

    def __init__(
        self,
        memory: EngineMemory,
        journal: Journal,
        graph: GraphPort,
        run: Runner,
        settings: EngineSettings | None = None,
    ) -> None:
        self.memory = memory
        self.journal = journal
        self.graph = graph
        self.run = run
        self.settings = settings or EngineSettings(base_path="")

    async def rollback(
        self,
        customer_name: str,
        actor: str,
        reason: str,
        target: str | None,
        expected_from: str | None = None,
    ) -> None:
        memory, journal, graph, run = self.memory, self.journal, self.graph, self.run
        customer = memory.customer(customer_name)
        try:
            databases = await run.in_worker(graph.list_databases)
            aliases = await run.in_worker(graph.list_aliases)
        except GraphError as exc:
            raise CommandRefused(f"cannot read Neo4j: {exc}") from exc
        online = {db.name for db in databases if db.current_status == "online"}
        target = target or customer.rollback_target(online)
        if target is None:
            raise CommandRefused("no earlier database is retained and online to roll back to")
        target_snapshot = memory.by_database(target)
        if target_snapshot is None or target_snapshot.snapshot.customer != customer_name:
            raise CommandRefused(f"{target} is not one of {customer_name}'s databases")
        if target not in online:
            stopped = {db.name for db in databases if db.requested_status == "offline"}
            settings = self.settings
            policy = policy_for(customer_name, settings.default_policy, settings.customer_policies)
            if not (policy.stop_standbys and target in stopped):
                raise CommandRefused(f"{target} is not online; start it before rolling back to it")
            try:  # a standby stop_standbys stopped: start it again first
                await run.in_worker(graph.start_database, target)
            except GraphError as exc:
                raise CommandRefused(f"could not start {target} to roll back to it: {exc}") from exc
            await journal.log(target_snapshot.key, Level.INFO, f"started {target} for a rollback")
        actual = aliases.get(customer.alias)
        if actual != customer.live_database:
            message = (
                f"alias {customer.alias} targets {actual or 'nothing'}, not "
                f"{customer.live_database or 'nothing'}: it was changed outside bgtui"
            )
            await record_drift(journal, customer, actual, message, adopt=True, notify=False)
            journal.aliases(memory.alias_views())
            raise CommandRefused(f"{message}. bgtui now follows Neo4j; check and try again.")
        if actual == target:
            raise CommandRefused(f"{customer.alias} already targets {target}")
        if expected_from is not None and actual != expected_from:
            raise CommandRefused(
                f"{customer.alias} moved to {actual} after you confirmed "
                f"{expected_from} → {target}; look again and confirm"
            )
        try:
            await wait_for_copies(
                graph,
                run,
                journal,
                target_snapshot,
                target,
                self.settings.readiness_timeout_seconds,
            )
        except GraphError as exc:
            raise CommandRefused(f"rollback not done, the alias was not changed: {exc}") from exc
        try:
            await run.in_worker(graph.alter_alias, customer.alias, target)
            read_back = (await run.in_worker(graph.list_aliases)).get(customer.alias)
        except GraphError as exc:
            raise CommandRefused(f"rollback failed: {exc}") from exc
        if read_back != target:
            raise CommandRefused(f"alias {customer.alias} reads back {read_back!r}, not {target!r}")
        rolled_back = await record_move(
            memory, journal, customer, actual, target, "rollback", actor, reason
        )
        # "Stop here": the database just left is no rollback target, and nothing promotes
        # automatically for this customer until someone releases it (as Argo's abort does).
        customer.previous_live = [name for name in customer.previous_live if name != actual]
        customer.held_by = actor
        if rolled_back is not None:
            await journal.transition(
                rolled_back,
                SnapshotState.ROLLED_BACK,
                f"rolled back by {actor}: {reason}",
                actor=actor,
            )
        await journal.transition(
            target_snapshot,
            SnapshotState.LIVE,
            f"live again after rollback by {actor}",
            actor=actor,
        )
        journal.notice(
            Level.WARNING,
            "Rolled back",
            f"{customer.alias} → {target} ({actor}); {customer.customer} is held: new snapshots "
            f"wait for approval until released (u, or bgtui release {customer.customer})",
            key=target_snapshot.key,
        )
        journal.aliases(memory.alias_views())

    async def release(self, customer_name: str, actor: str, reason: str) -> None:
        """Let automatic promotion resume for a customer held after a rollback (recorded)."""
        customer = self.memory.customer(customer_name)
        if customer.held_by is None:
            raise CommandRefused(f"{customer_name} is not held")
        live = customer.live_database
        await self.journal.alias_moved(customer, live, live, "release", actor, reason)
        customer.held_by = None
        self.journal.notice(Level.INFO, "Released", f"{customer_name} released by {actor}")
        self.journal.aliases(self.memory.alias_views())
