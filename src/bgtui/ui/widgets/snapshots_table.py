"""The snapshots pane: one row per snapshot, newest first, with state, progress and countdown.

Rows are keyed by the snapshot key, so a view that changes only updates its cells. Until the
operator moves the cursor it follows the newest snapshot; once they choose a row it stays on
that snapshot while rows come and go, so a key never lands on a row that just slid under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.events import SnapshotView
from bgtui.ui.formatting import (
    countdown_text,
    duration_text,
    note_text,
    progress_text,
    rate_text,
    short_count_text,
    state_label,
)
from bgtui.ui.options import Now
from bgtui.ui.styled_cell import StyledCell

FULL_LAYOUT_MIN_WIDTH = 120
"""Below this width the table folds its columns into state, snapshot and status."""

_MOVING_KEYS = frozenset(
    {"up", "down", "pageup", "pagedown", "home", "end", "ctrl+home", "ctrl+end"}
)

_SHORT_STATE = {SnapshotState.AWAITING_APPROVAL: "awaiting"}


@dataclass(frozen=True)
class _Column:
    key: str
    label: str
    width: int | None  # None: the rest of the table's width


_FULL = (
    _Column("state", "State", 19),
    _Column("customer", "Customer", 12),
    _Column("snapshot", "Snapshot", 19),
    _Column("progress", "Progress", 15),
    _Column("rows", "Rows", 17),
    _Column("time", "Time", 7),
    _Column("note", "Note", None),
)
_COMPACT = (
    _Column("state", "State", 12),
    _Column("snapshot", "Snapshot", 26),
    _Column("note", "Status", None),
)


class SnapshotsTable(DataTable[object]):
    """Every snapshot the engine reports; the highlighted row is the console's selection."""

    COMPONENT_CLASSES = {f"snapshots-table--{state.value}" for state in SnapshotState} | {
        "snapshots-table--error",
        "snapshots-table--countdown",
        "snapshots-table--held",
    }

    def __init__(self, now: Now, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._now = now
        self._views: dict[str, SnapshotView] = {}
        self._order: list[str] = []
        self._columns: tuple[_Column, ...] = ()
        self._note_width = 40
        self.pinned = False  # True once the operator chose a row (keys, mouse or select())
        self._chosen: str | None = None  # the row they chose, kept while a filter hides it
        self._moved_by_operator = False

    # ---- what the screen calls ------------------------------------------------------------

    @property
    def selected_key(self) -> str | None:
        if not self._order or not 0 <= self.cursor_row < len(self._order):
            return None
        return self._order[self.cursor_row]

    def show(self, views: Sequence[SnapshotView]) -> None:
        """Show exactly ``views`` in this order, touching only the cells that changed."""
        keys = [view.key for view in views]
        previous = self._views
        self._views = {view.key: view for view in views}
        if keys != self._order:
            self._rebuild_rows(keep=self._chosen if self.pinned else None)
            return
        for view in views:
            if previous.get(view.key) != view:
                self._update_row(view)

    def refresh_countdowns(self) -> None:
        """Redraw the rows counting down to an automatic promotion (called every second)."""
        for view in self._views.values():
            if countdown_text(view, self._now()) is not None:
                self._update_row(view)

    def select(self, key: str) -> bool:
        """Put the cursor on ``key``'s row; False when it is not shown."""
        if key not in self._order:
            return False
        self.pinned = True
        self._chosen = key
        self.move_cursor(row=self._order.index(key))
        return True

    def on_key(self, event: events.Key) -> None:
        if event.key in _MOVING_KEYS:
            self._pin()

    def on_click(self, event: events.Click) -> None:
        self._pin()

    def _pin(self) -> None:
        """The operator moves the cursor: the row it lands on becomes (and stays) chosen."""
        self.pinned = True
        self._moved_by_operator = True

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Rebuilds move the cursor too; only the operator's own moves change the choice.
        if self._moved_by_operator:
            self._moved_by_operator = False
            self._chosen = self.selected_key

    # ---- layout ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._layout_columns(self.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._layout_columns(event.size.width)

    def _layout_columns(self, width: int) -> None:
        columns = _FULL if width >= FULL_LAYOUT_MIN_WIDTH else _COMPACT
        fixed = sum((column.width or 0) + 2 * self.cell_padding for column in columns)
        note_width = max(12, width - fixed - 2 * self.cell_padding - 2)
        if columns == self._columns and note_width == self._note_width:
            return
        keep = self._chosen if self.pinned else self.selected_key  # clear() moves to row 0
        self._columns, self._note_width = columns, note_width
        self.clear(columns=True)
        for column in columns:
            self.add_column(column.label, key=column.key, width=column.width or note_width)
        self._rebuild_rows(keep=keep)

    def _rebuild_rows(self, keep: str | None) -> None:
        self.clear()
        self._order = list(self._views)
        for view in self._views.values():
            self.add_row(*self._cells(view), key=view.key)
        if keep in self._views:
            self.move_cursor(row=self._order.index(keep), animate=False)

    def _update_row(self, view: SnapshotView) -> None:
        for column, cell in zip(self._columns, self._cells(view), strict=True):
            try:
                self.update_cell(view.key, column.key, cell)
            except CellDoesNotExist:
                return

    # ---- cells -----------------------------------------------------------------------------

    def _cells(self, view: SnapshotView) -> list[object]:
        if self._columns is _COMPACT:
            return [self._state_cell(view, short=True), Text(view.key), self._note_cell(view)]
        loading = view.progress is not None and view.state is SnapshotState.LOADING
        return [
            self._state_cell(view, short=False),
            Text(view.customer),
            Text(view.timestamp),
            Text(progress_text(view.progress) if loading else ""),
            Text(rate_text(view.progress) if loading else self._rows(view)),
            Text(duration_text(view.duration_seconds)),
            self._note_cell(view),
        ]

    def _state_cell(self, view: SnapshotView, *, short: bool) -> StyledCell:
        label = state_label(view.state)
        if short and view.state in _SHORT_STATE:
            label = f"{view.state.symbol} {_SHORT_STATE[view.state]}"
        return StyledCell(self, f"snapshots-table--{view.state.value}", label)

    def _note_cell(self, view: SnapshotView) -> StyledCell | Text:
        now = self._now()
        countdown = countdown_text(view, now)
        if countdown is not None:
            component = "held" if view.held else "countdown"
            return StyledCell(self, f"snapshots-table--{component}", countdown)
        if self._columns is _COMPACT and view.state is SnapshotState.LOADING and view.progress:
            text = f"{progress_text(view.progress)} {rate_text(view.progress)}"
            return Text(text.strip())
        note = note_text(view, now, limit=self._note_width)
        if self._columns is _COMPACT and not note and (rows := self._rows(view)):
            note = rows
        if view.state in {SnapshotState.FAILED, SnapshotState.REJECTED}:
            return StyledCell(self, "snapshots-table--error", note)
        return Text(note)

    @staticmethod
    def _rows(view: SnapshotView) -> str:
        if view.nodes is None and view.relationships is None:
            return ""
        nodes = short_count_text(view.nodes or 0)
        relationships = short_count_text(view.relationships or 0)
        return f"{nodes} n · {relationships} r"
