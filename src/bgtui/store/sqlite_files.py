"""Opening the history file: read-write (creating and upgrading it) or strictly read-only.

Both connections are shared by a process's threads behind the store's lock
(``check_same_thread=False``) and run in autocommit mode, so every transaction is an explicit
``BEGIN IMMEDIATE`` that waits ``busy_timeout`` for another process's writer.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bgtui.store.errors import HistoryUnavailable
from bgtui.store.schema import check_readable, migrate


def connect_for_writing(path: Path, busy_timeout_seconds: float) -> sqlite3.Connection:
    """A connection in WAL mode with the schema brought up to date."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(
            path, timeout=busy_timeout_seconds, check_same_thread=False, isolation_level=None
        )
    except (OSError, sqlite3.Error) as exc:
        raise HistoryUnavailable(f"cannot open the history {path}: {exc}") from exc
    try:
        _set_busy_timeout(connection, busy_timeout_seconds)
        # WAL lets read-only consoles read while the controller writes; NORMAL is durable
        # across application crashes and only risks the last commits on power loss.
        _enable_wal(connection, busy_timeout_seconds)
        connection.execute("PRAGMA synchronous = NORMAL")
        migrate(connection, str(path))
    except sqlite3.Error as exc:
        connection.close()
        raise HistoryUnavailable(f"cannot prepare the history {path}: {exc}") from exc
    except BaseException:
        connection.close()
        raise
    return connection


def connect_read_only(path: Path, busy_timeout_seconds: float) -> sqlite3.Connection:
    """A connection that cannot write (``mode=ro``), to a file at the current schema."""
    if not path.is_file():
        raise HistoryUnavailable(
            f"no history at {path} yet: a controller creates it when it first starts"
        )
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro",
            uri=True,
            timeout=busy_timeout_seconds,
            check_same_thread=False,
            isolation_level=None,
        )
    except sqlite3.Error as exc:
        raise HistoryUnavailable(f"cannot open the history {path} read-only: {exc}") from exc
    try:
        _set_busy_timeout(connection, busy_timeout_seconds)
        connection.execute("PRAGMA query_only = ON")
        check_readable(connection, str(path))
    except sqlite3.Error as exc:
        connection.close()
        raise HistoryUnavailable(f"cannot read the history {path}: {exc}") from exc
    except BaseException:
        connection.close()
        raise
    return connection


def _enable_wal(connection: sqlite3.Connection, timeout_seconds: float) -> None:
    """Switch to WAL, retrying: SQLite answers "locked" at once, without waiting, when two
    connections switch a new file at the same moment."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def _set_busy_timeout(connection: sqlite3.Connection, seconds: float) -> None:
    connection.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
