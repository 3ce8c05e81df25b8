"""The console hosting the real controller (its in-memory ports from the engine's own tests):
the command surface the fake imitates is the one the console really gets."""

from __future__ import annotations

from bgtui.domain.policy import PromotionPolicy
from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.clock import ManualClock
from bgtui.engine.controller import Controller
from bgtui.ui.app import BgtuiApp
from bgtui.ui.options import ConsoleOptions
from bgtui.ui.screens.approve import ApproveScreen
from bgtui.ui.screens.confirm_rollback import RollbackScreen
from tests.helpers.engine import make_settings
from tests.helpers.ui import OPERATOR, row_text, shown_keys, wait_until
from tests.unit.engine.doubles import InMemoryGraph, InMemoryHistory, discovery

FIRST, SECOND = "acme/1714564800", "acme/1714651200"


async def test_approve_and_roll_back_through_the_real_controller() -> None:
    graph, history, clock = InMemoryGraph(), InMemoryHistory(), ManualClock()
    settings = make_settings(default_policy=PromotionPolicy("manual", 60.0, 2))
    controller = Controller(settings, graph, history, clock=clock)
    app = BgtuiApp(controller, ConsoleOptions(operator=OPERATOR), now=clock.now)
    async with app.run_test(size=(120, 36)) as pilot:
        for key in (FIRST, SECOND):
            customer, _, timestamp = key.partition("/")
            await controller.handle_discovery(discovery(customer, timestamp))
            await wait_until(pilot, lambda k=key: k in shown_keys(app), timeout=5)
            await wait_until(pilot, lambda k=key: "awaiting" in row_text(app, k), timeout=5)
            app.main.snapshots.select(key)
            await pilot.pause()
            await pilot.press("a")
            await wait_until(pilot, lambda: isinstance(app.screen, ApproveScreen))
            await wait_until(pilot, lambda: app.screen.preview is not None)  # type: ignore[attr-defined]
            await pilot.click("#confirm")
            await wait_until(pilot, lambda k=key: "● live" in row_text(app, k), timeout=5)

        assert graph.aliases == {"acme": "acme-1714651200"}
        assert "○ standby" in row_text(app, FIRST)
        await controller.refresh_health()  # the rollback target must be seen online

        app.main.snapshots.select(SECOND)
        await pilot.pause()
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, RollbackScreen))
        await wait_until(pilot, lambda: app.screen.options)  # type: ignore[attr-defined]
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: graph.aliases == {"acme": "acme-1714564800"}, timeout=5)
        await wait_until(pilot, lambda: "● live" in row_text(app, FIRST))
        assert controller.snapshots[SECOND].state is SnapshotState.ROLLED_BACK
        actors = {actor for *_, actor in history.alias_changes}
        assert actors == {OPERATOR}
