"""Run history and audit trail in SQLite: what the engine did, to which snapshot, who and why.

The controller writes through one ``HistoryStore``; a second console opens the same file with
``HistoryStore.open_read_only``. WAL mode lets those readers read while the controller
writes. One connection guarded by a lock serves every thread of a process; each write is one
``BEGIN IMMEDIATE`` transaction, so writers in other processes (a scripted ``bgtui promote``)
queue behind it for up to ``busy_timeout`` instead of failing.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from bgtui.domain.snapshot import SnapshotId, SnapshotState
from bgtui.domain.views import HistoryEntry, SnapshotView
from bgtui.store import history_rows as rows
from bgtui.store import history_sql as sql
from bgtui.store.errors import HistoryError, ReadOnlyHistory
from bgtui.store.records import (
    ALIAS_CHANGE_KINDS,
    AliasChangeRecord,
    LoadStatsRecord,
    LogRecord,
    SnapshotRecord,
    StatusCounters,
    TransitionRecord,
)
from bgtui.store.schema import roll_back
from bgtui.store.sqlite_files import connect_for_writing, connect_read_only
from bgtui.store.timestamps import optional_to_text, to_text

HISTORY_FILE_NAME = "history.sqlite3"
DEFAULT_LOG_LINES_KEPT = 5_000
DEFAULT_BUSY_TIMEOUT_SECONDS = 10.0

T = TypeVar("T")


class HistoryStore:
    """The SQLite history: snapshots, transitions, alias changes, load stats and load logs."""

    def __init__(
        self,
        path: Path,
        *,
        base_path: Path | None = None,
        log_lines_kept: int = DEFAULT_LOG_LINES_KEPT,
        busy_timeout_seconds: float = DEFAULT_BUSY_TIMEOUT_SECONDS,
    ) -> None:
        """Open (creating and upgrading as needed) the history at ``path`` for writing.

        Args:
            base_path: the watched folder; lets a snapshot's folder be recorded although a
                ``SnapshotView`` does not carry it (``<base>/<customer>/<timestamp>``).
            log_lines_kept: newest load-log lines kept per snapshot; older ones are deleted.
        """
        if log_lines_kept < 1:
            raise ValueError(f"log_lines_kept must be at least 1, not {log_lines_kept}")
        connection = connect_for_writing(path, busy_timeout_seconds)
        self._setup(connection, path, read_only=False, base_path=base_path, kept=log_lines_kept)

    @classmethod
    def open_read_only(
        cls, path: Path, *, busy_timeout_seconds: float = DEFAULT_BUSY_TIMEOUT_SECONDS
    ) -> HistoryStore:
        """Open an existing history for reading only (a second console beside a controller)."""
        connection = connect_read_only(path, busy_timeout_seconds)
        store = cls.__new__(cls)
        store._setup(connection, path, read_only=True, base_path=None, kept=DEFAULT_LOG_LINES_KEPT)
        return store

    def _setup(
        self,
        connection: sqlite3.Connection,
        path: Path,
        *,
        read_only: bool,
        base_path: Path | None,
        kept: int,
    ) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self._path = path
        self._read_only = read_only
        self._base_path = base_path
        self._log_lines_kept = kept
        self._log_prune_step = max(1, kept // 10)
        self._log_counts: dict[str, int] = {}  # lines stored per snapshot, as last counted
        self._closed = False

    @property
    def path(self) -> Path:
        return self._path

    @property
    def read_only(self) -> bool:
        return self._read_only

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._connection.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # ---- writes (the engine) ---------------------------------------------------------------

    def record_snapshot(self, view: SnapshotView, path: Path | None = None) -> None:
        """Upsert the current picture of one snapshot."""
        folder = path
        if folder is None and self._base_path is not None:
            folder = self._base_path / view.customer / view.timestamp
        parameters = {
            "key": view.key,
            "customer": view.customer,
            "timestamp": view.timestamp,
            "database": view.database,
            "alias": view.alias,
            "path": None if folder is None else str(folder),
            "format": view.snapshot_format,
            "state": str(view.state),
            "detail": view.detail,
            "error": view.error,
            "attempts": view.attempts,
            "nodes": view.nodes,
            "relationships": view.relationships,
            "started_at": optional_to_text(view.started_at),
            "finished_at": optional_to_text(view.finished_at),
            "auto_promote_at": optional_to_text(view.auto_promote_at),
            "held": int(view.held),
            "updated_at": to_text(view.updated_at or datetime.now(UTC)),
        }
        with self._writing() as connection:
            connection.execute(sql.UPSERT_SNAPSHOT, parameters)

    def record_transition(
        self,
        key: str,
        from_state: SnapshotState | None,
        to_state: SnapshotState,
        cause: str,
        actor: str,
        at: datetime,
    ) -> None:
        customer = SnapshotId.from_key(key).customer
        values = (key, customer, _state_text(from_state), str(to_state), cause, actor, to_text(at))
        with self._writing() as connection:
            connection.execute(sql.INSERT_TRANSITION, (_next_seq(connection), *values))

    def record_alias_change(
        self,
        customer: str,
        alias: str,
        from_database: str | None,
        to_database: str | None,
        kind: str,
        actor: str,
        reason: str,
        at: datetime,
    ) -> None:
        if kind not in ALIAS_CHANGE_KINDS:
            known = ", ".join(sorted(ALIAS_CHANGE_KINDS))
            raise ValueError(f"alias change kind {kind!r} is not one of {known}")
        values = (customer, alias, from_database, to_database, kind, actor, reason, to_text(at))
        with self._writing() as connection:
            connection.execute(sql.INSERT_ALIAS_CHANGE, (_next_seq(connection), *values))

    def record_load_stats(
        self,
        key: str,
        attempt: int,
        nodes: int,
        relationships: int,
        skipped_duplicates: int,
        bad_relationships: int,
        duration_seconds: float,
        at: datetime,
    ) -> None:
        rows_written = nodes + relationships
        rate = rows_written / duration_seconds if duration_seconds > 0 else 0.0
        with self._writing() as connection:
            connection.execute(
                sql.INSERT_LOAD_STATS,
                (
                    key,
                    attempt,
                    nodes,
                    relationships,
                    skipped_duplicates,
                    bad_relationships,
                    duration_seconds,
                    rate,
                    to_text(at),
                ),
            )

    def append_log(self, key: str, level: str, message: str, at: datetime) -> None:
        """Add one load-log line; only the newest ``log_lines_kept`` per snapshot are kept.

        Old lines are deleted in steps (once a tenth more than the cap has piled up), which
        keeps an append about as cheap as a plain insert; reads never show more than the cap.
        """
        try:
            with self._writing() as connection:
                stored = self._log_counts.get(key)
                if stored is None:
                    (stored,) = connection.execute(
                        "SELECT COUNT(*) FROM load_log WHERE snapshot_key = ?", (key,)
                    ).fetchone()
                connection.execute(
                    "INSERT INTO load_log (snapshot_key, at, level, message) VALUES (?, ?, ?, ?)",
                    (key, to_text(at), level, message),
                )
                stored += 1
                if stored > self._log_lines_kept + self._log_prune_step:
                    connection.execute(sql.PRUNE_LOG, {"key": key, "kept": self._log_lines_kept})
                    stored = self._log_lines_kept
                self._log_counts[key] = stored
        except BaseException:
            self._log_counts.pop(key, None)  # not committed: count again next time
            raise

    # ---- reads (the engine after a restart, the consoles, the status export) ---------------

    def snapshots(self) -> list[SnapshotRecord]:
        """Every known snapshot, by customer then timestamp."""
        return self._reading(
            lambda c: [
                rows.snapshot(row)
                for row in c.execute(
                    f"SELECT {rows.SNAPSHOT_COLUMNS} FROM snapshots ORDER BY customer, timestamp"
                )
            ]
        )

    def snapshot(self, key: str) -> SnapshotRecord | None:
        row = self._reading(
            lambda c: c.execute(
                f"SELECT {rows.SNAPSHOT_COLUMNS} FROM snapshots WHERE key = ?", (key,)
            ).fetchone()
        )
        return None if row is None else rows.snapshot(row)

    def transitions(self, key: str) -> list[TransitionRecord]:
        """One snapshot's transitions, oldest first."""
        return self._reading(
            lambda c: [
                rows.transition(row)
                for row in c.execute(
                    f"SELECT {rows.TRANSITION_COLUMNS} FROM transitions"
                    " WHERE snapshot_key = ? ORDER BY seq",
                    (key,),
                )
            ]
        )

    def history(self, limit: int = 200, customer: str | None = None) -> list[HistoryEntry]:
        """Transitions and alias changes together, newest first."""
        query = sql.history_query(by_customer=customer is not None)
        parameters = {"customer": customer, "limit": limit}
        return self._reading(
            lambda c: [rows.history_entry(row) for row in c.execute(query, parameters)]
        )

    def alias_changes(
        self, customer: str | None = None, limit: int = 200
    ) -> list[AliasChangeRecord]:
        """Alias changes, newest first."""
        where = "" if customer is None else "WHERE customer = :customer"
        query = (
            f"SELECT {rows.ALIAS_CHANGE_COLUMNS} FROM alias_changes {where}"
            " ORDER BY at DESC, seq DESC LIMIT :limit"
        )
        parameters = {"customer": customer, "limit": limit}
        return self._reading(
            lambda c: [rows.alias_change(row) for row in c.execute(query, parameters)]
        )

    def last_alias_target(self, customer: str) -> str | None:
        """Where bgtui last pointed the customer's alias (drift records are Neo4j's, not ours)."""
        row = self._reading(
            lambda c: c.execute(
                "SELECT to_database FROM alias_changes WHERE customer = ? AND kind != 'drift'"
                " ORDER BY seq DESC LIMIT 1",
                (customer,),
            ).fetchone()
        )
        return None if row is None else row[0]

    def load_stats(self, key: str) -> list[LoadStatsRecord]:
        """Every recorded load of one snapshot, oldest first."""
        return self._reading(
            lambda c: [
                rows.load_stats(row)
                for row in c.execute(
                    f"SELECT {rows.LOAD_STATS_COLUMNS} FROM load_stats"
                    " WHERE snapshot_key = ? ORDER BY id",
                    (key,),
                )
            ]
        )

    def load_log(self, key: str, limit: int = 1000) -> list[LogRecord]:
        """The newest ``limit`` log lines of one snapshot, oldest first (ready to show)."""
        limit = min(limit, self._log_lines_kept)
        found = self._reading(
            lambda c: c.execute(
                "SELECT snapshot_key, at, level, message FROM load_log"
                " WHERE snapshot_key = ? ORDER BY id DESC LIMIT ?",
                (key, limit),
            ).fetchall()
        )
        return [rows.log_line(row) for row in reversed(found)]

    def counters(self) -> StatusCounters:
        """Totals for the status export (definitions on ``StatusCounters``)."""
        return self._reading(rows.counters)

    # ---- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, serialised with this process's threads and other processes."""
        if self._read_only:
            raise ReadOnlyHistory(
                f"the history {self._path} is open read-only; only the controller writes it"
            )
        with self._lock:
            self._ensure_open()
            connection = self._connection
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise HistoryError(f"cannot write the history {self._path}: {exc}") from exc
            try:
                yield connection
                connection.execute("COMMIT")
            except sqlite3.Error as exc:
                roll_back(connection)
                raise HistoryError(f"cannot write the history {self._path}: {exc}") from exc
            except BaseException:
                roll_back(connection)
                raise

    def _reading(self, query: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            self._ensure_open()
            try:
                return query(self._connection)
            except sqlite3.Error as exc:
                raise HistoryError(f"cannot read the history {self._path}: {exc}") from exc

    def _ensure_open(self) -> None:
        if self._closed:
            raise HistoryError(f"the history {self._path} was closed")


def _next_seq(connection: sqlite3.Connection) -> int:
    return int(connection.execute(sql.NEXT_SEQ).fetchone()[0])


def _state_text(state: SnapshotState | None) -> str | None:
    return None if state is None else str(state)
