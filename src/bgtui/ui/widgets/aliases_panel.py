"""The aliases pane: per customer, the alias, its live database, the rollback target, and
anything awaiting approval or drifting from what the engine expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from bgtui.engine.events import AliasView
from bgtui.ui.formatting import database_text
from bgtui.ui.styled_cell import StyledCell

FULL_LAYOUT_MIN_WIDTH = 70


@dataclass(frozen=True)
class _Column:
    key: str
    label: str
    width: int | None


_FULL = (
    _Column("alias", "Alias", 10),
    _Column("live", "Live", 24),
    _Column("rollback", "Rollback to", 24),
    _Column("note", "Note", None),
)
_COMPACT = (
    _Column("alias", "Alias", 10),
    _Column("live", "Live database", None),
)


def flags(view: AliasView) -> str:
    """``!`` awaiting approval, ``≠`` drift, ``⏸`` held: marks that read without colour."""
    return (
        ("!" if view.awaiting_approval else "")
        + ("≠" if view.drift else "")
        + ("⏸" if view.held_by else "")
    )


class AliasesPanel(DataTable[object]):
    """One row per customer; the highlighted row picks the customer a rollback applies to."""

    COMPONENT_CLASSES = {"aliases-panel--drift", "aliases-panel--awaiting", "aliases-panel--none"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")
        self._views: dict[str, AliasView] = {}
        self._shown: list[str] = []
        self._columns: tuple[_Column, ...] = ()
        self._widths: dict[str, int] = {}
        self._last_width = 20
        self.filter_text = ""

    @property
    def selected_customer(self) -> str | None:
        keys = self._shown
        return keys[self.cursor_row] if 0 <= self.cursor_row < len(keys) else None

    def get_view(self, customer: str | None) -> AliasView | None:
        return None if customer is None else self._views.get(customer)

    def show(self, views: Sequence[AliasView]) -> None:
        selected = self.selected_customer
        self._views = {view.customer: view for view in sorted(views, key=lambda v: v.customer)}
        self._rebuild(selected)

    def set_filter(self, text: str) -> None:
        """Show only the aliases matching every word (customer, alias or database names)."""
        if text != self.filter_text:
            self.filter_text = text
            self._rebuild(self.selected_customer)

    def _matches(self, view: AliasView) -> bool:
        haystack = " ".join(
            part or ""
            for part in (view.customer, view.alias, view.live_database, view.rollback_target)
        ).casefold()
        return all(word in haystack for word in self.filter_text.casefold().split())

    def on_mount(self) -> None:
        self.border_title = "Aliases"
        self._layout(self.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        columns = _FULL if width >= FULL_LAYOUT_MIN_WIDTH else _COMPACT
        if columns == self._columns and width == self._last_width:
            return
        selected = self.selected_customer  # read before clearing: clear() moves to row 0
        self._columns, self._last_width = columns, width
        fixed = sum((column.width or 0) + 2 * self.cell_padding for column in columns)
        rest = max(10, width - fixed - 2 * self.cell_padding - 2)
        self.clear(columns=True)
        self._widths = {column.key: column.width or rest for column in columns}
        for column in columns:
            self.add_column(column.label, key=column.key, width=self._widths[column.key])
        self._rebuild(selected)

    def _rebuild(self, selected: str | None) -> None:
        self.clear()
        self._shown = [key for key, view in self._views.items() if self._matches(view)]
        for key in self._shown:
            self.add_row(*self._cells(self._views[key]), key=key)
        if selected in self._shown:
            self.move_cursor(row=self._shown.index(selected), animate=False)

    def _cells(self, view: AliasView) -> list[object]:
        marks = flags(view)
        alias = Text(f"{marks} {view.alias}" if marks else view.alias)
        live = self._database(view, view.live_database, "live", "no live database")
        if self._columns is _COMPACT:
            return [alias, live]
        rollback = self._database(view, view.rollback_target, "rollback", "-")
        return [alias, live, rollback, self._note(view)]

    def _database(self, view: AliasView, name: str | None, column: str, missing: str) -> object:
        if name is None:
            return StyledCell(self, "aliases-panel--none", missing)
        return Text(database_text(name, self._widths.get(column, len(name)), view.alias))

    def _note(self, view: AliasView) -> object:
        if view.drift:
            return StyledCell(self, "aliases-panel--drift", f"≠ {view.drift}")
        if view.held_by:
            return StyledCell(
                self, "aliases-panel--awaiting", f"⏸ held after rollback by {view.held_by}"
            )
        if view.awaiting_approval:
            return StyledCell(
                self,
                "aliases-panel--awaiting",
                f"! awaiting {view.awaiting_approval.partition('/')[2]}",
            )
        return Text("")
