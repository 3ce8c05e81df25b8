"""Every record type goes into SQLite and comes back the same, with tz-aware times."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.events import LoadProgress
from bgtui.store.history import HistoryStore
from bgtui.store.records import AliasChangeRecord, LoadStatsRecord, LogRecord, TransitionRecord
from tests.helpers.store import T0, at, make_view

KEY = "acme/20250314"


def test_a_snapshot_comes_back_with_every_field_it_was_recorded_with(
    store: HistoryStore,
) -> None:
    view = make_view(
        KEY,
        SnapshotState.AWAITING_APPROVAL,
        detail="promotes automatically at 09:31:53 unless held",
        error="first attempt: connection reset",
        progress=LoadProgress("validating", 10, 10, 5.0, 0.0),
        snapshot_format="parquet",
        nodes=1_234,
        relationships=5_678,
        started_at=at(1),
        finished_at=at(61.5),
        auto_promote_at=at(361.5),
        held=True,
        attempts=2,
        updated_at=at(62),
    )

    store.record_snapshot(view, path=Path("/data/acme/20250314"))
    record = store.snapshot(KEY)

    assert record is not None
    assert (record.key, record.customer, record.timestamp) == (KEY, "acme", "20250314")
    assert (record.database, record.alias) == ("acme-20250314", "acme")
    assert record.path == "/data/acme/20250314"
    assert record.format == "parquet"
    assert record.state is SnapshotState.AWAITING_APPROVAL
    assert record.detail == view.detail
    assert record.error == view.error
    assert (record.attempts, record.nodes, record.relationships) == (2, 1_234, 5_678)
    assert (record.started_at, record.finished_at) == (at(1), at(61.5))
    assert record.auto_promote_at == at(361.5)
    assert record.held is True
    assert record.first_seen == at(62)
    assert record.updated_at == at(62)
    assert record.updated_at.tzinfo is not None


def test_a_newer_picture_replaces_the_old_but_keeps_first_seen_path_and_counts(
    store: HistoryStore,
) -> None:
    store.record_snapshot(
        make_view(KEY, SnapshotState.LIVE, nodes=10, relationships=20, snapshot_format="csv"),
        path=Path("/data/acme/20250314"),
    )
    # After a restart the engine knows neither the folder (views never carry it) nor the counts.
    later = make_view(KEY, SnapshotState.STANDBY, detail="a newer one went live", updated_at=at(90))
    store.record_snapshot(later)

    record = store.snapshot(KEY)
    assert record is not None
    assert record.state is SnapshotState.STANDBY
    assert record.detail == "a newer one went live"
    assert record.first_seen == T0
    assert record.updated_at == at(90)
    assert record.path == "/data/acme/20250314"
    assert (record.nodes, record.relationships, record.format) == (10, 20, "csv")
    assert len(store.snapshots()) == 1


def test_the_folder_is_derived_from_the_base_path_when_the_store_knows_it(
    tmp_path: Path,
) -> None:
    with HistoryStore(tmp_path / "h.sqlite3", base_path=Path("/srv/snapshots")) as store:
        store.record_snapshot(make_view(KEY))
        record = store.snapshot(KEY)
    assert record is not None
    assert record.path == "/srv/snapshots/acme/20250314"


def test_an_unknown_snapshot_is_none(store: HistoryStore) -> None:
    assert store.snapshot("nobody/20250314") is None


def test_times_in_other_zones_are_stored_as_the_same_instant(store: HistoryStore) -> None:
    tokyo = timezone(timedelta(hours=9))
    store.record_transition(KEY, None, SnapshotState.SEEN, "found", "bgtui", T0.astimezone(tokyo))
    (transition,) = store.transitions(KEY)
    assert transition.at == T0
    assert transition.at.utcoffset() == timedelta(0)


def test_naive_times_are_refused_rather_than_guessed(store: HistoryStore) -> None:
    with pytest.raises(ValueError, match="no time zone"):
        store.append_log(KEY, "info", "hello", datetime(2025, 3, 14, 9, 0))
    assert store.load_log(KEY) == []


def test_transitions_come_back_oldest_first_with_states_as_enums(store: HistoryStore) -> None:
    store.record_transition(KEY, None, SnapshotState.SEEN, "found on disk", "bgtui", at(0))
    store.record_transition(
        KEY, SnapshotState.SEEN, SnapshotState.QUEUED, "complete on disk", "bgtui", at(5)
    )
    store.record_transition(
        "globex/20250314", None, SnapshotState.SEEN, "found on disk", "bgtui", at(6)
    )

    assert store.transitions(KEY) == [
        TransitionRecord(KEY, "acme", None, SnapshotState.SEEN, "found on disk", "bgtui", at(0)),
        TransitionRecord(
            KEY,
            "acme",
            SnapshotState.SEEN,
            SnapshotState.QUEUED,
            "complete on disk",
            "bgtui",
            at(5),
        ),
    ]


def test_alias_changes_round_trip(store: HistoryStore) -> None:
    store.record_alias_change(
        "acme", "acme", "acme-20250301", "acme-20250314", "rollback", "alice", "bad data", at(3)
    )
    assert store.alias_changes() == [
        AliasChangeRecord(
            "acme", "acme", "acme-20250301", "acme-20250314", "rollback", "alice", "bad data", at(3)
        )
    ]


def test_an_alias_change_of_unknown_kind_is_refused(store: HistoryStore) -> None:
    with pytest.raises(ValueError, match="'switch' is not one of"):
        store.record_alias_change("acme", "acme", None, "acme-1", "switch", "bgtui", "", T0)
    assert store.alias_changes() == []


def test_load_stats_round_trip_with_the_rate_worked_out(store: HistoryStore) -> None:
    store.record_load_stats(KEY, 1, 3_000, 1_000, 5, 2, 8.0, at(10))
    store.record_load_stats(KEY, 2, 0, 0, 0, 0, 0.0, at(20))

    assert store.load_stats(KEY) == [
        LoadStatsRecord(KEY, 1, 3_000, 1_000, 5, 2, 8.0, 500.0, at(10)),
        LoadStatsRecord(KEY, 2, 0, 0, 0, 0, 0.0, 0.0, at(20)),
    ]
    assert store.load_stats("globex/20250314") == []


def test_log_lines_round_trip_in_the_order_written(store: HistoryStore) -> None:
    store.append_log(KEY, "info", "loading", at(1))
    store.append_log(KEY, "error", "line 7: bad id ⚠", at(1))
    store.append_log("globex/20250314", "info", "other", at(2))

    assert store.load_log(KEY) == [
        LogRecord(KEY, at(1), "info", "loading"),
        LogRecord(KEY, at(1), "error", "line 7: bad id ⚠"),
    ]
