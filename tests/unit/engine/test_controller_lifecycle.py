"""The snapshot life cycle through the controller, with in-memory ports and a manual clock."""

from __future__ import annotations

import threading

import pytest

from bgtui.domain.policy import PromotionPolicy, ValidationCheck
from bgtui.domain.snapshot import SnapshotState as S
from bgtui.engine.commands import CommandRefused
from bgtui.engine.events import ControllerChanged, Notice
from bgtui.engine.ports import GraphError, ServerInfo
from tests.helpers.engine import Harness, make_settings

from .doubles import Record, discovery

ACME_1 = "acme/1714564800"
ACME_2 = "acme/1714651200"
ACME_3 = "acme/1714737600"


async def started(**overrides: object) -> Harness:
    h = Harness(make_settings(**overrides))
    await h.controller.start()
    return h


async def test_a_ready_snapshot_goes_live_and_creates_the_alias(harness: Harness) -> None:
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.LIVE)
    assert harness.graph.aliases == {"acme": "acme-1714564800"}
    assert harness.history.states_of(ACME_1) == [
        S.SEEN,
        S.QUEUED,
        S.LOADING,
        S.VALIDATING,
        S.PROMOTING,
        S.LIVE,
    ]
    assert harness.history.alias_changes == [("acme", None, "acme-1714564800", "create", "bgtui")]


async def test_the_next_snapshot_alters_the_alias_and_keeps_the_old_one_as_standby(
    harness: Harness,
) -> None:
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.LIVE)
    await harness.controller.handle_discovery(discovery("acme", "1714651200"))
    await harness.wait_state(ACME_2, S.LIVE)
    assert harness.state(ACME_1) is S.STANDBY
    assert ("alter_alias", ("acme", "acme-1714651200")) in harness.graph.calls
    assert not any(name == "drop_alias" for name, _ in harness.graph.calls)


async def test_a_snapshot_not_yet_complete_is_only_seen(harness: Harness) -> None:
    await harness.controller.handle_discovery(discovery("acme", "1714564800", ready=False))
    assert harness.state(ACME_1) is S.SEEN
    assert not any(name == "create_database" for name, _ in harness.graph.calls)


async def test_a_rejected_folder_never_reaches_neo4j(harness: Harness) -> None:
    await harness.controller.handle_discovery(
        discovery("acme", "1714564800", ready=False, problem="symlink leads outside the base path")
    )
    assert harness.state(ACME_1) is S.REJECTED
    assert not any(name == "create_database" for name, _ in harness.graph.calls)


async def test_the_same_snapshot_reported_twice_loads_once(harness: Harness) -> None:
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.LIVE)
    loads = [args for name, args in harness.graph.calls if name == "load_snapshot"]
    assert loads == [("acme-1714564800",)]


async def test_manual_policy_waits_for_approval_and_records_the_approver() -> None:
    h = await started(default_policy=PromotionPolicy("manual", 60.0, 1))
    try:
        await h.controller.handle_discovery(discovery("acme", "1714564800"))
        await h.wait_state(ACME_1, S.AWAITING_APPROVAL)
        assert h.graph.aliases == {}
        await h.controller.approve(ACME_1, "alice", "checked the counts")
        assert h.state(ACME_1) is S.LIVE
        assert h.history.alias_changes[-1] == ("acme", None, "acme-1714564800", "create", "alice")
    finally:
        await h.controller.stop()


async def test_approve_is_refused_for_a_snapshot_that_is_not_waiting(harness: Harness) -> None:
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.LIVE)
    with pytest.raises(CommandRefused, match="awaiting approval"):
        await harness.controller.approve(ACME_1, "alice", "")


async def test_auto_after_promotes_when_the_countdown_ends_unless_held() -> None:
    h = await started(default_policy=PromotionPolicy("auto_after", 30.0, 1))
    try:
        await h.controller.handle_discovery(discovery("acme", "1714564800"))
        await h.wait_state(ACME_1, S.AWAITING_APPROVAL)
        await h.controller.hold(ACME_1, "bob", held=True)
        h.clock.advance(31)
        await h.controller.tick()
        assert h.state(ACME_1) is S.AWAITING_APPROVAL
        await h.controller.hold(ACME_1, "bob", held=False)
        h.clock.advance(29)
        await h.controller.tick()
        assert h.state(ACME_1) is S.AWAITING_APPROVAL
        h.clock.advance(2)
        await h.controller.tick()
        await h.wait_state(ACME_1, S.LIVE)
    finally:
        await h.controller.stop()


async def test_count_mismatch_fails_validation_and_leaves_the_alias_alone(harness: Harness) -> None:
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.LIVE)
    original = harness.graph.load_snapshot

    def short_load(database, *args, **kwargs):  # type: ignore[no-untyped-def]
        report = original(database, *args, **kwargs)
        harness.graph.counts_by_db[database] = ({"Person": 2}, {"KNOWS": 2})
        return report

    harness.graph.load_snapshot = short_load  # type: ignore[method-assign]
    await harness.controller.handle_discovery(discovery("acme", "1714651200"))
    await harness.wait_state(ACME_2, S.FAILED)
    tracked = harness.controller.snapshots[ACME_2]
    assert (
        tracked.error is not None
        and "label Person: snapshot had 3, database has 2" in tracked.error
    )
    assert harness.graph.aliases == {"acme": "acme-1714564800"}


async def test_a_failing_check_blocks_promotion() -> None:
    check = ValidationCheck("has people", "MATCH (n:`Person`) RETURN count(n) AS count", ">= 10")
    h = await started(checks=(check,))
    try:
        await h.controller.handle_discovery(discovery("acme", "1714564800"))
        await h.wait_state(ACME_1, S.FAILED)
        assert "has people" in (h.controller.snapshots[ACME_1].error or "")
        assert h.graph.aliases == {}
    finally:
        await h.controller.stop()


async def test_a_transient_error_is_retried_from_a_clean_database(harness: Harness) -> None:
    harness.graph.load_failures.append(GraphError("connection lost", transient=True))
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_for(lambda: harness.state(ACME_1) in {S.QUEUED, S.LIVE})
    await harness.controller.tick()
    await harness.wait_state(ACME_1, S.LIVE)
    drops = [args for name, args in harness.graph.calls if name == "drop_database"]
    assert drops.count(("acme-1714564800",)) >= 2  # after the failure, and before the retry
    assert harness.controller.snapshots[ACME_1].attempts == 2


async def test_a_permanent_error_fails_without_retry_and_drops_the_partial_database(
    harness: Harness,
) -> None:
    harness.graph.load_failures.append(GraphError("syntax", transient=False))
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.FAILED)
    assert "acme-1714564800" not in harness.graph.databases
    await harness.controller.retry(ACME_1, "carol")
    await harness.wait_state(ACME_1, S.LIVE)


async def test_one_customers_failure_does_not_stop_the_others(harness: Harness) -> None:
    harness.graph.load_failures.append(GraphError("boom", transient=False))
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.FAILED)
    await harness.controller.handle_discovery(discovery("globex", "1714564800"))
    await harness.wait_state("globex/1714564800", S.LIVE)


async def test_rollback_returns_the_alias_to_the_previous_database(harness: Harness) -> None:
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.LIVE)
    await harness.controller.handle_discovery(discovery("acme", "1714651200"))
    await harness.wait_state(ACME_2, S.LIVE)
    await harness.controller.refresh_health()
    options = await harness.controller.rollback_options("acme")
    assert [o.database for o in options] == ["acme-1714564800"] and options[0].is_default
    await harness.controller.rollback("acme", "dave", "bad data")
    assert harness.graph.aliases["acme"] == "acme-1714564800"
    assert harness.state(ACME_1) is S.LIVE and harness.state(ACME_2) is S.ROLLED_BACK
    assert harness.history.alias_changes[-1] == (
        "acme",
        "acme-1714651200",
        "acme-1714564800",
        "rollback",
        "dave",
    )


async def test_rollback_without_an_earlier_database_is_refused(harness: Harness) -> None:
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.LIVE)
    with pytest.raises(CommandRefused, match="no earlier database"):
        await harness.controller.rollback("acme", "dave", "why not")


async def test_an_alias_moved_outside_bgtui_stops_the_promotion(harness: Harness) -> None:
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.LIVE)
    harness.graph.databases["elsewhere"] = "online"
    harness.graph.aliases["acme"] = "elsewhere"
    await harness.controller.handle_discovery(discovery("acme", "1714651200"))
    await harness.wait_state(ACME_2, S.AWAITING_APPROVAL)
    assert harness.graph.aliases["acme"] == "elsewhere"
    assert "changed outside bgtui" in harness.controller.snapshots[ACME_2].detail
    assert any(change[3] == "drift" for change in harness.history.alias_changes)
    await harness.controller.approve(ACME_2, "erin", "drift understood")
    assert harness.graph.aliases["acme"] == "acme-1714651200"


async def test_retention_keeps_live_and_one_previous(harness: Harness) -> None:
    for key in (ACME_1, ACME_2, ACME_3):
        customer, timestamp = key.split("/")
        await harness.controller.refresh_health()
        await harness.controller.handle_discovery(discovery(customer, timestamp))
        await harness.wait_state(key, S.LIVE)
    await harness.wait_state(ACME_1, S.RETIRED)
    assert "acme-1714564800" not in harness.graph.databases
    assert {"acme-1714651200", "acme-1714737600"} <= set(harness.graph.databases)


async def test_an_older_snapshot_after_a_newer_live_one_is_stale(harness: Harness) -> None:
    await harness.controller.handle_discovery(discovery("acme", "1714651200"))
    await harness.wait_state(ACME_2, S.LIVE)
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    assert harness.state(ACME_1) is S.STALE
    await harness.controller.retry(ACME_1, "frank")
    await harness.wait_state(ACME_1, S.AWAITING_APPROVAL)  # never auto-promoted
    assert harness.graph.aliases["acme"] == "acme-1714651200"


async def test_a_newer_ready_snapshot_supersedes_a_queued_older_one() -> None:
    h = await started(max_parallel_loads=1)
    gate = threading.Event()
    h.graph.load_gate = gate
    try:
        await h.controller.handle_discovery(discovery("globex", "1714564800"))
        await h.wait_state("globex/1714564800", S.LOADING)
        await h.controller.handle_discovery(discovery("acme", "1714564800"))
        await h.controller.handle_discovery(discovery("acme", "1714651200"))
        await h.wait_state(ACME_1, S.SUPERSEDED)
        gate.set()
        await h.wait_state(ACME_2, S.LIVE)
        assert h.state(ACME_1) is S.SUPERSEDED
    finally:
        gate.set()
        await h.controller.stop()


async def test_the_health_gate_holds_loads_and_says_why() -> None:
    h = await started(heap_threshold_percent=80.0, gate_recheck_seconds=10.0)
    try:
        h.graph.heap_percent = 95.0
        await h.controller.refresh_health()
        await h.controller.handle_discovery(discovery("acme", "1714564800"))
        assert h.state(ACME_1) is S.QUEUED
        assert "heap 95% is at or above 80%" in h.controller.snapshots[ACME_1].detail
        h.graph.heap_percent = 50.0
        await h.controller.refresh_health()
        h.clock.advance(11)
        await h.controller.tick()
        await h.wait_state(ACME_1, S.LIVE)
    finally:
        await h.controller.stop()


async def test_a_load_cut_off_by_a_restart_is_requeued_from_a_clean_database() -> None:
    h = Harness(make_settings())
    h.graph.databases["acme-1714564800"] = "online"  # the partial database left behind
    h.history.preset.append(Record(ACME_1, "acme", "1714564800", "/s/acme/1714564800", "loading"))
    await h.controller.start()
    try:
        await h.wait_state(ACME_1, S.LIVE)
        states = h.history.states_of(ACME_1)
        assert states[:2] == [S.FAILED, S.QUEUED]
        assert ("drop_database", ("acme-1714564800",)) in h.graph.calls
    finally:
        await h.controller.stop()


async def test_restart_takes_alias_targets_from_neo4j() -> None:
    h = Harness(make_settings())
    h.graph.databases.update({"acme-1714564800": "online", "acme-1714651200": "online"})
    h.graph.aliases["acme"] = "acme-1714564800"
    h.history.preset += [
        Record(ACME_1, "acme", "1714564800", "/s", "standby"),
        Record(ACME_2, "acme", "1714651200", "/s", "live"),
    ]
    await h.controller.start()
    try:
        assert h.state(ACME_1) is S.LIVE
        assert h.state(ACME_2) is S.STANDBY
        assert h.controller.customers["acme"].live_database == "acme-1714564800"
    finally:
        await h.controller.stop()


async def test_a_read_only_console_changes_nothing() -> None:
    h = Harness(make_settings())
    h.controller = h.build(read_only=True)
    await h.controller.start()
    try:
        await h.controller.handle_discovery(discovery("acme", "1714564800"))
        assert h.state(ACME_1) is S.QUEUED
        assert "read-only" in h.controller.snapshots[ACME_1].detail
        assert not any(name == "create_database" for name, _ in h.graph.calls)
        with pytest.raises(CommandRefused, match="read-only"):
            await h.controller.retry(ACME_1, "x")
    finally:
        await h.controller.stop()


async def test_a_badly_named_folder_is_rejected_without_disturbing_its_customer(
    harness: Harness,
) -> None:
    bad = discovery("acme", "not-a-time", ready=False, problem="not a timestamp")
    await harness.controller.handle_discovery(bad)
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.LIVE)
    assert harness.state("acme/not-a-time") is S.REJECTED


async def test_rollback_is_offered_before_the_next_health_reading(harness: Harness) -> None:
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.LIVE)
    await harness.controller.handle_discovery(discovery("acme", "1714651200"))
    await harness.wait_state(ACME_2, S.LIVE)
    # The health reading predates both databases; bgtui knows it created them.
    assert harness.controller.why_not("rollback", None, "acme") is None


async def test_community_edition_is_explained_and_nothing_is_loaded() -> None:
    h = Harness(make_settings())
    h.graph.server_info = lambda: ServerInfo("bolt://test", "5.26.0", "community")  # type: ignore[method-assign]
    await h.controller.start()
    try:
        await h.controller.handle_discovery(discovery("acme", "1714564800"))
        assert h.state(ACME_1) is S.QUEUED
        assert "Enterprise" in h.controller.snapshots[ACME_1].detail
        problems = [e.edition_problem for e in h.events if isinstance(e, ControllerChanged)]
        assert any(p and "Community" in p for p in problems)
        assert not any(name == "create_database" for name, _ in h.graph.calls)
    finally:
        await h.controller.stop()


async def test_alias_changes_are_refused_while_neo4j_is_unreachable() -> None:
    h = await started(default_policy=PromotionPolicy("manual", 60.0, 1))
    try:
        await h.controller.handle_discovery(discovery("acme", "1714564800"))
        await h.wait_state(ACME_1, S.AWAITING_APPROVAL)
        h.graph.reachable = False
        await h.controller.refresh_health()
        with pytest.raises(CommandRefused, match="Neo4j is unreachable"):
            await h.controller.approve(ACME_1, "alice", "")
        h.graph.reachable = True
        await h.controller.refresh_health()
        await h.controller.approve(ACME_1, "alice", "")
        assert h.state(ACME_1) is S.LIVE
    finally:
        await h.controller.stop()


async def test_a_restart_records_an_alias_moved_while_bgtui_was_away() -> None:
    h = Harness(make_settings())
    h.graph.databases.update({"acme-1714564800": "online", "acme-1714651200": "online"})
    h.graph.aliases["acme"] = "acme-1714564800"
    h.history.last_targets["acme"] = "acme-1714651200"
    h.history.preset += [
        Record(ACME_1, "acme", "1714564800", "/s", "standby"),
        Record(ACME_2, "acme", "1714651200", "/s", "live"),
    ]
    await h.controller.start()
    try:
        assert h.history.alias_changes[-1][1:4] == ("acme-1714651200", "acme-1714564800", "drift")
        notices = [e.message for e in h.events if isinstance(e, Notice)]
        assert any("bgtui last set acme-1714651200" in n for n in notices)
        assert h.state(ACME_1) is S.LIVE
    finally:
        await h.controller.stop()


async def test_a_rollback_confirmed_against_an_old_picture_is_refused(harness: Harness) -> None:
    for key in (ACME_1, ACME_2, ACME_3):
        customer, timestamp = key.split("/")
        await harness.controller.handle_discovery(discovery(customer, timestamp))
        await harness.wait_state(key, S.LIVE)
    # The operator saw acme-2 live when confirming; acme-3 went live meanwhile.
    with pytest.raises(CommandRefused, match="moved to acme-1714737600 after you confirmed"):
        await harness.controller.rollback(
            "acme", "dave", "bad", "acme-1714651200", expected_from="acme-1714651200"
        )
    assert harness.graph.aliases["acme"] == "acme-1714737600"
