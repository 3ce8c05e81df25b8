"""Neo4j health as the engine sees it, and the gate that holds loads back.

The old pipeline re-queued a snapshot in a busy loop when Neo4j was short of heap or had too
many databases; bgtui keeps the gate but waits and re-checks on a timer, saying why.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace

from bgtui.engine.clock import SystemClock
from bgtui.engine.events import HealthChanged, HealthView, Level
from bgtui.engine.journal import Journal
from bgtui.engine.memory import EngineMemory
from bgtui.engine.ports import Clock, GraphError, GraphPort, ServerInfo
from bgtui.engine.rollback import notice_drift
from bgtui.engine.runner import Runner
from bgtui.engine.settings import EngineSettings

_TREND_LENGTH = 30
COMMUNITY_PROBLEM = (
    "Neo4j Community edition has one user database and no aliases; blue/green needs "
    "Enterprise 5 or later, so bgtui loads nothing here"
)


@dataclass(frozen=True)
class GateDecision:
    open: bool
    reason: str = ""


def gate_decision(health: HealthView, settings: EngineSettings) -> GateDecision:
    """May a new load start now? Closed when Neo4j is down, full, or short of heap."""
    if not health.connected:
        return GateDecision(False, f"Neo4j is unreachable ({health.error or 'no answer'})")
    if health.edition == "community":
        return GateDecision(False, COMMUNITY_PROBLEM)
    if health.database_count is not None and health.database_count >= settings.max_databases:
        return GateDecision(
            False,
            f"{health.database_count} databases reach the limit of {settings.max_databases}",
        )
    if (
        health.heap_used_percent is not None
        and health.heap_used_percent >= settings.heap_threshold_percent
    ):
        return GateDecision(
            False,
            f"heap {health.heap_used_percent:.0f}% is at or above "
            f"{settings.heap_threshold_percent:.0f}%",
        )
    return GateDecision(True)


class HealthProbe:
    """Takes one health reading at a time (blocking: call it from a worker thread)."""

    def __init__(self, graph: GraphPort, settings: EngineSettings, clock: Clock | None = None):
        self._graph = graph
        self._settings = settings
        self._clock = clock or SystemClock()
        self._server: ServerInfo | None = None
        self._trend: deque[float] = deque(maxlen=_TREND_LENGTH)
        self.aliases: dict[str, str] = {}

    def read(self) -> HealthView:
        address = self._settings.neo4j_address
        try:
            latency = self._graph.ping()
            if self._server is None:
                self._server = self._graph.server_info()
            databases = self._graph.list_databases()
            heap = self._graph.heap_used_percent()
            self.aliases = (
                self._graph.list_aliases() if self._server.edition == "enterprise" else {}
            )
        except GraphError as exc:
            self._server = None  # the server may come back as a different version
            view = HealthView(
                connected=False,
                address=address,
                error=str(exc),
                latency_trend_ms=tuple(self._trend),
                checked_at=self._clock.now(),
            )
            return _with_gate(view, self._settings)
        self._trend.append(latency)
        user_databases = [db for db in databases if db.name != "system"]
        view = HealthView(
            connected=True,
            address=address,
            server_version=self._server.version,
            edition=self._server.edition,
            latency_ms=latency,
            latency_trend_ms=tuple(self._trend),
            heap_used_percent=heap,
            database_count=len(user_databases),
            databases=tuple(databases),
            checked_at=self._clock.now(),
        )
        return _with_gate(view, self._settings)


def _with_gate(view: HealthView, settings: EngineSettings) -> HealthView:
    decision = gate_decision(view, settings)
    return replace(view, gate_open=decision.open, gate_reason=decision.reason)


class HealthWatch:
    """Takes a reading off the loop, shows it, and says once when the edition stops fitting.

    Each reading also carries Neo4j's alias targets, compared with what the engine believes
    (drift), and refreshes the aliases pane.
    """

    def __init__(
        self,
        probe: HealthProbe,
        memory: EngineMemory,
        journal: Journal,
        run: Runner,
        edition_changed: Callable[[str | None], None],
    ) -> None:
        self.probe = probe
        self.memory = memory
        self.journal = journal
        self.run = run
        self.edition_changed = edition_changed  # told the edition problem, or None once fixed
        self.running = False
        self._community_reported = False

    async def refresh(self) -> None:
        memory, journal = self.memory, self.journal
        self.running = True
        try:
            memory.health = await self.run.in_worker(self.probe.read)
        finally:
            self.running = False
        held = memory.gate_held(journal.clock.monotonic())
        if held is not None and memory.health.connected:
            memory.health = replace(memory.health, gate_open=False, gate_reason=held)
        health = memory.health
        journal.emit(HealthChanged(journal.clock.now(), health))
        community = health.connected and health.edition == "community"
        if community != self._community_reported:
            self._community_reported = community
            problem = COMMUNITY_PROBLEM if community else None
            self.edition_changed(problem)
            if problem:
                journal.notice(Level.ERROR, "Community edition", problem, needs_person=True)
        if health.connected:
            await notice_drift(memory, journal, self.probe.aliases)
        journal.aliases(memory.alias_views())
