"""One load: clean database, streamed batches, validation, and what the policy says next.

Runs on the engine's loop; the blocking part (driver) runs in a worker thread and reports
progress and log lines back through the loop.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from bgtui.domain.policy import AUTO, AUTO_AFTER, policy_for
from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.events import HealthChanged, Level, LoadProgress
from bgtui.engine.journal import Journal
from bgtui.engine.memory import EngineMemory
from bgtui.engine.ports import GateClosedError, GraphError, GraphPort, LoadReport
from bgtui.engine.promotion import PromotionSteps
from bgtui.engine.runner import Runner
from bgtui.engine.settings import SYSTEM_ACTOR, EngineSettings, topology_for
from bgtui.engine.tracking import TrackedSnapshot
from bgtui.engine.validation import validate_load


class Cancelled(Exception):
    """A load stopped because bgtui is stopping."""


async def drop_partial_database(
    tracked: TrackedSnapshot, graph: GraphPort, run: Runner, journal: Journal
) -> None:
    """Drop a database a load left half-written, so a retry starts clean; log either way."""
    database = tracked.database
    if not (database and tracked.database_exists):
        return
    try:
        await run.in_worker(graph.drop_database, database)
    except GraphError as exc:
        await journal.log(tracked.key, Level.WARNING, f"could not drop {database}: {exc}")
        return
    tracked.database_exists = False
    await journal.log(tracked.key, Level.INFO, f"dropped the partial database {database}")


class LoadSteps:
    """Loading, validating, and handing a validated snapshot to its promotion policy."""

    def __init__(
        self,
        memory: EngineMemory,
        journal: Journal,
        graph: GraphPort,
        run: Runner,
        settings: EngineSettings,
        *,
        promotions: PromotionSteps,
        on_finished: Callable[[], None] = lambda: None,
    ) -> None:
        self.memory = memory
        self.journal = journal
        self.graph = graph
        self.run = run
        self.settings = settings
        self.promotions = promotions
        self.on_finished = on_finished  # a load slot is free again
        self.cancel_events: dict[str, threading.Event] = {}

    def cancel_all(self) -> None:
        for event in self.cancel_events.values():
            event.set()

    async def run_load(self, tracked: TrackedSnapshot) -> None:
        customer = self.memory.customer_for(tracked)
        cancel = threading.Event()
        self.cancel_events[tracked.key] = cancel
        try:
            await self._load_and_validate(tracked, cancel)
        finally:
            self.cancel_events.pop(tracked.key, None)
            customer.loading_key = None
            self.on_finished()

    async def _load_and_validate(self, tracked: TrackedSnapshot, cancel: threading.Event) -> None:
        journal, clock = self.journal, self.journal.clock
        attempt = tracked.attempts + 1
        await journal.transition(
            tracked,
            SnapshotState.LOADING,
            f"attempt {attempt} of {self.settings.max_retries + 1}",
            attempts=attempt,
            started_at=clock.now(),
            finished_at=None,
            error=None,
            progress=None,
            next_attempt_at=None,
        )
        database = tracked.database
        assert database is not None  # rejected earlier otherwise
        await journal.log(
            tracked.key, Level.INFO, f"loading {tracked.path} into database {database}"
        )
        try:
            report = await self.run.in_worker(self._load_blocking, tracked, database, cancel)
        except Cancelled:
            await journal.transition(
                tracked,
                SnapshotState.QUEUED,
                "interrupted: bgtui stopped; it loads again from a clean database",
                progress=None,
                attempts=tracked.attempts - 1,  # an interruption is not a failed attempt
            )
            return
        except GateClosedError as exc:
            await self._wait_behind_gate(tracked, exc)
            return
        except GraphError as exc:
            await self._load_failed(tracked, str(exc), retryable=exc.transient)
            return
        except Exception as exc:
            # Bad snapshot data (the readers' errors name file, line and column) or a bug:
            # either way not worth retrying, and never a reason to stop the other customers.
            await journal.log(tracked.key, Level.DEBUG, traceback.format_exc())
            await self._load_failed(tracked, str(exc) or type(exc).__name__, retryable=False)
            return
        tracked.report = report
        await journal.load_stats(tracked, attempt, report)
        await journal.log(
            tracked.key,
            Level.INFO,
            f"loaded {report.nodes:,} nodes and {report.relationships:,} relationships "
            f"in {report.duration_seconds:.1f}s",
        )
        await journal.transition(
            tracked, SnapshotState.VALIDATING, "checking counts", progress=None
        )
        try:
            problems = await self.run.in_worker(
                validate_load, self.graph, self.settings, database, report
            )
        except GraphError as exc:
            await self._load_failed(tracked, f"validation could not run: {exc}", exc.transient)
            return
        if problems:
            for problem in problems:
                await journal.log(tracked.key, Level.ERROR, problem)
            more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
            await self._fail(
                tracked, "Validation failed", f"validation failed: {problems[0]}{more}"
            )
            return
        await journal.log(tracked.key, Level.INFO, "validation passed")
        await self.after_validation(tracked)

    def _load_blocking(
        self, tracked: TrackedSnapshot, database: str, cancel: threading.Event
    ) -> LoadReport:
        key = tracked.key
        self.graph.drop_database(database)  # a retry starts from a clean database
        # Recorded before the command is sent: if CREATE DATABASE fails half-way (a lost
        # connection during its WAIT), the database may exist, and the cleanup must drop it.
        tracked.database_exists = True
        topology = topology_for(self.settings, tracked.snapshot.customer)
        try:
            self.graph.create_database(database, topology)
        except GateClosedError:
            tracked.database_exists = False  # refused outright: nothing was created
            raise

        def progress(value: LoadProgress) -> None:
            self.run.from_thread(self._show_progress, key, value)

        def log(level: Level, message: str) -> None:
            self.journal.log_from_thread(key, level, message)

        try:
            return self.graph.load_snapshot(
                database,
                tracked.path,
                self.settings.load,
                self.settings.reader_options,
                progress,
                log,
                cancel,
            )
        except Exception:
            if cancel.is_set():
                raise Cancelled() from None
            raise

    def _show_progress(self, key: str, progress: LoadProgress) -> None:
        tracked = self.memory.snapshots.get(key)
        if tracked is None or tracked.state is not SnapshotState.LOADING:
            return
        self.journal.progress(tracked, progress)

    async def _wait_behind_gate(self, tracked: TrackedSnapshot, exc: GateClosedError) -> None:
        """Neo4j cannot take a new database: close the gate, the snapshot waits (not failed)."""
        journal, memory = self.journal, self.memory
        now = journal.clock.monotonic()
        if memory.gate_held(now) != str(exc):
            journal.notice(Level.WARNING, "Loads wait", str(exc), key=tracked.key)
            await journal.log(tracked.key, Level.WARNING, f"loads wait: {exc}")
        until = None if exc.lasting else now + self.settings.gate_recheck_seconds
        memory.gate_hold = (str(exc), until)
        memory.health = replace(memory.health, gate_open=False, gate_reason=str(exc))
        journal.emit(HealthChanged(journal.clock.now(), memory.health))
        await journal.transition(
            tracked,
            SnapshotState.QUEUED,
            f"waiting for the health gate: {exc}",
            progress=None,
            attempts=tracked.attempts - 1,  # Neo4j's limit is not a failed attempt
            next_attempt_at=None,
        )

    async def _load_failed(self, tracked: TrackedSnapshot, message: str, retryable: bool) -> None:
        await self.journal.log(tracked.key, Level.ERROR, message)
        await drop_partial_database(tracked, self.graph, self.run, self.journal)
        retries = self.settings.max_retries
        if retryable and tracked.attempts <= retries:
            delay = self.settings.retry_backoff_seconds * (2 ** (tracked.attempts - 1))
            await self.journal.transition(
                tracked,
                SnapshotState.QUEUED,
                f"retry {tracked.attempts}/{retries} in {delay:.0f}s: {message}",
                error=message,
                progress=None,
                next_attempt_at=self.journal.clock.monotonic() + delay,
            )
            return
        await self._fail(tracked, "Load failed", message)

    async def _fail(self, tracked: TrackedSnapshot, title: str, error: str) -> None:
        """Mark the snapshot failed and ask for a person: the alias stays where it was."""
        await self.journal.transition(
            tracked,
            SnapshotState.FAILED,
            title.lower(),
            error=error,
            progress=None,
            finished_at=self.journal.clock.now(),
        )
        self.journal.notice(
            Level.ERROR, title, f"{tracked.key}: {error}", needs_person=True, key=tracked.key
        )

    async def after_validation(self, tracked: TrackedSnapshot) -> None:
        """Promote now, wait for approval, or count down, as the customer's policy says."""
        memory, journal = self.memory, self.journal
        policy = policy_for(
            tracked.snapshot.customer,
            self.settings.default_policy,
            self.settings.customer_policies,
        )
        finished = journal.clock.now()
        held_by = memory.customer_for(tracked).held_by
        if memory.is_older_than_live(tracked) or tracked.manual_only or held_by:
            if memory.is_older_than_live(tracked):
                reason = "older than the live database: approve to promote it anyway"
            elif held_by:
                customer = tracked.snapshot.customer
                reason = (
                    f"held after rollback by {held_by}: approve it, or release {customer} "
                    f"(u in the console, or bgtui release {customer})"
                )
            else:
                reason = tracked.detail or "needs approval"
            await journal.transition(
                tracked, SnapshotState.AWAITING_APPROVAL, reason, finished_at=finished
            )
        elif policy.policy == AUTO and not memory.read_only:
            tracked.finished_at = finished
            await self.promotions.promote(tracked, SYSTEM_ACTOR, "auto policy")
            return
        elif policy.policy == AUTO_AFTER:
            due = finished + timedelta(seconds=policy.auto_after_seconds)
            await journal.transition(
                tracked,
                SnapshotState.AWAITING_APPROVAL,
                f"promotes automatically at {due:%H:%M:%S} unless held",
                finished_at=finished,
                auto_promote_at=due,
                held=False,
            )
        else:
            await journal.transition(
                tracked,
                SnapshotState.AWAITING_APPROVAL,
                "waiting for approval",
                finished_at=finished,
            )
        await self.promotions.supersede_older_awaiting(tracked)
        journal.notice(
            Level.WARNING,
            "Awaiting approval",
            f"{tracked.key} is ready to go live",
            needs_person=True,
            key=tracked.key,
        )
        journal.aliases(memory.alias_views())
