"""The snapshots a console knows about, in the order and selection it shows them.

Plain Python (no widgets) so ordering, filtering and counting are tested without a terminal.
The engine sends complete views, so the board only ever replaces a snapshot's view.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from bgtui.domain.names import parse_timestamp
from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.events import SnapshotView

_UNKNOWN_TIME = datetime.min.replace(tzinfo=UTC)


def _taken_at(view: SnapshotView) -> datetime:
    """When the snapshot was taken, for ordering; rejected folder names sort last."""
    try:
        return parse_timestamp(view.timestamp)
    except ValueError:
        return _UNKNOWN_TIME


class SnapshotBoard:
    """Every snapshot's latest view, newest first, narrowed by a filter and attention view."""

    def __init__(self) -> None:
        self._views: dict[str, SnapshotView] = {}
        self._taken: dict[str, datetime] = {}
        self.filter_text = ""
        self.attention_only = False

    def apply(self, view: SnapshotView) -> None:
        if view.key not in self._taken:
            self._taken[view.key] = _taken_at(view)
        self._views[view.key] = view

    def get(self, key: str | None) -> SnapshotView | None:
        return None if key is None else self._views.get(key)

    def __len__(self) -> int:
        return len(self._views)

    def matches(self, view: SnapshotView) -> bool:
        """Does the row pass the attention view and every word of the filter?"""
        if self.attention_only and not view.state.needs_attention:
            return False
        haystack = " ".join(
            part
            for part in (
                view.customer,
                view.timestamp,
                view.database or "",
                view.state.value.replace("_", " "),
                view.detail,
                view.error or "",
            )
        ).casefold()
        return all(word in haystack for word in self.filter_text.casefold().split())

    def visible(self) -> list[SnapshotView]:
        """The rows to show: newest snapshot first, then by customer."""
        shown = [view for view in self._views.values() if self.matches(view)]
        shown.sort(key=lambda view: view.customer)
        shown.sort(key=lambda view: self._taken[view.key], reverse=True)
        return shown

    def counts(self) -> Counter[SnapshotState]:
        """How many snapshots are in each state (all of them, whatever the filter)."""
        return Counter(view.state for view in self._views.values())

    def active(self) -> list[SnapshotView]:
        """Snapshots the engine is working on right now (quitting would interrupt them)."""
        return [view for view in self._views.values() if view.state.is_active]

    def is_narrowed(self) -> bool:
        return self.attention_only or bool(self.filter_text.strip())
