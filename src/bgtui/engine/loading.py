"""One load: clean database, streamed batches, validation, and what the policy says next.

Runs on the controller's loop; the blocking part (driver) runs in a worker thread and
reports progress and log lines back through the loop.
"""

from __future__ import annotations

import threading
import traceback
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.events import Level, LoadProgress, SnapshotChanged
from bgtui.engine.ports import GraphError
from bgtui.engine.settings import AUTO, AUTO_AFTER, SYSTEM_ACTOR
from bgtui.engine.tracking import TrackedSnapshot
from bgtui.engine.validation import validate_load

if TYPE_CHECKING:
    from bgtui.engine.controller import Controller


class Cancelled(Exception):
    """A load stopped because bgtui is stopping."""


class LoadSteps:
    """The loading half of the controller; it shares the controller's memory."""

    def __init__(self, controller: Controller) -> None:
        self.c = controller

    async def run_load(self, tracked: TrackedSnapshot) -> None:
        customer = self.c.customer_for(tracked)
        cancel = threading.Event()
        self.c.cancel_events[tracked.key] = cancel
        try:
            await self._load_and_validate(tracked, cancel)
        finally:
            self.c.cancel_events.pop(tracked.key, None)
            customer.loading_key = None
            self.c.spawn(self.c.schedule())

    async def _load_and_validate(self, tracked: TrackedSnapshot, cancel: threading.Event) -> None:
        attempt = tracked.attempts + 1
        await self.c.transition(
            tracked,
            SnapshotState.LOADING,
            f"attempt {attempt} of {self.c.settings.max_retries + 1}",
            attempts=attempt,
            started_at=self.c.clock.now(),
            finished_at=None,
            error=None,
            progress=None,
            next_attempt_at=None,
        )
        database = tracked.database
        assert database is not None  # rejected earlier otherwise
        await self.c.log(
            tracked.key, Level.INFO, f"loading {tracked.path} into database {database}"
        )
        try:
            report = await self.c.in_worker(self._load_blocking, tracked, database, cancel)
        except Cancelled:
            await self.c.transition(
                tracked,
                SnapshotState.QUEUED,
                "interrupted: bgtui stopped; it loads again from a clean database",
                progress=None,
                attempts=tracked.attempts - 1,  # an interruption is not a failed attempt
            )
            return
        except GraphError as exc:
            await self._load_failed(tracked, str(exc), retryable=exc.transient)
            return
        except Exception as exc:
            # Bad snapshot data (the readers' errors name file, line and column) or a bug:
            # either way not worth retrying, and never a reason to stop the other customers.
            await self.c.log(tracked.key, Level.DEBUG, traceback.format_exc())
            await self._load_failed(tracked, str(exc) or type(exc).__name__, retryable=False)
            return
        tracked.report = report
        await self.c.record(
            self.c.store.record_load_stats,
            tracked.key,
            attempt,
            report.nodes,
            report.relationships,
            report.skipped_duplicates,
            report.bad_relationships,
            report.duration_seconds,
            self.c.clock.now(),
        )
        await self.c.log(
            tracked.key,
            Level.INFO,
            f"loaded {report.nodes:,} nodes and {report.relationships:,} relationships "
            f"in {report.duration_seconds:.1f}s",
        )
        await self.c.transition(tracked, SnapshotState.VALIDATING, "checking counts", progress=None)
        try:
            problems = await self.c.in_worker(
                validate_load, self.c.graph, self.c.settings, database, report
            )
        except GraphError as exc:
            await self._load_failed(tracked, f"validation could not run: {exc}", exc.transient)
            return
        if problems:
            for problem in problems:
                await self.c.log(tracked.key, Level.ERROR, problem)
            more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
            await self._fail(
                tracked, "Validation failed", f"validation failed: {problems[0]}{more}"
            )
            return
        await self.c.log(tracked.key, Level.INFO, "validation passed")
        await self.after_validation(tracked)

    def _load_blocking(
        self, tracked: TrackedSnapshot, database: str, cancel: threading.Event
    ) -> Any:
        key = tracked.key
        self.c.graph.drop_database(database)  # a retry starts from a clean database
        self.c.graph.create_database(database)
        tracked.database_exists = True

        def progress(value: LoadProgress) -> None:
            loop = self.c._loop
            if loop is not None:
                loop.call_soon_threadsafe(self._show_progress, key, value)

        def log(level: Level, message: str) -> None:
            self.c.log_from_thread(key, level, message)

        try:
            return self.c.graph.load_snapshot(
                database,
                tracked.path,
                self.c.settings.load,
                self.c.settings.reader_options,
                progress,
                log,
                cancel,
            )
        except Exception:
            if cancel.is_set():
                raise Cancelled() from None
            raise

    def _show_progress(self, key: str, progress: LoadProgress) -> None:
        tracked = self.c.snapshots.get(key)
        if tracked is None or tracked.state is not SnapshotState.LOADING:
            return
        tracked.progress = progress
        tracked.updated_at = self.c.clock.now()
        self.c.emit(SnapshotChanged(tracked.updated_at, tracked.view()))

    async def _load_failed(self, tracked: TrackedSnapshot, message: str, retryable: bool) -> None:
        await self.c.log(tracked.key, Level.ERROR, message)
        await self.c.drop_partial_database(tracked)
        retries = self.c.settings.max_retries
        if retryable and tracked.attempts <= retries:
            delay = self.c.settings.retry_backoff_seconds * (2 ** (tracked.attempts - 1))
            await self.c.transition(
                tracked,
                SnapshotState.QUEUED,
                f"retry {tracked.attempts}/{retries} in {delay:.0f}s: {message}",
                error=message,
                progress=None,
                next_attempt_at=self.c.clock.monotonic() + delay,
            )
            return
        await self._fail(tracked, "Load failed", message)

    async def _fail(self, tracked: TrackedSnapshot, title: str, error: str) -> None:
        """Mark the snapshot failed and ask for a person: the alias stays where it was."""
        await self.c.transition(
            tracked,
            SnapshotState.FAILED,
            title.lower(),
            error=error,
            progress=None,
            finished_at=self.c.clock.now(),
        )
        self.c.notice(
            Level.ERROR, title, f"{tracked.key}: {error}", needs_person=True, key=tracked.key
        )

    async def after_validation(self, tracked: TrackedSnapshot) -> None:
        """Promote now, wait for approval, or count down, as the customer's policy says."""
        policy = self.c.settings.policy_for(tracked.snapshot.customer)
        finished = self.c.clock.now()
        if self.c.is_older_than_live(tracked) or tracked.manual_only:
            reason = (
                "older than the live database: approve to promote it anyway"
                if self.c.is_older_than_live(tracked)
                else tracked.detail or "needs approval"
            )
            await self.c.transition(
                tracked, SnapshotState.AWAITING_APPROVAL, reason, finished_at=finished
            )
        elif policy.policy == AUTO and not self.c.read_only:
            tracked.finished_at = finished
            await self.c.promotions.promote(tracked, SYSTEM_ACTOR, "auto policy")
            return
        elif policy.policy == AUTO_AFTER:
            due = finished + timedelta(seconds=policy.auto_after_seconds)
            await self.c.transition(
                tracked,
                SnapshotState.AWAITING_APPROVAL,
                f"promotes automatically at {due:%H:%M:%S} unless held",
                finished_at=finished,
                auto_promote_at=due,
                held=False,
            )
        else:
            await self.c.transition(
                tracked,
                SnapshotState.AWAITING_APPROVAL,
                "waiting for approval",
                finished_at=finished,
            )
        await self.c.promotions.supersede_older_awaiting(tracked)
        self.c.notice(
            Level.WARNING,
            "Awaiting approval",
            f"{tracked.key} is ready to go live",
            needs_person=True,
            key=tracked.key,
        )
        self.c.publish_aliases()
