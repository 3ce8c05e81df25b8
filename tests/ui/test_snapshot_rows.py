"""The snapshots pane follows the engine: rows appear, move through states, count down."""

from __future__ import annotations

import threading
from collections.abc import Callable

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.events import Level
from bgtui.ui.app import BgtuiApp
from bgtui.ui.widgets.load_log import LINES_PER_SNAPSHOT
from tests.helpers.ui import row_text, shown_keys, wait_until
from tests.ui.fake_engine import FakeEngine
from tests.ui.scenario import GLOBEX_WAITING, INITECH_LOADING, stream_logs

NEW = "acme/20260102T130000Z"


async def test_a_snapshot_row_follows_its_load_to_live(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: INITECH_LOADING in shown_keys(app))
        assert NEW not in shown_keys(app)

        engine.put("acme", "20260102T130000Z", SnapshotState.QUEUED, detail="complete on disk")
        await wait_until(pilot, lambda: NEW in shown_keys(app))
        assert shown_keys(app)[0] == NEW, "the newest snapshot is listed first"
        assert "… queued" in row_text(app, NEW)

        engine.put("acme", "20260102T130000Z", SnapshotState.LOADING)
        engine.progress(NEW, 2_500, 10_000, 5_000.0)
        await wait_until(pilot, lambda: "25%" in row_text(app, NEW))
        assert "↻ loading" in row_text(app, NEW)
        assert "5.0k rows/s" in row_text(app, NEW)

        engine.put("acme", "20260102T130000Z", SnapshotState.VALIDATING, progress=None)
        await wait_until(pilot, lambda: "? validating" in row_text(app, NEW))
        assert "25%" not in row_text(app, NEW)

        engine.put(
            "acme", "20260102T130000Z", SnapshotState.LIVE, detail="", nodes=12_400, relationships=0
        )
        await wait_until(pilot, lambda: "● live" in row_text(app, NEW))
        assert "12.4k n" in row_text(app, NEW)


async def test_events_published_from_another_thread_reach_the_table(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        worker = threading.Thread(
            target=engine.put, args=("acme", "20260102T130000Z", SnapshotState.QUEUED)
        )
        worker.start()
        worker.join()
        await wait_until(pilot, lambda: NEW in shown_keys(app))


async def test_the_countdown_reads_from_the_console_clock(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: GLOBEX_WAITING in shown_keys(app))
        assert "promotes in 0:42" in row_text(app, GLOBEX_WAITING)
        engine.clock.advance(30)
        app.main.snapshots.refresh_countdowns()
        await pilot.pause()
        assert "promotes in 0:12" in row_text(app, GLOBEX_WAITING)


async def test_the_log_shows_the_selected_snapshot_and_keeps_a_bounded_buffer(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: INITECH_LOADING in shown_keys(app))
        log = app.main.load_log
        stream_logs(engine)
        app.main.snapshots.select(INITECH_LOADING)
        await wait_until(pilot, lambda: len(log.lines_of(INITECH_LOADING)) == 2)
        assert log.shown_key == INITECH_LOADING
        assert [line.message for line in log.lines_of(INITECH_LOADING)] == [
            "reading nodes/Person.csv",
            "batch 42 of 100 committed",
        ]

        engine.log(INITECH_LOADING, "batch 43 of 100 committed")
        engine.log("umbrella/20260102T100000Z", "not shown while initech is selected")
        await wait_until(pilot, lambda: len(log.lines_of(INITECH_LOADING)) == 3)
        await pilot.pause()
        drawn = " ".join(strip.text for strip in log.lines)
        assert "43 of 100" in drawn
        assert "not shown" not in drawn

        for number in range(LINES_PER_SNAPSHOT + 50):
            engine.log(INITECH_LOADING, f"line {number}", Level.DEBUG)
        await wait_until(pilot, lambda: log.last_line and log.last_line.message == "line 549")
        assert len(log.lines_of(INITECH_LOADING)) == LINES_PER_SNAPSHOT


async def test_the_cursor_follows_the_newest_until_the_operator_picks_a_row(
    engine: FakeEngine, make_app: Callable[..., BgtuiApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.main.snapshots
        await wait_until(pilot, lambda: len(shown_keys(app)) == 7)
        engine.put("acme", "20260102T130000Z", SnapshotState.QUEUED)
        await wait_until(pilot, lambda: NEW in shown_keys(app))
        assert table.selected_key == NEW, "untouched, the cursor stays on the newest row"

        await pilot.press("down")
        chosen = table.selected_key
        assert chosen != NEW
        engine.put("acme", "20260102T140000Z", SnapshotState.QUEUED)
        await wait_until(pilot, lambda: "acme/20260102T140000Z" in shown_keys(app))
        assert table.selected_key == chosen, "a new row never moves the operator's choice"
