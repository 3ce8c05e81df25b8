"""Operator commands handed to the running controller through the history database.

Only one controller may change a base path. When ``bgtui promote`` or ``bgtui rollback``
finds one running (the lock is held), it does not race it: it queues the command here, the
controller carries it out on its next tick, and the CLI waits for the answer.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending_commands (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    customer TEXT NOT NULL,
    snapshot_key TEXT,
    database TEXT,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    message TEXT NOT NULL DEFAULT '',
    submitted_at TEXT NOT NULL,
    finished_at TEXT
)
"""

PENDING, RUNNING, DONE, REFUSED = "pending", "running", "done", "refused"


@dataclass(frozen=True)
class PendingCommand:
    id: int
    kind: str  # "approve" | "rollback" | "retry"
    customer: str
    snapshot_key: str | None
    database: str | None
    actor: str
    reason: str


class CommandQueue:
    """A small table of commands; safe to use from several processes (SQLite WAL)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(path, timeout=10, check_same_thread=False)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute(_SCHEMA)
        self._connection.commit()
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def submit(
        self,
        kind: str,
        customer: str,
        *,
        actor: str,
        reason: str,
        snapshot_key: str | None = None,
        database: str | None = None,
    ) -> int:
        with self._lock, self._connection:
            cursor = self._connection.execute(
                "INSERT INTO pending_commands"
                " (kind, customer, snapshot_key, database, actor, reason, submitted_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (kind, customer, snapshot_key, database, actor, reason, _now()),
            )
            return int(cursor.lastrowid or 0)

    def take_pending(self) -> list[PendingCommand]:
        """Claim every pending command (so a second controller never runs one twice)."""
        with self._lock, self._connection:
            rows = self._connection.execute(
                "SELECT id, kind, customer, snapshot_key, database, actor, reason"
                " FROM pending_commands WHERE status = ? ORDER BY id",
                (PENDING,),
            ).fetchall()
            self._connection.executemany(
                "UPDATE pending_commands SET status = ? WHERE id = ? AND status = ?",
                [(RUNNING, row[0], PENDING) for row in rows],
            )
        return [PendingCommand(*row) for row in rows]

    def finish(self, command_id: int, ok: bool, message: str) -> None:
        with self._lock, self._connection:
            self._connection.execute(
                "UPDATE pending_commands SET status = ?, message = ?, finished_at = ? WHERE id = ?",
                (DONE if ok else REFUSED, message, _now(), command_id),
            )

    def result(self, command_id: int) -> tuple[str, str]:
        with self._lock:
            row = self._connection.execute(
                "SELECT status, message FROM pending_commands WHERE id = ?", (command_id,)
            ).fetchone()
        if row is None:
            raise KeyError(command_id)
        return str(row[0]), str(row[1])

    def wait(self, command_id: int, timeout: float) -> tuple[bool, str]:
        """Wait for the controller's answer; a timeout says the controller did not pick it up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, message = self.result(command_id)
            if status in {DONE, REFUSED}:
                return status == DONE, message
            time.sleep(0.2)
        return False, f"the running controller did not answer within {timeout:.0f}s"


def _now() -> str:
    return datetime.now(UTC).isoformat()
