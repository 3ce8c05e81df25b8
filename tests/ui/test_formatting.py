"""How values read on screen: countdowns, durations, progress, notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.events import LoadProgress, SnapshotView
from bgtui.ui.formatting import (
    clock_text,
    count_text,
    countdown_text,
    note_text,
    progress_text,
    rate_text,
    short_count_text,
    shorten,
    state_label,
)

NOW = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)


def view(state: SnapshotState, **changes: object) -> SnapshotView:
    base = SnapshotView("acme/1", "acme", "1", "acme-1", "acme", state)
    return base.__class__(**{**base.__dict__, **changes})


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, "0:00"), (0.2, "0:01"), (42, "0:42"), (61, "1:01"), (3_600, "1:00:00"), (-5, "0:00")],
)
def test_clock_text_rounds_up_and_never_goes_negative(seconds: float, expected: str) -> None:
    assert clock_text(seconds) == expected


def test_counts_read_in_full_or_short() -> None:
    assert count_text(12_400) == "12,400"
    assert count_text(None) == "-"
    assert [short_count_text(v) for v in (950, 12_400, 3_100_000)] == ["950", "12.4k", "3.1M"]


def test_progress_shows_a_bar_with_a_total_and_rows_without() -> None:
    assert progress_text(LoadProgress("nodes", 42, 100, 10.0, 5.8)) == "████░░░░░░  42%"
    assert progress_text(LoadProgress("nodes", 1_500, None, 10.0, None)) == "nodes 1.5k rows"
    assert rate_text(LoadProgress("nodes", 1, 2, 8_100.0, None)) == "8.1k rows/s"
    assert rate_text(LoadProgress("nodes", 1, 2, 0.0, None)) == ""


def test_countdown_only_while_awaiting_approval_with_a_target() -> None:
    due = NOW + timedelta(seconds=42)
    assert countdown_text(view(SnapshotState.AWAITING_APPROVAL, auto_promote_at=due), NOW) == (
        "promotes in 0:42"
    )
    held = view(SnapshotState.AWAITING_APPROVAL, auto_promote_at=due, held=True)
    assert countdown_text(held, NOW) == "held"
    assert countdown_text(view(SnapshotState.AWAITING_APPROVAL), NOW) is None
    assert countdown_text(view(SnapshotState.LIVE, auto_promote_at=due), NOW) is None


def test_note_prefers_countdown_then_error_then_detail() -> None:
    failed = view(SnapshotState.FAILED, error="counts differ\nlabel Person: 1 vs 2", detail="x")
    assert note_text(failed, NOW) == "counts differ"
    assert note_text(view(SnapshotState.QUEUED, detail="waiting for the gate"), NOW) == (
        "waiting for the gate"
    )
    assert shorten("a" * 10, 5) == "aaaa…"


def test_every_state_label_carries_its_symbol() -> None:
    for state in SnapshotState:
        assert state_label(state).startswith(state.symbol + " ")
    assert state_label(SnapshotState.AWAITING_APPROVAL) == "! awaiting approval"
