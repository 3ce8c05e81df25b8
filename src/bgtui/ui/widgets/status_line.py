"""The line above the footer: why the last key did nothing, or what the console is doing.

A disabled action's reason stays here until the next message, so an operator who missed
the toast can still read it.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static


class StatusLine(Static):
    message: reactive[str] = reactive("")
    tone: reactive[str] = reactive("info")  # "info", "refused" or "error": TCSS classes

    def render(self) -> str:
        return self.message

    def say(self, message: str, tone: str = "info") -> None:
        self.message, self.tone = message, tone

    def watch_tone(self, old: str, new: str) -> None:
        self.remove_class(f"-{old}")
        self.add_class(f"-{new}")
