"""A rollback means "stop here": the customer is held, and the database just left is never
offered as the previous live one."""

from __future__ import annotations

from bgtui.domain.policy import PromotionPolicy
from bgtui.domain.snapshot import SnapshotState as S
from bgtui.engine.commands import CommandRefused
from tests.helpers.engine import Harness, make_settings

from .doubles import discovery

ACME_1, ACME_2, ACME_3, ACME_4 = (
    "acme/1714564800",
    "acme/1714651200",
    "acme/1714737600",
    "acme/1714824000",
)


async def _three_live_in_turn(h: Harness) -> None:
    for key in (ACME_1, ACME_2, ACME_3):
        await h.controller.handle_discovery(discovery("acme", key.split("/")[1]))
        await h.wait_state(key, S.LIVE)
    await h.controller.refresh_health()


async def test_a_rolled_back_customer_is_held_until_released(harness: Harness) -> None:
    await _three_live_in_turn(harness)
    await harness.controller.rollback("acme", "dave", "bad 0300 export")
    assert harness.controller.customers["acme"].held_by == "dave"
    views = {view.customer: view for view in harness.controller.memory.alias_views()}
    assert views["acme"].held_by == "dave"

    await harness.controller.handle_discovery(discovery("acme", "1714824000"))
    await harness.wait_state(ACME_4, S.AWAITING_APPROVAL)  # auto policy, but held
    assert harness.graph.aliases["acme"] == "acme-1714651200"
    assert "held after rollback by dave" in harness.controller.snapshots[ACME_4].detail

    await harness.controller.release("acme", "erin", "fixed upstream")
    assert harness.controller.customers["acme"].held_by is None
    assert harness.history.alias_changes[-1][3:] == ("release", "erin")
    try:
        await harness.controller.release("acme", "erin", "again")
    except CommandRefused as exc:
        assert "not held" in str(exc)
    else:
        raise AssertionError("releasing a customer that is not held is refused")


async def test_the_database_just_left_is_never_the_default_target() -> None:
    harness = Harness(make_settings(default_policy=PromotionPolicy("auto", 60.0, 2)))
    await harness.controller.start()
    await _three_live_in_turn(harness)
    await harness.controller.rollback("acme", "dave", "bad data")  # 3 -> 2
    assert harness.graph.aliases["acme"] == "acme-1714651200"
    options = await harness.controller.rollback_options("acme")
    defaults = [o.database for o in options if o.is_default]
    assert defaults == ["acme-1714564800"], options
    left = next(o for o in options if o.database == "acme-1714737600")
    assert "rolled back from" in left.note and "dave" in left.note
    await harness.controller.rollback("acme", "dave", "still bad")  # the default: 2 -> 1
    assert harness.graph.aliases["acme"] == "acme-1714564800"
    await harness.controller.stop()


async def test_auto_after_countdowns_do_not_run_for_a_held_customer() -> None:
    h = Harness(make_settings(default_policy=PromotionPolicy("auto_after", 0.0, 2)))
    await h.controller.start()
    try:
        for key in (ACME_1, ACME_2):
            await h.controller.handle_discovery(discovery("acme", key.split("/")[1]))
            await h.wait_for(lambda k=key: h.state(k) in {S.AWAITING_APPROVAL, S.LIVE})
            await h.controller.tick()
            await h.wait_state(key, S.LIVE)
        await h.controller.refresh_health()
        await h.controller.rollback("acme", "dave", "bad")
        await h.controller.handle_discovery(discovery("acme", "1714737600"))
        await h.wait_state(ACME_3, S.AWAITING_APPROVAL)
        await h.controller.tick()
        assert h.state(ACME_3) is S.AWAITING_APPROVAL
        assert h.graph.aliases["acme"] == "acme-1714564800"
    finally:
        await h.controller.stop()
