"""Throttled load progress: rows per second and time left, a few times a second at most.

A load may write tens of thousands of rows a second; the console needs a handful of updates a
second, so reports in between are dropped rather than queued.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bgtui.domain.graph import ProgressCallback
from bgtui.domain.views import LoadProgress

#: Minimum seconds between two reports (at most ~4 a second).
REPORT_INTERVAL_SECONDS = 0.25


class ProgressMeter:
    """Counts rows done in the current phase and reports them through ``callback``.

    Args:
        callback: receives each ``LoadProgress``.
        clock: monotonic seconds; replaceable in tests.
        interval: minimum seconds between two reports.
    """

    def __init__(
        self,
        callback: ProgressCallback,
        clock: Callable[[], float] = time.monotonic,
        interval: float = REPORT_INTERVAL_SECONDS,
    ) -> None:
        self._callback = callback
        self._clock = clock
        self._interval = interval
        self._phase = ""
        self._total: int | None = None
        self._done = 0
        self._phase_started = clock()
        self._last_report: float | None = None

    @property
    def rows_done(self) -> int:
        return self._done

    def begin(self, phase: str, total: int | None, *, keep_count: bool = False) -> None:
        """Start ``phase`` and report it at once, so the console shows the phase change.

        ``keep_count`` carries the row count (and the rate's starting time) over, for
        phases that share one total, such as nodes then relationships.
        """
        if not keep_count:
            self._done = 0
            self._phase_started = self._clock()
        self._phase = phase
        self._total = total
        self._report(self._clock())

    def advance(self, rows: int) -> None:
        """Count ``rows`` more; report if the last report is old enough."""
        self._done += rows
        now = self._clock()
        if self._last_report is None or now - self._last_report >= self._interval:
            self._report(now)

    def _report(self, now: float) -> None:
        self._last_report = now
        elapsed = now - self._phase_started
        rate = self._done / elapsed if elapsed > 0 else 0.0
        eta: float | None = None
        if self._total is not None and rate > 0:
            eta = max(0.0, (self._total - self._done) / rate)
        self._callback(LoadProgress(self._phase, self._done, self._total, rate, eta))
