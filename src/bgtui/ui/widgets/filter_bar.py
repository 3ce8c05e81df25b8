"""The filter line ``/`` opens: words typed here narrow the snapshots to rows containing all.

Enter keeps the filter and returns to the table; escape clears it.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FilterBar(Input):
    BINDINGS = [Binding("escape", "clear_filter", "Clear filter", show=False)]

    class Cleared(Message):
        """The operator dropped the filter (escape)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="filter: customer, timestamp, state or text", id=id)

    def action_clear_filter(self) -> None:
        self.value = ""
        self.post_message(self.Cleared())
