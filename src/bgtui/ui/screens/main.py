"""The console's main screen: the four panes, the selection, and the operator's actions.

Whether an action applies to the selected row is the engine's call (``why_not``); this screen
only shows the answer: disabled in the footer, and the reason when the key is pressed anyway.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input

from bgtui.engine.commands import CommandRefused, EngineCommands
from bgtui.engine.events import AliasView, Level, SnapshotView
from bgtui.ui.messages import (
    AliasesUpdated,
    ControllerUpdated,
    HealthUpdated,
    LogLineAdded,
    NoticeArrived,
    SnapshotUpdated,
    WatcherUpdated,
)
from bgtui.ui.options import ConsoleOptions, Now
from bgtui.ui.screens.approve import ApproveScreen
from bgtui.ui.screens.confirm import ConfirmScreen
from bgtui.ui.screens.confirm_rollback import RollbackScreen
from bgtui.ui.screens.type_to_confirm import TypeToConfirmScreen
from bgtui.ui.snapshot_board import SnapshotBoard
from bgtui.ui.widgets.aliases_panel import AliasesPanel
from bgtui.ui.widgets.environment_banner import EnvironmentBanner
from bgtui.ui.widgets.filter_bar import FilterBar
from bgtui.ui.widgets.health_panel import HealthPanel
from bgtui.ui.widgets.key_figures import KeyFigures
from bgtui.ui.widgets.load_log import LoadLog, plain_line
from bgtui.ui.widgets.snapshots_table import SnapshotsTable
from bgtui.ui.widgets.state_counts import StateCounts
from bgtui.ui.widgets.status_line import StatusLine

CHANGING_ACTIONS: dict[str, str] = {
    "approve": "Approve",
    "retry": "Retry",
    "rollback": "Roll back",
    "hold": "Hold",
}
"""Actions that change Neo4j (or the engine's plan for it): refused in read-only mode."""

READ_ONLY_REASON = "read-only mode: this console may not change Neo4j"

_SEVERITY = {
    Level.DEBUG: "information",
    Level.INFO: "information",
    Level.WARNING: "warning",
    Level.ERROR: "error",
}


class MainScreen(Screen[None]):
    """Snapshots, load log, Neo4j health and aliases; every action on the selection."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "approve", "Approve", tooltip="Switch the alias to the selected snapshot"),
        Binding("r", "retry", "Retry", tooltip="Queue a failed, stale or superseded load again"),
        Binding("b", "rollback", "Roll back", tooltip="Point the customer's alias back"),
        Binding("h", "hold", "Hold", tooltip="Hold or release an automatic promotion countdown"),
        Binding("slash", "filter", "Filter", tooltip="Show only rows containing these words"),
        Binding("n", "attention", "Needs attention", show=False, tooltip="Failed or waiting"),
        Binding("p", "pause", "Pause watcher", show=False, tooltip="Pause or resume watching"),
        Binding("y", "copy", "Copy", show=False, tooltip="Copy the database, alias or log line"),
        Binding("R", "toggle_read_only", "Read-only", show=False, tooltip="Enter or leave"),
    ]

    read_only: reactive[bool] = reactive(False)
    paused: reactive[bool] = reactive(False)

    def __init__(self, engine: EngineCommands, options: ConsoleOptions, now: Now) -> None:
        super().__init__(id="main")
        self.engine = engine
        self.options = options
        self.now = now
        self.board = SnapshotBoard()
        self._render_due = False
        self.set_reactive(MainScreen.read_only, options.read_only)

    def compose(self) -> ComposeResult:
        yield EnvironmentBanner(self.options, id="banner")
        yield KeyFigures(id="key-figures")
        yield StateCounts(id="state-counts")
        yield SnapshotsTable(self.now, id="snapshots")
        with Horizontal(id="lower"):
            yield LoadLog(id="load-log")
            with Vertical(id="side"):
                yield HealthPanel(id="health")
                yield AliasesPanel(id="aliases")
        yield FilterBar(id="filter")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.snapshots.border_title = "Snapshots"
        self.load_log.border_title = "Load log"
        self.snapshots.focus()
        self.set_interval(1.0, self.snapshots.refresh_countdowns)

    # ---- parts -----------------------------------------------------------------------------

    @property
    def snapshots(self) -> SnapshotsTable:
        return self.query_one("#snapshots", SnapshotsTable)

    @property
    def load_log(self) -> LoadLog:
        return self.query_one("#load-log", LoadLog)

    @property
    def aliases(self) -> AliasesPanel:
        return self.query_one("#aliases", AliasesPanel)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    @property
    def banner(self) -> EnvironmentBanner:
        return self.query_one("#banner", EnvironmentBanner)

    # ---- the selection ---------------------------------------------------------------------

    @property
    def selected_view(self) -> SnapshotView | None:
        return self.board.get(self.snapshots.selected_key)

    @property
    def selected_customer(self) -> str | None:
        """The alias row's customer when that pane has focus, else the snapshot row's."""
        if self.focused is self.aliases and self.aliases.selected_customer:
            return self.aliases.selected_customer
        view = self.selected_view
        return view.customer if view else self.aliases.selected_customer

    @property
    def selected_alias(self) -> AliasView | None:
        return self.aliases.get_view(self.selected_customer)

    def reason_against(self, action: str) -> str | None:
        """Why ``action`` does not apply to the selection now, or None when it does."""
        if action not in CHANGING_ACTIONS:
            return None
        if self.read_only:
            return READ_ONLY_REASON
        if action == "rollback":
            customer = self.selected_customer
            if customer is None:
                return "select a snapshot or an alias first"
            return self.engine.why_not(action, None, customer)
        view = self.selected_view
        if view is None:
            return "select a snapshot first"
        return self.engine.why_not(action, view.key, view.customer)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in CHANGING_ACTIONS and self.reason_against(action):
            return None  # shown, dimmed: the key explains itself when pressed
        return True

    def refuse(self, action: str, reason: str) -> None:
        label = CHANGING_ACTIONS.get(action, action)
        self.status.say(f"{label}: {reason}", "refused")
        self.notify(reason, title=f"{label} not available", severity="warning")

    async def attempt(self, action: str) -> None:
        """Run ``action`` if it applies, else say why (the palette and disabled keys use this)."""
        reason = self.reason_against(action)
        if reason:
            self.refuse(action, reason)
            return
        await self.run_action(action)

    def on_key(self, event: events.Key) -> None:
        active = self.active_bindings.get(event.key)
        if active is None or active.enabled or active.binding.action not in CHANGING_ACTIONS:
            return
        reason = self.reason_against(active.binding.action)
        if reason:
            event.stop()
            event.prevent_default()
            self.refuse(active.binding.action, reason)

    @on(DataTable.RowHighlighted, "#snapshots")
    def _snapshot_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.load_log.show_snapshot(self.snapshots.selected_key)
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#aliases")
    def _alias_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.refresh_bindings()

    # ---- engine events ---------------------------------------------------------------------

    def on_snapshot_updated(self, message: SnapshotUpdated) -> None:
        self.board.apply(message.view)
        if not self._render_due:
            self._render_due = True
            self.call_later(self._render_snapshots)

    def _render_snapshots(self) -> None:
        """Draw the board once per burst of snapshot events."""
        self._render_due = False
        visible = self.board.visible()
        counts = self.board.counts()
        self.snapshots.show(visible)
        self.query_one(StateCounts).counts = counts
        narrowing = []
        if self.board.is_narrowed():
            narrowing.append(f"showing {len(visible)} of {len(self.board)}")
        if self.board.attention_only:
            narrowing.append("needs attention only")
        if self.board.filter_text.strip():
            narrowing.append(f"filter “{self.board.filter_text.strip()}”")
        self.query_one(StateCounts).narrowing = " · ".join(narrowing)
        figures = self.query_one(KeyFigures)
        figures.running = sum(n for state, n in counts.items() if state.is_active)
        figures.attention = sum(n for state, n in counts.items() if state.needs_attention)
        self.load_log.show_snapshot(self.snapshots.selected_key)
        self.refresh_bindings()

    def on_log_line_added(self, message: LogLineAdded) -> None:
        self.load_log.add(message.line)

    def on_health_updated(self, message: HealthUpdated) -> None:
        self.query_one(HealthPanel).health = message.health
        if message.health.address:
            self.banner.address = message.health.address

    def on_aliases_updated(self, message: AliasesUpdated) -> None:
        self.aliases.show(message.aliases)
        self.query_one(KeyFigures).live = sum(1 for a in message.aliases if a.live_database)
        self.refresh_bindings()

    def on_watcher_updated(self, message: WatcherUpdated) -> None:
        self.paused = message.watcher.paused
        self.banner.base_path = message.watcher.base_path
        self.banner.watch_mode = message.watcher.mode
        self.banner.paused = message.watcher.paused

    def on_notice_arrived(self, message: NoticeArrived) -> None:
        notice = message.notice
        severity = _SEVERITY[notice.level]
        timeout = 12.0 if notice.needs_person or notice.level is Level.ERROR else 6.0
        self.notify(notice.message, title=notice.title, severity=severity, timeout=timeout)  # type: ignore[arg-type]
        if notice.needs_person and self.options.bell:
            self.app.bell()

    def on_controller_updated(self, message: ControllerUpdated) -> None:
        self.read_only = message.controller.read_only
        self.banner.lock_holder = message.controller.lock_holder
        if message.controller.edition_problem:
            self.status.say(message.controller.edition_problem, "error")

    def watch_read_only(self, read_only: bool) -> None:
        if self.is_mounted:
            self.banner.read_only = read_only
            self.refresh_bindings()

    # ---- actions ---------------------------------------------------------------------------

    async def _send(self, done: str, command: Awaitable[None]) -> bool:
        """Await an engine command; a refusal becomes a toast with the engine's words."""
        try:
            await command
        except CommandRefused as exc:
            self.status.say(str(exc), "refused")
            self.notify(str(exc), title="Refused", severity="error")
            return False
        self.status.say(done)
        return True

    async def _typed_confirmation(self, customer: str, what: str) -> bool:
        """In production, the operator types the customer's name before the change."""
        if not self.options.production:
            return True
        confirmed = await self.app.push_screen_wait(TypeToConfirmScreen(customer, what))
        if not confirmed:
            self.status.say(f"cancelled: {what}")
        return bool(confirmed)

    @work(exclusive=True, group="command")
    async def action_approve(self) -> None:
        view = self.selected_view
        if view is None:
            return
        reason = await self.app.push_screen_wait(ApproveScreen(self.engine, view))
        if reason is None:
            self.status.say(f"approval of {view.key} cancelled")
            return
        if not await self._typed_confirmation(view.customer, f"Approve {view.key}."):
            return
        await self._send(
            f"approved {view.key}", self.engine.approve(view.key, self.options.operator, reason)
        )

    @work(exclusive=True, group="command")
    async def action_rollback(self) -> None:
        alias = self.selected_alias
        customer = self.selected_customer
        if customer is None:
            return
        if alias is None:
            alias = AliasView(customer, customer, None, None)
        choice = await self.app.push_screen_wait(RollbackScreen(self.engine, alias))
        if choice is None:
            self.status.say(f"rollback of {alias.alias} cancelled")
            return
        what = f"Roll back {alias.alias} to {choice.target_database}."
        if not await self._typed_confirmation(customer, what):
            return
        await self._send(
            f"rolled back {alias.alias} to {choice.target_database}",
            self.engine.rollback(
                customer, self.options.operator, choice.reason, choice.target_database
            ),
        )

    @work(exclusive=True, group="command")
    async def action_retry(self) -> None:
        view = self.selected_view
        if view is not None:
            await self._send(
                f"{view.key} queued again", self.engine.retry(view.key, self.options.operator)
            )

    @work(exclusive=True, group="command")
    async def action_hold(self) -> None:
        view = self.selected_view
        if view is None:
            return
        hold = not view.held
        await self._send(
            f"{'held' if hold else 'released'} the countdown of {view.key}",
            self.engine.hold(view.key, self.options.operator, held=hold),
        )

    def action_pause(self) -> None:
        paused = not self.paused
        try:
            self.engine.set_watcher_paused(paused)
        except CommandRefused as exc:
            self.notify(str(exc), title="Refused", severity="error")
            return
        self.paused = paused
        self.status.say("watcher paused" if paused else "watcher resumed")

    def action_filter(self) -> None:
        bar = self.query_one(FilterBar)
        bar.add_class("-open")
        bar.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.board.filter_text = event.value
        self._render_snapshots()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one(FilterBar).remove_class("-open")
        self.snapshots.focus()

    @on(FilterBar.Cleared)
    def _filter_cleared(self) -> None:
        self.query_one(FilterBar).remove_class("-open")
        self.snapshots.focus()

    def action_attention(self) -> None:
        self.board.attention_only = not self.board.attention_only
        self._render_snapshots()
        shown = "only snapshots that need attention" if self.board.attention_only else "all"
        self.status.say(f"showing {shown}")

    def action_copy(self) -> None:
        text = self._copy_text()
        if not text:
            self.status.say("nothing selected to copy", "refused")
            return
        self.app.copy_to_clipboard(text)
        self.status.say(f"copied {text}")

    def _copy_text(self) -> str | None:
        if self.focused is self.load_log:
            line = self.load_log.last_line
            return plain_line(line) if line else None
        if self.focused is self.aliases:
            alias = self.aliases.get_view(self.aliases.selected_customer)
            return alias.alias if alias else None
        view = self.selected_view
        return (view.database or view.key) if view else None

    @work(exclusive=True, group="command")
    async def action_toggle_read_only(self) -> None:
        leaving = self.read_only
        if leaving:
            confirmed = await self.app.push_screen_wait(
                ConfirmScreen(
                    "Leave read-only mode?",
                    "This console will then load snapshots and may approve, retry, hold and "
                    "roll back, changing Neo4j.",
                    "Leave read-only",
                )
            )
            if not confirmed:
                self.status.say("still read-only")
                return
        try:
            self.engine.set_read_only(not leaving)
        except CommandRefused as exc:
            self.status.say(str(exc), "refused")
            self.notify(str(exc), title="Refused", severity="error")
            return
        self.read_only = not leaving
        self.status.say("read-only mode" if self.read_only else "read-only mode left")
