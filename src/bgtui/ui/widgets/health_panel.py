"""The Neo4j health pane: connection, server, latency trend, heap and every database's status.

Its class (``-connected``, ``-degraded``, ``-disconnected``) drives the border in TCSS, so a
lost connection is unmistakable on any terminal, with or without colour (the words say it too).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Label, Sparkline, Static

from bgtui.engine.events import DatabaseStatus, HealthView

_CONDITIONS = ("-connected", "-degraded", "-disconnected", "-unknown")


def condition_of(health: HealthView | None) -> str:
    """``connected``, ``degraded``, ``disconnected`` or ``unknown`` as the engine reported it."""
    if health is None:
        return "unknown"
    if not health.connected:
        return "disconnected"
    if not health.gate_open or health.error or any(_troubled(db) for db in health.databases):
        return "degraded"
    return "connected"


def _troubled(database: DatabaseStatus) -> bool:
    return database.current_status != database.requested_status


_HEADLINE = {
    "connected": "● connected",
    "degraded": "▲ degraded",
    "disconnected": "✗ DISCONNECTED",
    "unknown": "· not checked yet",
}


class HealthPanel(Vertical):
    """Neo4j as the engine last saw it."""

    health: reactive[HealthView | None] = reactive(None)
    _ready = False  # set once composed: watchers fire before the children exist

    def compose(self) -> ComposeResult:
        yield Static(_HEADLINE["unknown"], id="health-headline")
        yield Static("", id="health-server")
        with Horizontal(id="health-latency-row"):
            yield Label("", id="health-latency")
            yield Sparkline([], id="health-trend")
        yield Static("", id="health-databases")

    def on_mount(self) -> None:
        self._ready = True
        self.border_title = "Neo4j"
        self.watch_health(self.health)

    def watch_health(self, health: HealthView | None) -> None:
        if not self._ready:
            return
        condition = condition_of(health)
        self.remove_class(*_CONDITIONS)
        self.add_class(f"-{condition}")
        self.query_one("#health-headline", Static).update(_HEADLINE[condition])
        self.query_one("#health-server", Static).update(self._server_text(health))
        self.query_one("#health-latency", Label).update(self._latency_text(health))
        self.query_one("#health-trend", Sparkline).data = (
            list(health.latency_trend_ms) if health else []
        )
        self.query_one("#health-databases", Static).update(self._databases_text(health))

    @staticmethod
    def _server_text(health: HealthView | None) -> str:
        if health is None:
            return ""
        if not health.connected:
            return f"{health.address}: {health.error or 'no answer from Neo4j'}"
        parts = [
            health.address,
            " ".join(p for p in ("Neo4j", health.server_version, health.edition) if p),
            f"heap {health.heap_used_percent:.0f}%" if health.heap_used_percent is not None else "",
            f"{health.database_count} databases" if health.database_count is not None else "",
        ]
        text = " · ".join(part for part in parts if part)
        if not health.gate_open:
            text += f"\nloads held: {health.gate_reason}"
        elif health.error:
            text += f"\n{health.error}"
        return text

    @staticmethod
    def _latency_text(health: HealthView | None) -> str:
        if health is None or health.latency_ms is None:
            return "latency -"
        return f"latency {health.latency_ms:.1f} ms "

    @staticmethod
    def _databases_text(health: HealthView | None) -> str:
        if health is None:
            return ""
        ordered = sorted(health.databases, key=lambda db: (not _troubled(db), db.name))
        lines = []
        for database in ordered:
            mark = "▲" if _troubled(database) else "●"
            status = database.current_status
            if _troubled(database):
                status += f" (wanted {database.requested_status})"
            if database.status_message:
                status += f": {database.status_message}"
            aliases = f" ← {', '.join(database.aliases)}" if database.aliases else ""
            lines.append(f"{mark} {database.name} {status}{aliases}")
        return "\n".join(lines)
