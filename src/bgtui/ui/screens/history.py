"""Runs and alias changes from the engine's history, newest first, with who and why.

Every entry names its snapshot. Below 120 columns "why" has no room in the table, so
``enter`` shows the entry in full (who, why, wrapped). ``c`` narrows it to the customer that
was selected when the screen opened.
"""

from __future__ import annotations

from datetime import UTC

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label, Static

from bgtui.engine.commands import CommandRefused, EngineCommands, HistoryEntry
from bgtui.ui.screens.details import DetailsScreen

HISTORY_LIMIT = 500
WIDE_MIN_WIDTH = 120
"""From this width the table has a Why column; below it, ``enter`` shows the reason."""

# (key, label, width or None for the rest), wide and narrow
_WIDE = (
    ("at", "When (UTC)", 19),
    ("snapshot", "Snapshot", 26),
    ("what", "What", 40),
    ("actor", "Who", 12),
    ("reason", "Why", None),
)
_NARROW = (
    ("at", "When (UTC)", 11),
    ("snapshot", "Snapshot", 24),
    ("what", "What", None),
    ("actor", "Who", 10),
)


def entry_facts(entry: HistoryEntry) -> list[tuple[str, str]]:
    return [
        ("When", f"{entry.at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"),
        ("Snapshot", entry.snapshot_key or ""),
        ("Customer", entry.customer),
        ("What", entry.summary),
        ("Who", entry.actor),
        ("Why", entry.reason),
    ]


class HistoryScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("c", "toggle_customer", "This customer only"),
        Binding("enter", "details", "Who and why, in full"),
    ]

    def __init__(self, engine: EngineCommands, customer: str | None = None) -> None:
        super().__init__(classes="dialog")
        self._engine = engine
        self._customer = customer
        self.only_customer = False
        self.entries: list[HistoryEntry] = []
        self._shown: list[HistoryEntry] = []
        self._layout: tuple[tuple[str, str, int | None], ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-history"):
            yield Label("History", classes="dialog-title")
            yield DataTable(id="history-table", cursor_type="row")
            yield Static("", id="history-problem", classes="dialog-problem")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#history-table", DataTable)
        table.loading = True
        table.focus()
        self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_customer" and self._customer is None:
            return None
        return True

    def action_toggle_customer(self) -> None:
        self.only_customer = not self.only_customer
        self._load()

    @work(exclusive=True)
    async def _load(self) -> None:
        table: DataTable[object] = self.query_one("#history-table", DataTable)
        customer = self._customer if self.only_customer else None
        try:
            self.entries = await self._engine.history(limit=HISTORY_LIMIT, customer=customer)
        except CommandRefused as exc:
            self.query_one("#history-problem", Static).update(f"history unavailable: {exc}")
            self.entries = []
        self._shown = sorted(self.entries, key=lambda e: e.at, reverse=True)
        self._fill(table)
        table.loading = False
        scope = f" · {customer} only" if customer else ""
        self.query_one(Label).update(f"History ({len(self.entries)} entries{scope})")

    def on_resize(self, event: events.Resize) -> None:
        self._fill(self.query_one("#history-table", DataTable))

    def _fill(self, table: DataTable[object]) -> None:
        width = self.size.width
        layout = _WIDE if width >= WIDE_MIN_WIDTH else _NARROW
        if layout != self._layout:
            self._layout = layout
            table.clear(columns=True)
            fixed = sum(w or 0 for _, _, w in layout) + 2 * len(layout) + 8
            for key, label, column_width in layout:
                table.add_column(label, key=key, width=column_width or max(12, width - fixed))
        table.clear()
        wide = layout is _WIDE
        for index, entry in enumerate(self._shown):
            at = entry.at.astimezone(UTC)
            cells = {
                "at": f"{at:%Y-%m-%d %H:%M:%S}" if wide else f"{at:%m-%d %H:%M}",
                "snapshot": entry.snapshot_key or entry.customer,
                "what": entry.summary,
                "actor": entry.actor,
                "reason": entry.reason,
            }
            table.add_row(*(Text(cells[key]) for key, _, _ in layout), key=str(index))

    @on(DataTable.RowSelected, "#history-table")
    def _entry_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_details()

    def action_details(self) -> None:
        table = self.query_one("#history-table", DataTable)
        if 0 <= table.cursor_row < len(self._shown):
            entry = self._shown[table.cursor_row]
            self.app.push_screen(DetailsScreen("History entry", entry_facts(entry)))

    def action_close(self) -> None:
        self.dismiss(None)
