"""The persistent count of what needs a person: awaiting approval, failed, drift, held.

Notices pass; this stays on the status row until each item is dealt with, and ``n`` shows
the rows behind it. It says the number in words and a mark, never by colour alone.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static


class AttentionCounter(Static):
    """``⚑ 3 need you (n)`` while anything needs a person; empty otherwise."""

    count: reactive[int] = reactive(0, layout=True)  # its width follows the number

    def render(self) -> str:
        return f"⚑ {self.count} need{'s' if self.count == 1 else ''} you (n)" if self.count else ""

    def watch_count(self, count: int) -> None:
        self.set_class(count > 0, "-attention")
