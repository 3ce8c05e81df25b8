"""Approve, roll back, retry and hold from the keyboard: the dialogs, what the engine is
asked to do, and what happens when an action does not apply."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable, Input, OptionList

from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.approve import ApproveScreen
from bgtui.ui.screens.confirm_rollback import RollbackScreen
from bgtui.ui.screens.main import MainScreen
from bgtui.ui.screens.type_to_confirm import TypeToConfirmScreen
from tests.helpers.ui import OPERATOR, row_text, shown_keys, wait_until
from tests.ui.fake_engine import FakeEngine
from tests.ui.scenario import ACME_LIVE, GLOBEX_WAITING, UMBRELLA_FAILED


async def _select(app: BgtuiApp, pilot: object, key: str) -> None:
    await wait_until(pilot, lambda: key in shown_keys(app))  # type: ignore[arg-type]
    assert app.main.snapshots.select(key)
    await wait_until(
        pilot, lambda: app.main.selected_view is not None and app.main.selected_view.key == key
    )  # type: ignore[arg-type]


async def test_approve_shows_the_label_diff_then_sends_the_operator_as_actor(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _select(app, pilot, GLOBEX_WAITING)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ApproveScreen))
        dialog = app.screen
        await wait_until(pilot, lambda: dialog.preview is not None)
        diff: DataTable[object] = dialog.query_one("#approve-diff", DataTable)
        rows = {
            str(diff.get_row(row.key)[1]): str(diff.get_row(row.key)[4])
            for row in diff.ordered_rows
        }
        assert rows == {
            "Company": "=",
            "Office": "new",
            "Person": "+150",
            "LOCATED_IN": "new",
            "WORKS_AT": "+300",
        }
        assert engine.called("approve") == [], "nothing is sent before the operator confirms"

        await pilot.click("#confirm")
        await wait_until(pilot, lambda: engine.called("approve"))
        assert engine.called("approve") == [(GLOBEX_WAITING, OPERATOR, "approved in the console")]
        await wait_until(pilot, lambda: "● live" in row_text(app, GLOBEX_WAITING))


async def test_cancelling_the_approval_sends_nothing(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _select(app, pilot, GLOBEX_WAITING)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ApproveScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert engine.called("approve") == []
        assert "cancelled" in app.main.status.message


async def test_rollback_confirmed_goes_to_the_previous_live_database(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _select(app, pilot, ACME_LIVE)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, RollbackScreen))
        dialog = app.screen
        await wait_until(pilot, lambda: dialog.options)
        targets = dialog.query_one("#rollback-targets", OptionList)
        assert targets.highlighted == 0
        assert "previous live" in str(targets.get_option_at_index(0).prompt)
        assert "acme-20260102t060000z → acme-20260101t120000z" in str(
            dialog.query_one("#rollback-route").render()
        )
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: engine.called("rollback"))
        assert engine.called("rollback") == [
            ("acme", OPERATOR, "rolled back in the console", "acme-20260101t120000z")
        ]
        await wait_until(pilot, lambda: "↩ rolled back" in row_text(app, ACME_LIVE))


async def test_rollback_escape_cancels_without_calling_the_engine(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _select(app, pilot, ACME_LIVE)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, RollbackScreen))
        await wait_until(pilot, lambda: app.screen.options)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert engine.called("rollback") == []
        assert engine.called("rollback_options") == [("acme",)]


async def test_retry_requeues_a_failed_row(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _select(app, pilot, UMBRELLA_FAILED)
        await pilot.press("r")
        await wait_until(pilot, lambda: engine.called("retry"))
        assert engine.called("retry") == [(UMBRELLA_FAILED, OPERATOR)]
        await wait_until(pilot, lambda: "… queued" in row_text(app, UMBRELLA_FAILED))


async def test_a_disabled_action_on_the_wrong_row_says_why(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _select(app, pilot, ACME_LIVE)
        approve = app.screen.active_bindings["a"]
        assert approve.enabled is False, "shown in the footer, disabled"
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen), "no dialog for a row that cannot be approved"
        assert engine.called("approve") == []
        assert "only a snapshot awaiting approval can be approved (this one is live)" in (
            app.main.status.message
        )

        await pilot.press("r")
        await pilot.pause()
        assert "only a failed, stale or superseded snapshot" in app.main.status.message
        assert engine.called("retry") == []


async def test_hold_and_release_the_countdown_with_one_key(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _select(app, pilot, GLOBEX_WAITING)
        await pilot.press("h")
        await wait_until(pilot, lambda: "held" in row_text(app, GLOBEX_WAITING))
        assert engine.called("hold") == [(GLOBEX_WAITING, OPERATOR, True)]
        await pilot.press("h")
        await wait_until(pilot, lambda: "promotes in 1:00" in row_text(app, GLOBEX_WAITING))
        assert engine.called("hold")[-1] == (GLOBEX_WAITING, OPERATOR, False)


async def test_production_asks_for_the_customers_name_before_approving(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app(production=True, environment_colour="red")
    async with app.run_test(size=(80, 24)) as pilot:
        await _select(app, pilot, GLOBEX_WAITING)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ApproveScreen))
        await wait_until(pilot, lambda: app.screen.preview is not None)
        app.screen.query_one("#approve-reason", Input).value = "ticket 42: new export checked"
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: isinstance(app.screen, TypeToConfirmScreen))

        await pilot.press(*"acme", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TypeToConfirmScreen), "a wrong name does not confirm"
        assert engine.called("approve") == []

        app.screen.query_one(Input).value = ""
        await pilot.press(*"globex", "enter")
        await wait_until(pilot, lambda: engine.called("approve"))
        assert engine.called("approve") == [
            (GLOBEX_WAITING, OPERATOR, "ticket 42: new export checked")
        ]


async def test_production_rollback_cancelled_at_the_typed_name_sends_nothing(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app(production=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _select(app, pilot, ACME_LIVE)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, RollbackScreen))
        await wait_until(pilot, lambda: app.screen.options)
        app.screen.query_one("#rollback-reason", Input).value = "bad export"
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: isinstance(app.screen, TypeToConfirmScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert engine.called("rollback") == []


async def test_a_refusal_from_the_engine_is_said_in_its_words(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _select(app, pilot, UMBRELLA_FAILED)
        engine.refuse_next = "Neo4j at bolt://localhost:7687: connection refused"
        await pilot.press("r")
        await wait_until(pilot, lambda: engine.called("retry"))
        await wait_until(pilot, lambda: "connection refused" in app.main.status.message)
        assert "✗ failed" in row_text(app, UMBRELLA_FAILED)
