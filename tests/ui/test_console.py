"""Console-wide behaviour: filter, attention view, help, history, read-only, quit, theme,
copy, pause, notices and health."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.binding import Binding
from textual.widgets import DataTable

from bgtui.domain.snapshot import SnapshotState
from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.confirm import ConfirmScreen
from bgtui.ui.screens.help import HelpScreen
from bgtui.ui.screens.history import HistoryScreen
from bgtui.ui.screens.main import MainScreen
from bgtui.ui.widgets.health_panel import HealthPanel
from tests.helpers.ui import OPERATOR, shown_keys, wait_until
from tests.ui.fake_engine import FakeEngine
from tests.ui.scenario import ACME_LIVE, GLOBEX_WAITING, UMBRELLA_FAILED


async def test_filter_narrows_rows_and_escape_brings_them_back(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: len(shown_keys(app)) == 7)
        await pilot.press("slash", *"umb")
        await wait_until(pilot, lambda: shown_keys(app) == [UMBRELLA_FAILED])
        await pilot.press("enter")
        assert app.focused is app.main.snapshots
        assert shown_keys(app) == [UMBRELLA_FAILED], "enter keeps the filter"

        await pilot.press("slash", "escape")
        await wait_until(pilot, lambda: len(shown_keys(app)) == 7)


async def test_the_needs_attention_view_shows_only_failed_and_waiting(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: len(shown_keys(app)) == 7)
        await pilot.press("n")
        await wait_until(pilot, lambda: len(shown_keys(app)) == 2)
        assert set(shown_keys(app)) == {GLOBEX_WAITING, UMBRELLA_FAILED}
        engine.put("initech", "20260102T113000Z", SnapshotState.FAILED, error="disk full")
        await wait_until(pilot, lambda: len(shown_keys(app)) == 3)
        await pilot.press("n")
        await wait_until(pilot, lambda: len(shown_keys(app)) == 7)


async def test_help_lists_every_binding_from_the_bindings(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        listed = {entry.description for entry in app.screen.entries}
        declared = {b.description for b in MainScreen.declared_bindings()} | {
            b.description for b in BgtuiApp.BINDINGS if b.description
        }
        assert declared <= listed
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_history_shows_runs_and_alias_changes(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("H")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        table: DataTable[object] = app.screen.query_one("#history-table", DataTable)
        await wait_until(pilot, lambda: table.row_count == 2)
        summaries = {str(table.get_row(row.key)[2]) for row in table.ordered_rows}
        assert "acme: acme-20260101t120000z -> acme-20260102t060000z" in summaries
        assert engine.called("history") == [(500, None)]
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_read_only_refuses_every_change_and_leaving_it_asks(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    engine.read_only = True
    app = make_app(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: GLOBEX_WAITING in shown_keys(app))
        app.main.snapshots.select(GLOBEX_WAITING)
        await pilot.pause()
        assert app.screen.query_one("#env-read-only").display
        for key in ("a", "h", "b"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            assert "read-only" in app.main.status.message
        assert engine.called("approve") == engine.called("hold") == []

        await pilot.press("R")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.main.read_only
        assert engine.called("set_read_only") == []

        await pilot.press("R")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: not app.main.read_only)
        assert engine.called("set_read_only") == [(False,)]
        assert not app.screen.query_one("#env-read-only").display


async def test_a_lock_held_elsewhere_keeps_the_console_read_only(
    make_app: Callable[..., BgtuiApp], engine: FakeEngine
) -> None:
    engine.read_only, engine.lock_holder = True, "ops-box:4242"
    app = make_app(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("R")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: "ops-box:4242" in app.main.status.message)
        assert app.main.read_only


async def test_quit_while_a_load_runs_asks_first(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: len(shown_keys(app)) == 7)
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "initech/20260102T113000Z" in str(app.screen.query_one(".dialog-message").render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.is_running and not engine.stopped

        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: not app.is_running)
    assert engine.stopped


async def test_quit_without_running_loads_does_not_ask(make_app: Callable[..., BgtuiApp]) -> None:
    idle = FakeEngine()
    app = BgtuiApp(idle, make_app().options, now=idle.clock.now)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: idle.started)
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running)
    assert idle.stopped


async def test_theme_key_switches_to_the_projector_and_back(
    make_app: Callable[..., BgtuiApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:  # tall: room for the big figures
        figures = app.screen.query_one("#key-figures")
        assert not figures.display
        await pilot.press("t")
        await pilot.pause()
        assert app.has_class("-projector") and figures.display
        await pilot.press("t")
        await pilot.pause()
        assert not app.has_class("-projector") and not figures.display


async def test_copy_puts_the_selected_database_on_the_clipboard(
    make_app: Callable[..., BgtuiApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: ACME_LIVE in shown_keys(app))
        app.main.snapshots.select(ACME_LIVE)
        await pilot.press("y")
        assert app.clipboard == "acme-20260102t060000z"
        app.main.aliases.focus()
        await pilot.press("y")
        assert app.clipboard == "acme"


async def test_pause_resumes_with_the_same_key_and_the_banner_says_so(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: engine.started)
        await pilot.press("p")
        await wait_until(
            pilot, lambda: "PAUSED" in str(app.screen.query_one("#env-watcher").render())
        )
        await pilot.press("p")
        await wait_until(
            pilot, lambda: "watching" in str(app.screen.query_one("#env-watcher").render())
        )
        assert engine.called("set_watcher_paused") == [(True,), (False,)]


@pytest.mark.parametrize(("bell", "rings_expected"), [(True, 1), (False, 0)])
async def test_notices_toast_and_ring_the_bell_only_when_a_person_is_needed(
    make_app: Callable[..., BgtuiApp], engine: FakeEngine, bell: bool, rings_expected: int
) -> None:
    app = make_app(bell=bell)
    rings: list[None] = []
    app.bell = lambda: rings.append(None)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        engine.notice("Loaded", "acme loaded")
        engine.notice("Approval needed", "globex waits for you", needs_person=True)
        await wait_until(pilot, lambda: len(app.main.notices.history) >= 2)
        assert {n.title for n in app.main.notices.history} >= {"Loaded", "Approval needed"}
        assert len(rings) == rings_expected


async def test_a_lost_connection_is_unmistakable(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.screen.query_one(HealthPanel)
        await wait_until(pilot, lambda: panel.has_class("-connected"))
        engine.set_health(connected=False, error="connection refused")
        await wait_until(pilot, lambda: panel.has_class("-disconnected"))
        assert "DISCONNECTED" in str(panel.query_one("#health-headline").render())
        assert "connection refused" in str(panel.query_one("#health-server").render())
        engine.set_health(connected=True, error=None, gate_open=False, gate_reason="heap 95%")
        await wait_until(pilot, lambda: panel.has_class("-degraded"))


async def test_the_palette_offers_every_action_and_explains_the_unavailable(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: ACME_LIVE in shown_keys(app))
        app.main.snapshots.select(ACME_LIVE)
        await pilot.pause()
        commands = {c.title.split(" (")[0]: c for c in app.get_system_commands(app.main)}
        for binding in MainScreen.declared_bindings():
            assert binding.description in commands
        assert commands["Approve"].help.startswith("not now: only a snapshot awaiting")
        await commands["Approve"].callback()
        assert "awaiting approval" in app.main.status.message
        await commands["Roll back"].callback()
        await wait_until(pilot, lambda: engine.called("rollback_options"))
        await pilot.press("escape")
        assert engine.called("rollback") == []
        assert OPERATOR not in str(engine.called("approve"))


def test_no_binding_collides_with_tmux_screen_or_flow_control() -> None:
    forbidden = {"ctrl+a", "ctrl+b", "ctrl+s", "ctrl+q"}
    keys = {
        key.strip()
        for binding in [*BgtuiApp.BINDINGS, *MainScreen.declared_bindings()]
        if isinstance(binding, Binding)
        for key in binding.key.split(",")
    }
    assert keys, "the bindings were read"
    assert not keys & forbidden
    assert not set(BgtuiApp._merge_bindings().key_to_bindings) & forbidden, "none inherited"


def test_run_console_hands_the_mouse_option_to_textual(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app(mouse=False)
    seen: dict[str, object] = {}
    app.run = lambda **kwargs: seen.update(kwargs)  # type: ignore[method-assign]
    app.run_console()
    assert seen == {"mouse": False}


async def test_tab_moves_through_the_panes(make_app: Callable[..., BgtuiApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.focused is app.main.snapshots
        await pilot.press("tab")
        assert app.focused is app.main.load_log
        await pilot.press("tab")
        assert app.focused is app.main.aliases
        await pilot.press("tab")
        assert app.focused is app.main.snapshots
