"""A table cell whose style comes from the table's TCSS component classes.

The style is looked up when the cell is drawn, not when it is created, so switching the
theme (or running with ``NO_COLOR``) restyles every cell without rebuilding the rows.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.widget import Widget


class StyledCell:
    """``text`` drawn in the style of ``widget``'s component class ``component``."""

    def __init__(self, widget: Widget, component: str, text: str) -> None:
        self.widget = widget
        self.component = component
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        style = self.widget.get_component_rich_style(self.component, partial=True)
        yield Text(self.text, style=style, end="", no_wrap=True, overflow="ellipsis")

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StyledCell) and (other.component, other.text) == (
            self.component,
            self.text,
        )

    def __hash__(self) -> int:
        return hash((self.component, self.text))
