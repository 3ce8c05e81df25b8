"""The console's main screen: the four panes, what is selected, and the engine's events.

The changing commands (approve, retry, roll back, hold) come from ``OperatorScreen``; this
screen adds the panes they act on and the console's own keys (filter, attention, copy, pause).
"""

from __future__ import annotations

from time import monotonic as _monotonic
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Footer, Input, Static

from bgtui.engine.commands import CommandRefused, EngineCommands
from bgtui.engine.events import AliasView, Level, SnapshotView
from bgtui.ui.formatting import snapshot_facts
from bgtui.ui.messages import (
    AliasesUpdated,
    ControllerUpdated,
    HealthUpdated,
    LogLineAdded,
    NoticeArrived,
    SnapshotUpdated,
    WatcherUpdated,
)
from bgtui.ui.notices import NoticeItem, NoticeQueue
from bgtui.ui.options import ConsoleOptions, Now
from bgtui.ui.screens.details import DetailsScreen
from bgtui.ui.screens.operator_screen import OperatorScreen
from bgtui.ui.snapshot_board import SnapshotBoard
from bgtui.ui.terminal_alerts import desktop_notification
from bgtui.ui.widgets.aliases_panel import AliasesPanel
from bgtui.ui.widgets.attention_counter import AttentionCounter
from bgtui.ui.widgets.environment_banner import EnvironmentBanner
from bgtui.ui.widgets.filter_bar import FilterBar
from bgtui.ui.widgets.health_panel import HealthPanel
from bgtui.ui.widgets.key_figures import KeyFigures
from bgtui.ui.widgets.load_log import LoadLog, plain_line
from bgtui.ui.widgets.snapshots_table import SnapshotsTable
from bgtui.ui.widgets.state_counts import StateCounts
from bgtui.ui.widgets.status_line import StatusLine

_SEVERITY: dict[Level, str] = {
    Level.DEBUG: "information",
    Level.INFO: "information",
    Level.WARNING: "warning",
    Level.ERROR: "error",
}


class MainScreen(OperatorScreen):
    """Snapshots, load log, Neo4j health and aliases, and the selection the actions apply to."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", tooltip="Show only rows containing these words"),
        Binding("n", "attention", "Needs attention", show=False, tooltip="Failed or waiting"),
        Binding("p", "pause", "Pause watcher", show=False, tooltip="Pause or resume watching"),
        Binding("y", "copy", "Copy", show=False, tooltip="Copy the database, alias or log line"),
    ]

    paused: reactive[bool] = reactive(False)

    @classmethod
    def declared_bindings(cls) -> list[Binding]:
        """This screen's bindings and the ones it inherits (palette and tests list them)."""
        return [
            binding
            for base in reversed(cls.__mro__)
            for binding in base.__dict__.get("BINDINGS", [])
            if isinstance(binding, Binding) and issubclass(base, OperatorScreen)
        ]

    def __init__(self, engine: EngineCommands, options: ConsoleOptions, now: Now) -> None:
        super().__init__(engine, options, id="main")
        self.now = now
        self.board = SnapshotBoard()
        self._render_due = False
        self._selection_facts: tuple[object, ...] | None = None
        self._aliases: tuple[AliasView, ...] | None = None
        self.notices = NoticeQueue()
        self._notice_timer_due: float | None = None

    def compose(self) -> ComposeResult:
        if self.options.production:
            name = self.options.environment_name or "production"
            yield Static(
                f"PRODUCTION · {name} · every change here reaches customers",
                id="production-banner",
            )
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
        with Horizontal(id="status-row"):
            yield StatusLine(id="status")
            yield AttentionCounter(id="attention")
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

    def say(self, message: str, tone: str = "info") -> None:
        """The answer to the operator's own key; notices wait a moment before replacing it."""
        self.status.say(message, tone)
        self.notices.touch(_monotonic())
        if self.is_mounted:
            self._pump_notices()

    @on(DataTable.RowHighlighted, "#snapshots")
    def _snapshot_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._follow_selection()

    def _follow_selection(self) -> None:
        """Show the selected snapshot's log; redraw the footer when what applies may change."""
        self.load_log.show_snapshot(self.snapshots.selected_key)
        view = self.selected_view
        facts = (view.key, view.state, view.held, view.auto_promote_at) if view else None
        if facts != self._selection_facts:  # progress ticks leave the footer alone
            self._selection_facts = facts
            self.refresh_bindings()

    @on(DataTable.RowSelected, "#snapshots")
    def _snapshot_chosen(self, event: DataTable.RowSelected) -> None:
        """``enter`` on a snapshot: everything about it in full, the failure reason wrapped."""
        view = self.selected_view
        if view is not None:
            self.app.push_screen(DetailsScreen(f"Snapshot {view.key}", snapshot_facts(view)))

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
        self._count_attention()
        self._follow_selection()

    def _count_attention(self) -> None:
        """Snapshots needing a person, plus aliases that drifted or are held after a rollback."""
        snapshots = sum(n for state, n in self.board.counts().items() if state.needs_attention)
        drifted = sum(1 for alias in self._aliases or () if alias.drift or alias.held_by)
        self.query_one(AttentionCounter).count = snapshots + drifted

    def on_log_line_added(self, message: LogLineAdded) -> None:
        self.load_log.add(message.line)

    def on_health_updated(self, message: HealthUpdated) -> None:
        self.query_one(HealthPanel).health = message.health
        if message.health.address:
            self.banner.address = message.health.address

    def on_aliases_updated(self, message: AliasesUpdated) -> None:
        if message.aliases == self._aliases:
            return  # the periodic poll found nothing new: draw nothing
        self._aliases = message.aliases
        self.aliases.show(message.aliases)
        self.query_one(KeyFigures).live = sum(1 for a in message.aliases if a.live_database)
        self._count_attention()
        self.refresh_bindings()

    def on_watcher_updated(self, message: WatcherUpdated) -> None:
        self.paused = message.watcher.paused
        self.banner.base_path = message.watcher.base_path
        self.banner.watch_mode = message.watcher.mode
        self.banner.paused = message.watcher.paused

    def on_notice_arrived(self, message: NoticeArrived) -> None:
        notice = message.notice
        self.show_notice(
            NoticeItem(notice.title, notice.message, _SEVERITY[notice.level], notice.needs_person)
        )
        if notice.needs_person:
            self._alert_terminal(notice.title, notice.message)

    def _alert_terminal(self, title: str, message: str) -> None:
        """The bell and/or a desktop notification (OSC 9 / 777), as the operator asked."""
        if self.options.bell:
            self.app.bell()
        driver = self.app._driver  # Textual writes its own bell this way (App.bell)
        if self.options.desktop_notify and driver is not None:
            driver.write(desktop_notification(title, message))

    # ---- notices: one line, paced, held while a dialog is open -----------------------------

    def show_notice(self, item: NoticeItem) -> None:
        self.notices.add(item)
        self._pump_notices()

    def _pump_notices(self) -> None:
        now = _monotonic()
        self.notices.held = self.app.screen is not self
        shown = self.notices.take(now)
        if shown is not None:
            tone = {"warning": "refused", "error": "error"}.get(shown.severity, "info")
            self.status.say(shown.text, tone)
        due = self.notices.next_due(now)
        if due is not None and due != self._notice_timer_due:
            self._notice_timer_due = due
            self.set_timer(max(0.05, due - now), self._notice_timer_fired)

    def _notice_timer_fired(self) -> None:
        self._notice_timer_due = None
        self._pump_notices()

    def on_screen_suspend(self) -> None:
        self.notices.held = True  # a dialog is on top: notices wait for it to close

    def on_screen_resume(self) -> None:
        self.notices.held = False
        if self.is_mounted:
            # The dialog's own answer ("approved …") comes first; waiting notices follow.
            self.notices.touch(_monotonic())
            self._pump_notices()

    def on_controller_updated(self, message: ControllerUpdated) -> None:
        self.read_only = message.controller.read_only
        self.banner.lock_holder = message.controller.lock_holder
        if message.controller.edition_problem:
            self.say(message.controller.edition_problem, "error")

    def watch_read_only(self, read_only: bool) -> None:
        if self.is_mounted:
            self.banner.read_only = read_only
            self.refresh_bindings()

    # ---- actions ---------------------------------------------------------------------------

    def action_pause(self) -> None:
        paused = not self.paused
        try:
            self.engine.set_watcher_paused(paused)
        except CommandRefused as exc:
            self.say(str(exc), "refused")
            return
        self.paused = paused
        self.say("watcher paused" if paused else "watcher resumed")

    def action_filter(self) -> None:
        bar = self.query_one(FilterBar)
        bar.add_class("-open")
        bar.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.board.filter_text = event.value
        self.aliases.set_filter(event.value)
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
        self.say(f"showing {shown}")

    def action_copy(self) -> None:
        text = self._copy_text()
        if not text:
            self.say("nothing selected to copy", "refused")
            return
        self.app.copy_to_clipboard(text)
        self.say(f"copied {text}")

    def _copy_text(self) -> str | None:
        if self.focused is self.load_log:
            line = self.load_log.last_line
            return plain_line(line) if line else None
        if self.focused is self.aliases:
            alias = self.aliases.get_view(self.aliases.selected_customer)
            return alias.alias if alias else None
        view = self.selected_view
        return (view.database or view.key) if view else None
