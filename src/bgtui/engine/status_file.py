"""Keeping the monitoring status file fresh: after every history write, and every few seconds.

The file is written on the history thread, after the writes it summarises; a failure is
shown as a warning and never stops the engine.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from bgtui.engine.events import Level
from bgtui.engine.journal import Journal
from bgtui.engine.ports import StatusExporter
from bgtui.engine.runner import Runner

_EXPORT_SECONDS = 5.0  # as often as the old pipeline rewrote its file


class StatusFile:
    """When to rewrite the status file, and who hears that it failed."""

    def __init__(self, exporter: StatusExporter | None, journal: Journal, run: Runner) -> None:
        self._exporter = exporter
        self._journal = journal
        self._run = run
        self._next_export = 0.0

    def refresh_if_due(self, now: float) -> None:
        """Rewrite after history changed, and often enough that the uptime stays fresh."""
        if self._journal.written_since_export or now >= self._next_export:
            self._journal.written_since_export = False
            self.export()

    def export(self, *, final: bool = False) -> None:
        exporter = self._exporter
        if exporter is None:
            return
        self._next_export = self._journal.clock.monotonic() + _EXPORT_SECONDS
        future = self._run.submit_write(exporter.write, "stopped" if final else "running")
        future.add_done_callback(self._written)

    def _written(self, future: Future[Any]) -> None:
        error = future.exception()
        if error is not None:
            self._run.from_thread(
                self._journal.notice, Level.WARNING, "Status file not written", str(error)
            )
