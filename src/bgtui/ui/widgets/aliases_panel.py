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
    _Column("alias", "Alias", 12),
    _Column("live", "Live database", None),
)


def flags(view: AliasView) -> str:
    """``!`` awaiting approval, ``≠`` drift: marks that read without colour."""
    return ("!" if view.awaiting_approval else "") + ("≠" if view.drift else "")


class AliasesPanel(DataTable[object]):
    """One row per customer; the highlighted row picks the customer a rollback applies to."""

    COMPONENT_CLASSES = {"aliases-panel--drift", "aliases-panel--awaiting", "aliases-panel--none"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")
        self._views: dict[str, AliasView] = {}
        self._columns: tuple[_Column, ...] = ()
        self._last_width = 20

    @property
    def selected_customer(self) -> str | None:
        keys = list(self._views)
        return keys[self.cursor_row] if 0 <= self.cursor_row < len(keys) else None

    def get_view(self, customer: str | None) -> AliasView | None:
        return None if customer is None else self._views.get(customer)

    def show(self, views: Sequence[AliasView]) -> None:
        selected = self.selected_customer
        self._views = {view.customer: view for view in sorted(views, key=lambda v: v.customer)}
        self._rebuild(selected)

    def on_mount(self) -> None:
        self.border_title = "Aliases"
        self._layout(self.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        columns = _FULL if width >= FULL_LAYOUT_MIN_WIDTH else _COMPACT
        if columns == self._columns and width == self._last_width:
            return
        self._columns, self._last_width = columns, width
        fixed = sum((column.width or 0) + 2 * self.cell_padding for column in columns)
        rest = max(10, width - fixed - 2 * self.cell_padding - 2)
        self.clear(columns=True)
        for column in columns:
            self.add_column(column.label, key=column.key, width=column.width or rest)
        self._rebuild(self.selected_customer)

    def _rebuild(self, selected: str | None) -> None:
        self.clear()
        for view in self._views.values():
            self.add_row(*self._cells(view), key=view.customer)
        keys = list(self._views)
        if selected in keys:
            self.move_cursor(row=keys.index(selected), animate=False)

    def _cells(self, view: AliasView) -> list[object]:
        marks = flags(view)
        alias = Text(f"{marks} {view.alias}" if marks else view.alias)
        live = self._database(view.live_database, "no live database")
        if self._columns is _COMPACT:
            return [alias, live]
        return [alias, live, self._database(view.rollback_target, "-"), self._note(view)]

    def _database(self, name: str | None, missing: str) -> object:
        if name is None:
            return StyledCell(self, "aliases-panel--none", missing)
        return Text(name)

    def _note(self, view: AliasView) -> object:
        if view.drift:
            return StyledCell(self, "aliases-panel--drift", f"≠ {view.drift}")
        if view.awaiting_approval:
            return StyledCell(
                self,
                "aliases-panel--awaiting",
                f"! awaiting {view.awaiting_approval.partition('/')[2]}",
            )
        return Text("")
