"""The board's order, filter, attention view and counts."""

from __future__ import annotations

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.events import SnapshotView
from bgtui.ui.snapshot_board import SnapshotBoard


def view(key: str, state: SnapshotState, **changes: object) -> SnapshotView:
    customer, _, timestamp = key.partition("/")
    return SnapshotView(key, customer, timestamp, None, None, state, **changes)  # type: ignore[arg-type]


def board_of(*views: SnapshotView) -> SnapshotBoard:
    board = SnapshotBoard()
    for item in views:
        board.apply(item)
    return board


def test_newest_snapshot_first_whatever_the_arrival_order() -> None:
    board = board_of(
        view("b/20260101T000000Z", SnapshotState.LIVE),
        view("a/20260103T000000Z", SnapshotState.QUEUED),
        view("c/not-a-time", SnapshotState.REJECTED),
        view("a/20260102T000000Z", SnapshotState.STANDBY),
    )
    assert [v.key for v in board.visible()] == [
        "a/20260103T000000Z",
        "a/20260102T000000Z",
        "b/20260101T000000Z",
        "c/not-a-time",
    ]


def test_a_new_view_replaces_the_old_one() -> None:
    board = board_of(view("a/1", SnapshotState.LOADING))
    board.apply(view("a/1", SnapshotState.LIVE))
    assert len(board) == 1
    assert board.get("a/1").state is SnapshotState.LIVE  # type: ignore[union-attr]
    assert board.active() == []


def test_filter_words_must_all_match_any_field() -> None:
    board = board_of(
        view("acme/1", SnapshotState.FAILED, error="Disk full"),
        view("acme/2", SnapshotState.LIVE),
        view("globex/1", SnapshotState.FAILED, error="timeout"),
    )
    board.filter_text = "ACME disk"
    assert [v.key for v in board.visible()] == ["acme/1"]
    board.filter_text = "failed"
    assert {v.key for v in board.visible()} == {"acme/1", "globex/1"}
    assert board.is_narrowed()


def test_attention_view_and_counts_ignore_the_filter_for_counts() -> None:
    board = board_of(
        view("a/1", SnapshotState.AWAITING_APPROVAL),
        view("a/2", SnapshotState.LOADING),
        view("b/1", SnapshotState.FAILED),
    )
    board.attention_only = True
    assert {v.key for v in board.visible()} == {"a/1", "b/1"}
    assert board.counts()[SnapshotState.LOADING] == 1
    assert [v.key for v in board.active()] == ["a/2"]
