"""What makes the console trustworthy in operation: the selection stays put, dialogs name what
they act on, notices never cover anything, and the full text is one key away."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable, Input, Static
from textual.widgets._toast import Toast

from bgtui.domain.snapshot import SnapshotState
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.approve import ApproveScreen
from bgtui.ui.screens.confirm_rollback import RollbackScreen
from bgtui.ui.screens.details import DetailsScreen
from bgtui.ui.screens.history import HistoryScreen
from bgtui.ui.screens.main import MainScreen
from bgtui.ui.widgets.attention_counter import AttentionCounter
from tests.helpers.ui import shown_keys, wait_until
from tests.ui.fake_engine import FakeEngine
from tests.ui.scenario import ACME_LIVE, GLOBEX_WAITING, HOOLI_QUEUED, UMBRELLA_FAILED


async def _select(app: BgtuiApp, pilot: object, key: str) -> None:
    await wait_until(pilot, lambda: key in shown_keys(app))  # type: ignore[arg-type]
    assert app.main.snapshots.select(key)
    await wait_until(
        pilot,  # type: ignore[arg-type]
        lambda: app.main.selected_view is not None and app.main.selected_view.key == key,
    )


async def test_a_resize_keeps_the_selection_and_b_opens_for_that_customer(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _select(app, pilot, GLOBEX_WAITING)
        for width, height in ((130, 40), (100, 30), (140, 40), (80, 24)):
            await pilot.resize_terminal(width, height)
            await pilot.pause(0.1)
            assert app.main.snapshots.selected_key == GLOBEX_WAITING, (width, height)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ApproveScreen))
        screen = app.screen
        assert isinstance(screen, ApproveScreen)
        assert screen.view.key == GLOBEX_WAITING
        assert "customer globex" in str(screen.query_one("#approve-subject").render())
        await pilot.press("escape")
        await _select(app, pilot, ACME_LIVE)
        await pilot.resize_terminal(130, 40)
        await pilot.pause(0.1)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, RollbackScreen))
        rollback = app.screen
        assert isinstance(rollback, RollbackScreen)
        assert rollback.alias.customer == "acme"
        assert "customer acme" in str(rollback.query_one(".dialog-title").render())


async def test_moving_the_cursor_then_new_rows_and_a_filter_keep_the_chosen_snapshot(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: len(shown_keys(app)) == 7)
        app.main.snapshots.focus()
        first = app.main.snapshots.selected_key
        await pilot.press("down", "down")
        chosen = app.main.snapshots.selected_key
        assert chosen is not None and chosen != first
        engine.put("zeta", "20270101T000000Z", SnapshotState.QUEUED)  # sorts first
        await wait_until(pilot, lambda: len(shown_keys(app)) == 8)
        assert app.main.snapshots.selected_key == chosen
        await pilot.press("slash")
        await pilot.press(*"hooli")
        await wait_until(pilot, lambda: shown_keys(app) == [HOOLI_QUEUED])
        await pilot.press("ctrl+u")  # clear the filter text
        app.main.query_one("#filter", Input).value = ""
        await wait_until(pilot, lambda: len(shown_keys(app)) == 8)
        assert app.main.snapshots.selected_key == chosen


async def test_approve_names_customer_alias_and_database(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _select(app, pilot, GLOBEX_WAITING)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ApproveScreen))
        subject = str(app.screen.query_one("#approve-subject", Static).render())
        assert "customer globex" in subject
        assert "database globex-20260102t110000z" in subject


async def test_in_production_a_reason_is_required_and_never_pre_filled(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app(production=True, environment_name="eu-1")
    async with app.run_test(size=(100, 36)) as pilot:
        await _select(app, pilot, GLOBEX_WAITING)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ApproveScreen))
        screen = app.screen
        assert screen.query_one("#approve-reason", Input).value == ""
        screen.query_one("#confirm").press()
        await wait_until(
            pilot,
            lambda: "reason is required" in str(screen.query_one("#approve-problem").render()),
        )
        assert app.screen is screen, "no approval without a reason"
        assert engine.called("approve") == []
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await _select(app, pilot, ACME_LIVE)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, RollbackScreen))
        assert app.screen.query_one("#rollback-reason", Input).value == ""


async def test_notices_are_one_line_held_while_a_dialog_is_open_and_merged_in_bursts(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _select(app, pilot, GLOBEX_WAITING)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ApproveScreen))
        before = app.main.status.message
        for n in range(12):
            engine.notice("Promoted", f"cust-{n:03} → cust-{n:03}-20260102t000000z")
        await wait_until(pilot, lambda: len(app.main.notices.history) == 12)
        await pilot.pause(0.2)
        assert app.main.status.message == before, "notices wait while the dialog is open"
        assert not list(app.query(Toast)), "no toast anywhere"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_until(pilot, lambda: "12 promoted" in app.main.status.message)
        assert not list(app.query(Toast))


async def test_the_attention_counter_counts_what_needs_a_person(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        counter = app.main.query_one(AttentionCounter)
        await wait_until(pilot, lambda: counter.count == 2)  # globex waits, umbrella failed
        assert "2 need you (n)" in str(counter.render())
        engine.put("umbrella", "20260102T100000Z", SnapshotState.QUEUED)
        await wait_until(pilot, lambda: counter.count == 1)


async def test_enter_shows_the_whole_failure_reason(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _select(app, pilot, UMBRELLA_FAILED)
        app.main.snapshots.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailsScreen))
        screen = app.screen
        assert isinstance(screen, DetailsScreen)
        facts = dict(screen.facts)
        assert facts["Reason"] == (
            "validation failed: label Person: snapshot had 1200, database has 1100"
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_history_at_80_columns_names_the_snapshot_and_enter_shows_who_and_why(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: engine.started)
        await pilot.press("H")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        history = app.screen
        table: DataTable[object] = history.query_one("#history-table", DataTable)
        await wait_until(pilot, lambda: table.row_count == 2)
        labels = [str(column.label) for column in table.columns.values()]
        assert labels[:2] == ["When (UTC)", "Snapshot"] and "Who" in labels
        snapshots = {str(table.get_row_at(i)[1]) for i in range(2)}
        assert UMBRELLA_FAILED in snapshots
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailsScreen))
        facts = dict(app.screen.facts)  # type: ignore[attr-defined]
        assert facts["Who"] == "bgtui" and facts["Why"]


async def test_the_filter_narrows_the_aliases_too(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.main.aliases.row_count >= 2)
        await pilot.press("slash")
        await pilot.press(*"globex")
        await wait_until(pilot, lambda: app.main.aliases.row_count == 1)
        assert app.main.aliases.selected_customer == "globex"


async def test_projector_is_a_registered_textual_theme(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert "bgtui-projector" in app.available_themes
        await pilot.press("t")
        await wait_until(pilot, lambda: app.theme == "bgtui-projector")
        assert app.has_class("-projector")
        await pilot.press("t")
        await wait_until(pilot, lambda: app.theme != "bgtui-projector")


async def test_needs_a_person_writes_a_desktop_notification_when_asked(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app(desktop_notify=True, bell=False)
    written: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        driver = app._driver
        assert driver is not None
        driver.write = written.append  # type: ignore[method-assign]
        engine.notice("Awaiting approval", "globex waits for you", needs_person=True)
        await wait_until(pilot, lambda: any("\x1b]9;" in text for text in written))
        assert any("\x1b]777;notify;Awaiting approval;globex waits for you" in t for t in written)


async def test_eight_customers_aliases_fit_at_80x24_without_scrolling(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    for customer in ("wayne", "stark", "tyrell"):
        engine.put(customer, "20260102T000000Z", SnapshotState.LIVE)
        engine.set_live(customer, f"{customer}-20260102t000000z")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        aliases = app.main.aliases
        await wait_until(pilot, lambda: aliases.row_count == 8)
        await pilot.pause(0.1)
        assert aliases.max_scroll_y == 0, "every alias on screen"
        cells = [str(aliases.get_row_at(i)[1]) for i in range(8)]
        assert "…-20260102t000000z" in cells, "the timestamp part of the name is kept"
