"""``orchestrator_status.json``: the old pipeline's status file, still written, with more in it.

Tools that read the replaced ``scripts/orchestrator.py``'s status file keep working: every key
it wrote is written with the same name and JSON type. Its writer (read, not copied) is
``OrchestratorStats.to_dict`` plus ``Orchestrator._write_status_file``; the mapping:

=================  ======  ==========================================================
old key            type    bgtui's value
=================  ======  ==========================================================
uptime_seconds     int     whole seconds since this controller started
tasks_discovered   int     snapshots that became complete on disk (ever queued), all history
tasks_completed    int     snapshots that loaded and passed validation, all history
tasks_failed       int     times a snapshot landed in ``failed``, all history
tasks_retried      int     times a snapshot was queued again after its first time
success_rate       float   completed / max(discovered, 1) * 100 (a percentage, as before)
queue_size         int     snapshots queued right now
workers            int     loads allowed at once across customers (``max_parallel_loads``)
scan_interval      int     seconds between polling scans (the watcher's fallback rescan)
data_path          str     the watched base path
last_activity      str     newest transition or alias change; ``null`` before any
status             str     "running", "stopping" or "stopped"
=================  ======  ==========================================================

Differences a reader may notice: the old counters restarted at zero with the process, these
cover the whole history (the old process re-discovered every snapshot on disk at start, so its
counts after a restart were not per-run either); ``last_activity`` was naive local time
(``datetime.now().isoformat()``) and is now UTC with an explicit ``+00:00`` offset, which ISO
parsers read the same way; the old file was written in place, this one atomically.
UNCONFIRMED: what the tools reading the old file do with it; only the writer was available.

New keys: ``bgtui_version``, ``generated_at``, ``started_at``, ``read_only``,
``snapshots_by_state`` (state -> count), ``awaiting_approval`` (snapshot keys) and
``customers`` (customer -> alias, live database, awaiting approval).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bgtui import __version__
from bgtui.domain.snapshot import SnapshotState
from bgtui.store.history import HistoryStore
from bgtui.store.records import SnapshotRecord, StatusCounters
from bgtui.store.timestamps import optional_to_text, to_text

STATUS_FILE_NAME = "orchestrator_status.json"
RUNNING, STOPPING, STOPPED = "running", "stopping", "stopped"
_STATUSES = (RUNNING, STOPPING, STOPPED)


class StatusExportError(Exception):
    """The status file could not be written; the previous one, if any, is left intact."""


def build_status(
    counters: StatusCounters,
    snapshots: list[SnapshotRecord],
    *,
    status: str,
    started_at: datetime,
    now: datetime,
    base_path: Path,
    workers: int,
    scan_interval_seconds: int,
    read_only: bool = False,
) -> dict[str, Any]:
    """The status document: the old keys first, in the old order, then bgtui's own."""
    if status not in _STATUSES:
        raise ValueError(f"status must be one of {', '.join(_STATUSES)}, not {status!r}")
    awaiting = [s.key for s in snapshots if s.state is SnapshotState.AWAITING_APPROVAL]
    return {
        "uptime_seconds": int(max(0.0, (now - started_at).total_seconds())),
        "tasks_discovered": counters.discovered,
        "tasks_completed": counters.completed,
        "tasks_failed": counters.failed,
        "tasks_retried": counters.retried,
        "success_rate": float(counters.success_rate),
        "queue_size": counters.queued,
        "last_activity": optional_to_text(counters.last_activity),
        "status": status,
        "workers": int(workers),
        "scan_interval": int(scan_interval_seconds),
        "data_path": str(base_path),
        "bgtui_version": __version__,
        "generated_at": to_text(now),
        "started_at": to_text(started_at),
        "read_only": read_only,
        "snapshots_by_state": dict(counters.by_state),
        "awaiting_approval": awaiting,
        "customers": _customers(snapshots),
    }


def _customers(snapshots: list[SnapshotRecord]) -> dict[str, dict[str, Any]]:
    customers: dict[str, dict[str, Any]] = {}
    for record in snapshots:
        if record.alias is None:
            continue  # a folder name that can never become an alias
        entry = customers.setdefault(
            record.customer,
            {"alias": record.alias, "live_database": None, "awaiting_approval": []},
        )
        if record.state is SnapshotState.LIVE:
            entry["live_database"] = record.database
        elif record.state is SnapshotState.AWAITING_APPROVAL:
            entry["awaiting_approval"].append(record.key)
    return customers


def write_status_file(path: Path, document: dict[str, Any]) -> None:
    """Replace ``path`` atomically: readers see the old file or the new one, never a part."""
    try:
        text = json.dumps(document, indent=2) + "\n"
    except (TypeError, ValueError) as exc:
        raise StatusExportError(f"the status for {path} is not valid JSON: {exc}") from exc
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise StatusExportError(f"cannot write the status file {path}: {exc}") from exc
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from monitoring users
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise StatusExportError(f"cannot write the status file {path}: {exc}") from exc


class StatusExporter:
    """Writes the status file from the history; a plain callable for the controller's writer."""

    def __init__(
        self,
        store: HistoryStore,
        path: Path,
        *,
        base_path: Path,
        workers: int,
        scan_interval_seconds: int,
        read_only: bool = False,
        started_at: datetime | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._path = path
        self._base_path = base_path
        self._workers = workers
        self._scan_interval_seconds = scan_interval_seconds
        self._read_only = read_only
        self._now = now
        self._started_at = started_at or now()

    @property
    def path(self) -> Path:
        return self._path

    def __call__(self) -> None:
        self.write(RUNNING)

    def write(self, status: str = RUNNING) -> dict[str, Any]:
        """Write the file now and return what was written."""
        document = build_status(
            self._store.counters(),
            self._store.snapshots(),
            status=status,
            started_at=self._started_at,
            now=self._now(),
            base_path=self._base_path,
            workers=self._workers,
            scan_interval_seconds=self._scan_interval_seconds,
            read_only=self._read_only,
        )
        write_status_file(self._path, document)
        return document
