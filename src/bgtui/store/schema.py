"""The history database's tables, versioned with ``PRAGMA user_version``.

Migrations only go forward: each entry upgrades the file by one version inside one write
transaction, so a crash mid-upgrade leaves the previous version intact. Other tables in the
same file (the command queue's) are left alone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from bgtui.store.errors import SchemaError


@dataclass(frozen=True)
class Migration:
    """The statements that take the schema from ``version - 1`` to ``version``."""

    version: int
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        (
            """
            CREATE TABLE snapshots (
                key TEXT PRIMARY KEY,
                customer TEXT NOT NULL,
                timestamp TEXT NOT NULL,
                database TEXT,
                alias TEXT,
                path TEXT,
                format TEXT,
                first_seen TEXT NOT NULL,
                state TEXT NOT NULL,
                detail TEXT NOT NULL DEFAULT '',
                error TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                nodes INTEGER,
                relationships INTEGER,
                started_at TEXT,
                finished_at TEXT,
                auto_promote_at TEXT,
                held INTEGER NOT NULL DEFAULT 0,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX snapshots_by_customer ON snapshots (customer, timestamp)",
            "CREATE INDEX snapshots_by_database ON snapshots (database)",
            # seq orders transitions and alias changes together (see HistoryStore._next_seq).
            """
            CREATE TABLE transitions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                seq INTEGER NOT NULL UNIQUE,
                snapshot_key TEXT NOT NULL,
                customer TEXT NOT NULL,
                from_state TEXT,
                to_state TEXT NOT NULL,
                cause TEXT NOT NULL,
                actor TEXT NOT NULL,
                at TEXT NOT NULL
            )
            """,
            "CREATE INDEX transitions_by_snapshot ON transitions (snapshot_key, seq)",
            "CREATE INDEX transitions_by_customer ON transitions (customer, at, seq)",
            "CREATE INDEX transitions_by_time ON transitions (at, seq)",
            "CREATE INDEX transitions_by_target ON transitions (to_state, snapshot_key)",
            """
            CREATE TABLE alias_changes (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                seq INTEGER NOT NULL UNIQUE,
                customer TEXT NOT NULL,
                alias TEXT NOT NULL,
                from_database TEXT,
                to_database TEXT,
                kind TEXT NOT NULL
                    CHECK (kind IN ('create', 'promote', 'rollback', 'drift', 'manual')),
                actor TEXT NOT NULL,
                reason TEXT NOT NULL,
                at TEXT NOT NULL
            )
            """,
            "CREATE INDEX alias_changes_by_customer ON alias_changes (customer, at, seq)",
            "CREATE INDEX alias_changes_by_time ON alias_changes (at, seq)",
            """
            CREATE TABLE load_stats (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                snapshot_key TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                nodes INTEGER NOT NULL,
                relationships INTEGER NOT NULL,
                skipped_duplicates INTEGER NOT NULL,
                bad_relationships INTEGER NOT NULL,
                duration_seconds REAL NOT NULL,
                rows_per_second REAL NOT NULL,
                at TEXT NOT NULL
            )
            """,
            "CREATE INDEX load_stats_by_snapshot ON load_stats (snapshot_key, id)",
            """
            CREATE TABLE load_log (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                snapshot_key TEXT NOT NULL,
                at TEXT NOT NULL,
                level TEXT NOT NULL,
                message TEXT NOT NULL
            )
            """,
            "CREATE INDEX load_log_by_snapshot ON load_log (snapshot_key, id)",
        ),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def check_readable(
    connection: sqlite3.Connection, path: str, migrations: Sequence[Migration] = MIGRATIONS
) -> None:
    """Refuse a file this bgtui cannot read as it is (a read-only store cannot upgrade it)."""
    expected = migrations[-1].version
    found = schema_version(connection)
    if found > expected:
        raise _too_new(path, found, expected)
    if found < expected:
        raise SchemaError(
            f"history {path} is at schema version {found}, this bgtui reads version {expected}; "
            "start a controller on it once (it upgrades the file), then open it read-only"
        )


def migrate(
    connection: sqlite3.Connection, path: str, migrations: Sequence[Migration] = MIGRATIONS
) -> int:
    """Bring the file up to the newest version; return the version it was at before.

    ``connection`` must be in autocommit mode (``isolation_level=None``): each step runs in
    its own ``BEGIN IMMEDIATE`` so two processes opening a new file never both migrate it.
    """
    target = migrations[-1].version
    before = schema_version(connection)
    if before > target:
        raise _too_new(path, before, target)
    for migration in migrations:
        connection.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(connection) >= migration.version:
                connection.execute("COMMIT")
                continue
            for statement in migration.statements:
                connection.execute(statement)
            # user_version lives in the file header and is written in this transaction.
            connection.execute(f"PRAGMA user_version = {int(migration.version)}")
            connection.execute("COMMIT")
        except BaseException:
            roll_back(connection)
            raise
    return before


def _too_new(path: str, found: int, known: int) -> SchemaError:
    return SchemaError(
        f"history {path} was written by a newer bgtui (schema version {found}, this one knows "
        f"up to {known}); upgrade bgtui or point it at another state directory"
    )


def roll_back(connection: sqlite3.Connection) -> None:
    """Undo the open transaction, if SQLite has not already ended it (it does on a full disk)."""
    if connection.in_transaction:
        connection.execute("ROLLBACK")
