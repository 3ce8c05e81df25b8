"""Production's extra step: type the customer's name before an approval or rollback.

Typing the name (not pressing a key) makes the operator read which customer is affected.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class TypeToConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, expected: str, what: str) -> None:
        super().__init__(classes="dialog")
        self.expected = expected
        self._what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-production"):
            yield Label("PRODUCTION", classes="dialog-title")
            yield Static(
                Text.assemble(
                    f"{self._what}\nType the customer's name ",
                    (self.expected, "bold"),
                    " to go ahead; escape cancels.",
                ),
                classes="dialog-message",
            )
            yield Input(placeholder=self.expected, id="typed-name")
            yield Static("", id="typed-problem", classes="dialog-problem")

    def on_mount(self) -> None:
        self.query_one("#typed-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip() == self.expected:
            self.dismiss(True)
            return
        self.query_one("#typed-problem", Static).update(
            f"that is not {self.expected!r}; type it exactly, or press escape"
        )

    def action_cancel(self) -> None:
        self.dismiss(False)
