"""Everything about one row, in full and wrapped: a snapshot's failure reason, or a history
entry's who and why, which the table's columns cut at 80 columns. Opened with ``enter``.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class DetailsScreen(ModalScreen[None]):
    """A title and ``label: value`` lines; values wrap, nothing is cut."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("enter", "close", "Close")]

    def __init__(self, title: str, facts: Sequence[tuple[str, str]]) -> None:
        super().__init__(classes="dialog")
        self._title = title
        self.facts = [(label, value) for label, value in facts if value]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="-details"):
            yield Label(self._title, classes="dialog-title")
            for label, value in self.facts:
                with Horizontal(classes="detail-fact"):
                    yield Label(label, classes="detail-label")
                    yield Static(value, classes="detail-value", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
