"""What the consoles and the engine ask of the history: ordering, filters, caps, totals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bgtui.domain.snapshot import SnapshotState as S
from bgtui.store.history import HistoryStore
from tests.helpers.store import T0, at, make_view

ACME_1, ACME_2, GLOBEX = "acme/20250301", "acme/20250314", "globex/20250314"


def _promotion_story(store: HistoryStore) -> None:
    """acme-20250301 goes live, then globex is seen, then acme-20250314 replaces it."""
    store.record_snapshot(make_view(ACME_1, S.STANDBY))
    store.record_snapshot(make_view(ACME_2, S.LIVE))
    store.record_transition(ACME_1, S.PROMOTING, S.LIVE, "alias switched", "bgtui", at(10))
    store.record_alias_change(
        "acme", "acme", None, "acme-20250301", "create", "bgtui", "first load", at(10)
    )
    store.record_transition(GLOBEX, None, S.SEEN, "found on disk", "bgtui", at(20))
    store.record_transition(ACME_2, S.PROMOTING, S.LIVE, "alias switched", "alice", at(30))
    store.record_alias_change(
        "acme", "acme", "acme-20250301", "acme-20250314", "promote", "alice", "approved", at(30)
    )
    store.record_transition(ACME_1, S.LIVE, S.STANDBY, "a newer one went live", "bgtui", at(30))


def test_history_is_newest_first_across_transitions_and_alias_changes(
    store: HistoryStore,
) -> None:
    _promotion_story(store)

    entries = store.history()

    assert [(e.at, e.kind, e.snapshot_key, e.summary) for e in entries] == [
        # same instant: the order they were recorded in, newest first
        (at(30), "transition", ACME_1, "live -> standby"),
        (at(30), "alias", ACME_2, "acme: acme-20250301 -> acme-20250314 (promote)"),
        (at(30), "transition", ACME_2, "promoting -> live"),
        (at(20), "transition", GLOBEX, "new -> seen"),
        (at(10), "alias", ACME_1, "acme: none -> acme-20250301 (create)"),
        (at(10), "transition", ACME_1, "promoting -> live"),
    ]
    promote = entries[1]
    assert (promote.customer, promote.actor, promote.reason) == ("acme", "alice", "approved")
    assert entries[3].reason == "found on disk"


def test_history_of_one_customer_leaves_the_others_out(store: HistoryStore) -> None:
    _promotion_story(store)

    acme = store.history(customer="acme")
    globex = store.history(customer="globex")

    assert len(acme) == 5
    assert {e.customer for e in acme} == {"acme"}
    assert [e.snapshot_key for e in globex] == [GLOBEX]
    assert store.history(customer="initech") == []


def test_history_limit_keeps_the_newest(store: HistoryStore) -> None:
    _promotion_story(store)

    newest = store.history(limit=2)

    assert [e.summary for e in newest] == [
        "live -> standby",
        "acme: acme-20250301 -> acme-20250314 (promote)",
    ]


def test_history_orders_by_time_even_when_recorded_out_of_order(store: HistoryStore) -> None:
    store.record_transition(ACME_1, None, S.SEEN, "late", "bgtui", at(50))
    store.record_transition(ACME_2, None, S.SEEN, "early", "bgtui", at(5))

    assert [e.reason for e in store.history()] == ["late", "early"]


def test_alias_changes_filter_by_customer_newest_first(store: HistoryStore) -> None:
    _promotion_story(store)
    store.record_alias_change(
        "globex", "globex", None, "globex-20250314", "create", "bgtui", "", at(40)
    )

    assert [c.to_database for c in store.alias_changes()] == [
        "globex-20250314",
        "acme-20250314",
        "acme-20250301",
    ]
    assert [c.kind for c in store.alias_changes(customer="acme")] == ["promote", "create"]
    assert len(store.alias_changes(limit=1)) == 1


def test_last_alias_target_is_what_bgtui_set_not_what_drift_found(store: HistoryStore) -> None:
    assert store.last_alias_target("acme") is None
    _promotion_story(store)
    store.record_alias_change(
        "acme", "acme", "acme-20250314", "acme-20250301", "drift", "outside bgtui", "", at(40)
    )

    assert store.last_alias_target("acme") == "acme-20250314"
    assert store.last_alias_target("globex") is None

    store.record_alias_change(
        "acme", "acme", "acme-20250314", "acme-20250301", "rollback", "bob", "bad", at(50)
    )
    assert store.last_alias_target("acme") == "acme-20250301"


def _stored_lines(path: Path, key: str) -> int:
    connection = sqlite3.connect(path)
    try:
        (count,) = connection.execute(
            "SELECT COUNT(*) FROM load_log WHERE snapshot_key = ?", (key,)
        ).fetchone()
        return int(count)
    finally:
        connection.close()


def test_the_load_log_keeps_only_the_newest_lines_of_each_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with HistoryStore(path, log_lines_kept=50) as store:
        for n in range(120):
            store.append_log(ACME_1, "info", f"line {n}", at(n))
        for n in range(10):
            store.append_log(ACME_2, "info", f"other {n}", at(n))

        kept = store.load_log(ACME_1, limit=1_000)
        assert [line.message for line in kept] == [f"line {n}" for n in range(70, 120)]
        assert len(store.load_log(ACME_2)) == 10
    # pruned in steps of a tenth of the cap: the file never holds much more than the cap
    assert 50 <= _stored_lines(path, ACME_1) <= 55
    assert _stored_lines(path, ACME_2) == 10


def test_the_cap_holds_across_restarts_of_the_writer(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    for run in range(4):
        with HistoryStore(path, log_lines_kept=20) as store:
            for n in range(30):
                store.append_log(ACME_1, "info", f"run {run} line {n}", at(n))

    assert _stored_lines(path, ACME_1) <= 22
    with HistoryStore.open_read_only(path) as reader:
        assert reader.load_log(ACME_1)[-1].message == "run 3 line 29"


def test_the_load_log_limit_returns_the_newest_lines_oldest_first(store: HistoryStore) -> None:
    for n in range(30):
        store.append_log(ACME_1, "info", f"line {n}", at(n))

    assert [line.message for line in store.load_log(ACME_1, limit=3)] == [
        "line 27",
        "line 28",
        "line 29",
    ]


def test_counters_follow_the_old_status_files_meaning(store: HistoryStore) -> None:
    assert store.counters().discovered == 0
    assert store.counters().last_activity is None
    # acme-1: loads and passes validation first time.
    for before, after in [(None, S.SEEN), (S.SEEN, S.QUEUED), (S.QUEUED, S.LOADING)]:
        store.record_transition(ACME_1, before, after, "", "bgtui", at(1))
    store.record_transition(ACME_1, S.LOADING, S.VALIDATING, "", "bgtui", at(2))
    store.record_transition(ACME_1, S.VALIDATING, S.PROMOTING, "", "bgtui", at(3))
    # acme-2: a transient error (queued again), then validation fails.
    for before, after in [(None, S.SEEN), (S.SEEN, S.QUEUED), (S.QUEUED, S.LOADING)]:
        store.record_transition(ACME_2, before, after, "", "bgtui", at(4))
    store.record_transition(ACME_2, S.LOADING, S.QUEUED, "retry 1/3", "bgtui", at(5))
    store.record_transition(ACME_2, S.QUEUED, S.LOADING, "", "bgtui", at(6))
    store.record_transition(ACME_2, S.LOADING, S.VALIDATING, "", "bgtui", at(7))
    store.record_transition(ACME_2, S.VALIDATING, S.FAILED, "validation failed", "bgtui", at(8))
    # globex: seen, never complete.
    store.record_transition(GLOBEX, None, S.SEEN, "", "bgtui", at(9))
    store.record_snapshot(make_view(ACME_1, S.LIVE))
    store.record_snapshot(make_view(ACME_2, S.FAILED))
    store.record_snapshot(make_view(GLOBEX, S.SEEN))
    store.record_alias_change("acme", "acme", None, "acme-20250301", "create", "bgtui", "", at(11))

    counters = store.counters()

    assert counters.discovered == 2
    assert counters.completed == 1
    assert counters.failed == 1
    assert counters.retried == 1
    assert counters.queued == 0
    assert counters.success_rate == 50.0
    assert counters.last_activity == at(11)
    assert counters.by_state == {"failed": 1, "live": 1, "seen": 1}


def test_counters_count_the_snapshots_waiting_now(store: HistoryStore) -> None:
    store.record_snapshot(make_view(ACME_1, S.QUEUED))
    store.record_snapshot(make_view(ACME_2, S.QUEUED))
    store.record_snapshot(make_view(GLOBEX, S.LOADING, updated_at=T0))

    counters = store.counters()

    assert counters.queued == 2
    assert counters.by_state == {"loading": 1, "queued": 2}
    assert counters.success_rate == 0.0
