"""The load progress meter: throttled to a few reports a second, with honest rates."""

from __future__ import annotations

from bgtui.engine.events import LoadProgress
from bgtui.graph.load_progress import ProgressMeter


class ManualClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_reports_are_throttled_to_the_interval() -> None:
    clock = ManualClock()
    reports: list[LoadProgress] = []
    meter = ProgressMeter(reports.append, clock, interval=0.25)
    meter.begin("nodes", 10_000)
    for _ in range(100):  # 100 batches within 0.99 s
        clock.now += 0.01
        meter.advance(10)
    # One report at the phase start, then at most one per 0.25 s.
    assert 4 <= len(reports) <= 5
    assert all(
        later_done > earlier_done
        for earlier_done, later_done in zip(
            [r.rows_done for r in reports], [r.rows_done for r in reports[1:]], strict=False
        )
    )


def test_rate_and_eta_follow_the_rows_done() -> None:
    clock = ManualClock()
    reports: list[LoadProgress] = []
    meter = ProgressMeter(reports.append, clock, interval=0.25)
    meter.begin("nodes", 1_000)
    clock.now += 2.0
    meter.advance(400)
    last = reports[-1]
    assert last.phase == "nodes"
    assert last.rows_done == 400
    assert last.rows_per_second == 200.0
    assert last.eta_seconds == 3.0  # 600 rows left at 200 rows/s


def test_unknown_total_gives_no_eta() -> None:
    clock = ManualClock()
    reports: list[LoadProgress] = []
    meter = ProgressMeter(reports.append, clock)
    meter.begin("nodes", None)
    clock.now += 1.0
    meter.advance(50)
    assert reports[-1].eta_seconds is None
    assert reports[-1].rows_per_second == 50.0


def test_a_new_phase_reports_at_once_and_can_keep_the_count() -> None:
    clock = ManualClock()
    reports: list[LoadProgress] = []
    meter = ProgressMeter(reports.append, clock, interval=10.0)
    meter.begin("nodes", 300)
    meter.advance(100)  # throttled away
    meter.begin("relationships", 300, keep_count=True)
    assert (reports[-1].phase, reports[-1].rows_done) == ("relationships", 100)
    meter.begin("finalising", 100)
    assert (reports[-1].phase, reports[-1].rows_done) == ("finalising", 0)
