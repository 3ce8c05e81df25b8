"""Screenshots of the console compared with accepted SVGs (pytest-textual-snapshot).

Every frame is deterministic: the engine and the countdown read one fixed clock, log lines
carry that clock's time, and no toast is on screen. Regenerate with ``--snapshot-update``
only after looking at the new frames.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from bgtui.ui.app import BgtuiApp
from bgtui.ui.screens.approve import ApproveScreen
from bgtui.ui.screens.help import HelpScreen
from tests.helpers.ui import shown_keys, wait_until
from tests.ui.fake_engine import FakeEngine
from tests.ui.scenario import GLOBEX_WAITING, INITECH_LOADING, stream_logs


def _select(engine: FakeEngine, key: str) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, BgtuiApp)
        await wait_until(pilot, lambda: len(shown_keys(app)) == 7 and engine.started)
        stream_logs(engine)
        app.main.snapshots.select(key)
        await wait_until(pilot, lambda: len(app.main.load_log.lines_of(INITECH_LOADING)) == 2)
        await pilot.pause()

    return run_before


def test_main_screen_at_80x24(
    snap_compare: Any, engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    assert snap_compare(
        make_app(), terminal_size=(80, 24), run_before=_select(engine, INITECH_LOADING)
    )


def test_main_screen_at_160x45(
    snap_compare: Any, engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    assert snap_compare(
        make_app(), terminal_size=(160, 45), run_before=_select(engine, INITECH_LOADING)
    )


def test_production_banner_read_only_at_80x24(
    snap_compare: Any, engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    engine.read_only = True
    app = make_app(
        production=True, environment_name="eu-1", environment_colour="red", read_only=True
    )
    assert snap_compare(app, terminal_size=(80, 24), run_before=_select(engine, INITECH_LOADING))


def test_approval_dialog(
    snap_compare: Any, engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    select = _select(engine, GLOBEX_WAITING)

    async def run_before(pilot: Pilot[Any]) -> None:
        await select(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ApproveScreen))
        screen = pilot.app.screen
        assert isinstance(screen, ApproveScreen)
        await wait_until(pilot, lambda: screen.preview is not None)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_help_screen(
    snap_compare: Any, engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    select = _select(engine, INITECH_LOADING)

    async def run_before(pilot: Pilot[Any]) -> None:
        await select(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(100, 36), run_before=run_before)


def test_projector_theme_at_160x45(
    snap_compare: Any, engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    assert snap_compare(
        make_app(theme="projector"),
        terminal_size=(160, 45),
        run_before=_select(engine, INITECH_LOADING),
    )


def test_projector_theme_at_80x24(
    snap_compare: Any, engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    assert snap_compare(
        make_app(theme="projector"),
        terminal_size=(80, 24),
        run_before=_select(engine, GLOBEX_WAITING),
    )


def test_no_color_at_80x24(
    snap_compare: Any,
    engine: FakeEngine,
    make_app: Callable[..., BgtuiApp],
    monkeypatch: Any,
) -> None:
    """Under NO_COLOR, failed, awaiting and live still differ by symbol and weight."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(
        make_app(production=True, environment_name="eu-1"),
        terminal_size=(80, 24),
        run_before=_select(engine, GLOBEX_WAITING),
    )
