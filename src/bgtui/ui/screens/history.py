"""Runs and alias changes from the engine's history, newest first, with who and why.

``c`` narrows it to the customer that was selected when the screen opened.
"""

from __future__ import annotations

from datetime import UTC

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label, Static

from bgtui.engine.commands import CommandRefused, EngineCommands, HistoryEntry

HISTORY_LIMIT = 500


class HistoryScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("c", "toggle_customer", "This customer only"),
    ]

    def __init__(self, engine: EngineCommands, customer: str | None = None) -> None:
        super().__init__(classes="dialog")
        self._engine = engine
        self._customer = customer
        self.only_customer = False
        self.entries: list[HistoryEntry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-history"):
            yield Label("History", classes="dialog-title")
            table: DataTable[object] = DataTable(id="history-table", cursor_type="row")
            table.add_column("When (UTC)", key="at", width=19)
            table.add_column("Customer", key="customer", width=10)
            table.add_column("What", key="what", width=52)
            table.add_column("Who", key="actor", width=10)
            table.add_column("Why", key="reason")
            yield table
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
        table.clear()
        for index, entry in enumerate(sorted(self.entries, key=lambda e: e.at, reverse=True)):
            table.add_row(
                Text(f"{entry.at.astimezone(UTC):%Y-%m-%d %H:%M:%S}"),
                Text(entry.customer),
                Text(entry.summary),
                Text(entry.actor),
                Text(entry.reason),
                key=str(index),
            )
        table.loading = False
        scope = f" · {customer} only" if customer else ""
        self.query_one(Label).update(f"History ({len(self.entries)} entries{scope})")

    def action_close(self) -> None:
        self.dismiss(None)
