"""What the engine believes right now: tracked snapshots, customers' aliases, Neo4j's health.

Only the engine's steps change it, on the event loop; the panes see immutable views. The
queries here are the questions every step asks ("the live snapshot of acme?", "which
databases are online?"), answered in one place.
"""

from __future__ import annotations

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.commands import CommandRefused
from bgtui.engine.events import AliasView, HealthView
from bgtui.engine.rules import ALIAS_ACTIONS, why_not
from bgtui.engine.tracking import CustomerState, TrackedSnapshot


class EngineMemory:
    """One record per snapshot, one per customer, and what Neo4j last said about itself."""

    def __init__(self, health: HealthView, *, read_only: bool = False) -> None:
        self.snapshots: dict[str, TrackedSnapshot] = {}
        self.customers: dict[str, CustomerState] = {}
        self.health = health
        self.read_only = read_only  # this console may not change Neo4j
        #: Why Neo4j cannot take a new database, learnt from a load (``GateClosedError``),
        #: and until when (monotonic seconds; None: until bgtui restarts).
        self.gate_hold: tuple[str, float | None] | None = None

    def gate_held(self, now: float) -> str | None:
        """The reason loads wait, learnt from Neo4j's refusal, while it still holds."""
        if self.gate_hold is None:
            return None
        reason, until = self.gate_hold
        if until is not None and now >= until:
            self.gate_hold = None
            return None
        return reason

    def track(self, tracked: TrackedSnapshot) -> TrackedSnapshot:
        """Remember ``tracked`` (replacing an older record of it) and its customer."""
        self.snapshots[tracked.key] = tracked
        self.customer_for(tracked)
        return tracked

    def find(self, key: str) -> TrackedSnapshot:
        tracked = self.snapshots.get(key)
        if tracked is None:
            raise CommandRefused(f"no snapshot {key!r} is known")
        return tracked

    def customer(self, name: str) -> CustomerState:
        state = self.customers.get(name)
        if state is None:
            raise CommandRefused(f"no customer {name!r} is known")
        return state

    def customer_for(self, tracked: TrackedSnapshot) -> CustomerState:
        name = tracked.snapshot.customer
        if name not in self.customers:
            self.customers[name] = CustomerState(name, tracked.snapshot.alias)
        return self.customers[name]

    def online_databases(self) -> set[str]:
        """Online as Neo4j last said, plus databases bgtui created since that reading."""
        reported = {db.name: db.current_status for db in self.health.databases}
        online = {name for name, status in reported.items() if status == "online"}
        online |= {
            t.database
            for t in self.snapshots.values()
            if t.database and t.database_exists and t.database not in reported
        }
        return online

    def of_customer(self, customer: str) -> list[TrackedSnapshot]:
        """A customer's loadable snapshots, newest first (rejected names are left out)."""
        found = [
            t
            for t in self.snapshots.values()
            if t.snapshot.customer == customer and t.snapshot.name_problem() is None
        ]
        return sorted(found, key=lambda t: t.snapshot.taken_at, reverse=True)

    def awaiting_for(self, customer: str) -> str | None:
        for tracked in self.of_customer(customer):
            if tracked.state is SnapshotState.AWAITING_APPROVAL:
                return tracked.key
        return None

    def by_database(self, database: str | None) -> TrackedSnapshot | None:
        if database is None:
            return None
        for tracked in self.snapshots.values():
            if tracked.database == database:
                return tracked
        return None

    def live_snapshot(self, customer: str) -> TrackedSnapshot | None:
        state = self.customers.get(customer)
        return self.by_database(state.live_database) if state else None

    def is_older_than_live(self, tracked: TrackedSnapshot) -> bool:
        live = self.live_snapshot(tracked.snapshot.customer)
        return (
            live is not None
            and live is not tracked
            and (tracked.snapshot.taken_at < live.snapshot.taken_at)
        )

    def alias_views(self, *, ordered: bool = True) -> tuple[AliasView, ...]:
        """Every customer's alias as the panes show it."""
        online = self.online_databases()
        customers = list(self.customers.values())
        if ordered:
            customers.sort(key=lambda c: c.customer)
        return tuple(c.view(online, self.awaiting_for(c.customer)) for c in customers)

    def why_not(self, action: str, snapshot_key: str | None, customer: str | None) -> str | None:
        """Why ``action`` does not apply to this snapshot or customer now; None when it does."""
        tracked = self.snapshots.get(snapshot_key) if snapshot_key else None
        customer = customer or (tracked.snapshot.customer if tracked else None)
        state = self.customers.get(customer) if customer else None
        if action in ALIAS_ACTIONS and not self.health.connected and not self.read_only:
            return f"Neo4j is unreachable ({self.health.error or 'no answer yet'})"
        return why_not(
            action,
            tracked.state if tracked else None,
            read_only=self.read_only,
            has_countdown=bool(tracked and tracked.auto_promote_at is not None),
            rollback_target=state.rollback_target(self.online_databases()) if state else None,
            live_database=state.live_database if state else None,
        )
