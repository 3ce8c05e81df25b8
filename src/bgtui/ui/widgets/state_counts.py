"""One line of counts by state (``● 2 live  ↻ 1 loading  ✗ 1 failed``) and what is shown."""

from __future__ import annotations

from collections import Counter

from textual.reactive import reactive
from textual.widgets import Static

from bgtui.domain.snapshot import SnapshotState

_ORDER = (
    SnapshotState.LIVE,
    SnapshotState.LOADING,
    SnapshotState.VALIDATING,
    SnapshotState.PROMOTING,
    SnapshotState.QUEUED,
    SnapshotState.AWAITING_APPROVAL,
    SnapshotState.FAILED,
    SnapshotState.REJECTED,
    SnapshotState.STANDBY,
    SnapshotState.ROLLED_BACK,
    SnapshotState.SUPERSEDED,
    SnapshotState.STALE,
    SnapshotState.SEEN,
    SnapshotState.RETIRED,
)


_SHORT = {SnapshotState.AWAITING_APPROVAL: "awaiting", SnapshotState.ROLLED_BACK: "rolled back"}


def counts_text(counts: Counter[SnapshotState]) -> str:
    parts = [
        f"{state.symbol} {counts[state]} {_SHORT.get(state, state.value)}"
        for state in _ORDER
        if counts[state]
    ]
    return "  ".join(parts) if parts else "no snapshots yet"


class StateCounts(Static):
    """How many snapshots are in each state, and how many the filter lets through."""

    counts: reactive[Counter[SnapshotState]] = reactive(Counter, always_update=True)
    narrowing: reactive[str] = reactive("")

    def render(self) -> str:
        text = counts_text(self.counts)
        return f"{text}   │ {self.narrowing}" if self.narrowing else text
