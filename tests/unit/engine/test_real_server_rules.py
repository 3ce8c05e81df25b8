"""Engine rules for what real Neo4j servers do: clusters that are not ready, servers that
refuse CREATE DATABASE or have no room for one, topologies, half-created databases."""

from __future__ import annotations

import pytest

from bgtui.domain.snapshot import SnapshotState as S
from bgtui.domain.topology import Topology
from bgtui.engine.commands import CommandRefused
from bgtui.engine.ports import GateClosedError, GraphError
from tests.helpers.engine import Harness, make_settings

from .doubles import discovery

ACME_1 = "acme/1714564800"
ACME_2 = "acme/1714651200"
WAITING = "waiting for 2 of 3 copies (1 copy up to 40 transaction(s) behind)"


async def started(**overrides: object) -> Harness:
    h = Harness(make_settings(**overrides))
    await h.controller.start()
    return h


async def test_no_promotion_while_copies_are_not_ready_and_the_reason_is_shown(
    harness: Harness,
) -> None:
    harness.graph.not_ready["acme-1714564800"] = WAITING
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.AWAITING_APPROVAL)
    tracked = harness.controller.snapshots[ACME_1]
    assert harness.graph.aliases == {}
    assert not any(name in ("create_alias", "alter_alias") for name, _ in harness.graph.calls)
    assert WAITING in (tracked.error or "")
    assert any(k == ACME_1 and WAITING in m for k, _, m in harness.history.logs)


async def test_promotion_goes_ahead_once_every_copy_is_ready(harness: Harness) -> None:
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.LIVE)
    waited = [args for name, args in harness.graph.calls if name == "wait_until_ready"]
    assert waited == [("acme-1714564800",)]
    names = [name for name, _ in harness.graph.calls]
    assert names.index("wait_until_ready") < names.index("create_alias")


async def test_rollback_waits_for_its_target_copies_too(harness: Harness) -> None:
    await harness.controller.handle_discovery(discovery("acme", "1714564800"))
    await harness.wait_state(ACME_1, S.LIVE)
    await harness.controller.handle_discovery(discovery("acme", "1714651200"))
    await harness.wait_state(ACME_2, S.LIVE)
    await harness.controller.refresh_health()
    harness.graph.not_ready["acme-1714564800"] = WAITING
    with pytest.raises(CommandRefused, match="waiting for 2 of 3 copies"):
        await harness.controller.rollback("acme", "dave", "bad data")
    assert harness.graph.aliases["acme"] == "acme-1714651200"


@pytest.mark.parametrize("lasting", [True, False])
async def test_a_server_that_cannot_take_a_database_closes_the_gate_and_the_snapshot_waits(
    lasting: bool,
) -> None:
    h = await started(gate_recheck_seconds=3600.0)
    try:
        reason = "Neo4j at bolt://test does not allow CREATE DATABASE"
        h.graph.create_failures.append(GateClosedError(reason, lasting=lasting))
        await h.controller.handle_discovery(discovery("acme", "1714564800"))
        await h.wait_state(ACME_1, S.QUEUED)
        await h.wait_for(lambda: not h.controller.memory.health.gate_open)
        tracked = h.controller.snapshots[ACME_1]
        assert h.controller.memory.health.gate_reason == reason
        assert tracked.attempts == 0 and S.FAILED not in h.history.states_of(ACME_1)
        assert reason in (tracked.detail or "")
        creates = [a for n, a in h.graph.calls if n == "create_database"]
        await h.controller.refresh_health()
        assert h.controller.memory.health.gate_reason == reason
        assert (
            [a for n, a in h.graph.calls if n == "create_database"]
            == creates
            == [("acme-1714564800",)]
        ), "no retry per snapshot while the gate is closed"
        after_create = h.graph.calls[h.graph.calls.index(("create_database", creates[0])) :]
        assert ("drop_database", ("acme-1714564800",)) not in after_create
    finally:
        await h.controller.stop()


async def test_a_half_created_database_is_dropped_after_a_failed_create() -> None:
    h = await started(max_retries=0)
    try:
        h.graph.create_failures.append(GraphError("connection lost during WAIT"))
        await h.controller.handle_discovery(discovery("acme", "1714564800"))
        await h.wait_state(ACME_1, S.FAILED)
        calls = h.graph.calls
        create_at = calls.index(("create_database", ("acme-1714564800",)))
        assert ("drop_database", ("acme-1714564800",)) in calls[create_at:]
    finally:
        await h.controller.stop()


async def test_the_customers_topology_or_the_default_reaches_create_database() -> None:
    h = await started(topology=Topology(1, 1), customer_topologies={"globex": Topology(3, 2)})
    try:
        await h.controller.handle_discovery(discovery("acme", "1714564800"))
        await h.controller.handle_discovery(discovery("globex", "1714564800"))
        await h.wait_state(ACME_1, S.LIVE)
        await h.wait_state("globex/1714564800", S.LIVE)
        assert h.graph.topologies == {
            "acme-1714564800": Topology(1, 1),
            "globex-1714564800": Topology(3, 2),
        }
    finally:
        await h.controller.stop()


ACME_3 = "acme/1714737600"


async def test_stop_standbys_keeps_one_standby_online_and_starts_another_for_a_rollback() -> None:
    from bgtui.domain.policy import PromotionPolicy

    h = await started(default_policy=PromotionPolicy("auto", 60.0, 2, stop_standbys=True))
    try:
        for stamp, key in (("1714564800", ACME_1), ("1714651200", ACME_2), ("1714737600", ACME_3)):
            await h.controller.handle_discovery(discovery("acme", stamp))
            await h.wait_state(key, S.LIVE)
        assert h.graph.databases["acme-1714564800"] == "offline"
        assert h.graph.databases["acme-1714651200"] == "online", "the newest standby stays up"
        assert ("stop_database", ("acme-1714651200",)) not in h.graph.calls
        await h.controller.refresh_health()
        await h.controller.rollback("acme", "dave", "bad data", target_database="acme-1714564800")
        start_at = h.graph.calls.index(("start_database", ("acme-1714564800",)))
        assert ("alter_alias", ("acme", "acme-1714564800")) in h.graph.calls[start_at:]
        assert h.graph.aliases["acme"] == "acme-1714564800"
    finally:
        await h.controller.stop()


async def test_without_stop_standbys_a_stopped_target_is_refused() -> None:
    h = await started()
    try:
        await h.controller.handle_discovery(discovery("acme", "1714564800"))
        await h.wait_state(ACME_1, S.LIVE)
        await h.controller.handle_discovery(discovery("acme", "1714651200"))
        await h.wait_state(ACME_2, S.LIVE)
        h.graph.databases["acme-1714564800"] = "offline"
        await h.controller.refresh_health()
        with pytest.raises(CommandRefused, match=r"not online|no earlier database"):
            await h.controller.rollback("acme", "dave", "x", target_database="acme-1714564800")
        assert not any(name == "start_database" for name, _ in h.graph.calls)
    finally:
        await h.controller.stop()
