"""Every key the console answers to, read from the bindings themselves (never a copy that
could drift), with why an action is unavailable right now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

NOTES_WIDTH = 52


@dataclass(frozen=True)
class HelpEntry:
    """One binding as the help lists it."""

    group: str
    key: str
    description: str
    note: str = ""  # the binding's tooltip, or why it does not apply now


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close help"),
        Binding("question_mark", "close", "Close help", show=False),
        Binding("q", "close", "Close help", show=False),
    ]

    def __init__(self, entries: Sequence[HelpEntry]) -> None:
        super().__init__(classes="dialog")
        self.entries = list(entries)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-help"):
            yield Label("Keys", classes="dialog-title")
            table: DataTable[object] = DataTable(id="help-keys", cursor_type="row")
            table.add_column("Key", key="key", width=9)
            table.add_column("Does", key="does", width=20)
            table.add_column("Notes", key="notes", width=NOTES_WIDTH)
            group = None
            for index, entry in enumerate(self.entries):
                if entry.group != group:
                    group = entry.group
                    table.add_row(
                        Text(""), Text(group, style="bold underline"), "", key=f"g{index}"
                    )
                table.add_row(
                    Text(entry.key),
                    Text(entry.description),
                    Text(entry.note),
                    key=f"k{index}",
                    height=None,  # long reasons wrap instead of being cut
                )
            yield table
            yield Static(
                "ctrl+p opens the command palette with every action · escape closes",
                classes="dialog-message",
            )

    def on_mount(self) -> None:
        self.query_one("#help-keys", DataTable).focus()

    def action_close(self) -> None:
        self.dismiss(None)
