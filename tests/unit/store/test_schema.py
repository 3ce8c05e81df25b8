"""The history file's schema: created, upgraded forward, refused when too new."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from bgtui.store.errors import HistoryUnavailable, SchemaError
from bgtui.store.history import HistoryStore
from bgtui.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration, migrate, schema_version
from tests.helpers.store import T0, make_view

OUR_TABLES = {"snapshots", "transitions", "alias_changes", "load_stats", "load_log"}


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_a_new_file_gets_every_table_at_the_current_version_in_wal_mode(
    history_path: Path,
) -> None:
    HistoryStore(history_path).close()

    assert _tables(history_path) >= OUR_TABLES
    connection = _raw(history_path)
    try:
        assert schema_version(connection) == SCHEMA_VERSION
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        connection.close()


def test_an_empty_v0_file_shared_with_another_table_is_upgraded_and_keeps_that_table(
    history_path: Path,
) -> None:
    history_path.parent.mkdir(parents=True)
    connection = _raw(history_path)
    connection.execute("CREATE TABLE pending_commands (id INTEGER PRIMARY KEY, kind TEXT)")
    connection.execute("INSERT INTO pending_commands (kind) VALUES ('approve')")
    assert schema_version(connection) == 0
    connection.close()

    with HistoryStore(history_path) as store:
        store.record_snapshot(make_view("acme/20250314"))
        assert [r.key for r in store.snapshots()] == ["acme/20250314"]

    connection = _raw(history_path)
    try:
        assert schema_version(connection) == SCHEMA_VERSION
        assert connection.execute("SELECT kind FROM pending_commands").fetchall() == [("approve",)]
    finally:
        connection.close()


def test_reopening_keeps_the_data_and_does_not_migrate_again(history_path: Path) -> None:
    with HistoryStore(history_path) as store:
        store.record_snapshot(make_view("acme/20250314"))
    with HistoryStore(history_path) as store:
        assert [r.key for r in store.snapshots()] == ["acme/20250314"]


def test_a_file_from_a_newer_bgtui_is_refused_for_writing_and_reading(
    history_path: Path,
) -> None:
    HistoryStore(history_path).close()
    connection = _raw(history_path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()

    with pytest.raises(SchemaError, match="newer bgtui"):
        HistoryStore(history_path)
    with pytest.raises(SchemaError, match="newer bgtui"):
        HistoryStore.open_read_only(history_path)


def test_a_read_only_console_cannot_upgrade_an_old_file_and_says_how_to(
    history_path: Path,
) -> None:
    history_path.parent.mkdir(parents=True)
    _raw(history_path).execute("CREATE TABLE unrelated (x)")

    with pytest.raises(SchemaError, match="start a controller on it once"):
        HistoryStore.open_read_only(history_path)
    assert schema_version(_raw(history_path)) == 0


def test_a_read_only_console_needs_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(HistoryUnavailable, match="a controller creates it"):
        HistoryStore.open_read_only(tmp_path / "missing.sqlite3")
    assert not (tmp_path / "missing.sqlite3").exists()


def test_a_later_migration_upgrades_a_file_with_data_in_it(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    connection = _raw(path)
    assert migrate(connection, str(path)) == 0
    connection.execute(
        "INSERT INTO load_log (snapshot_key, at, level, message) VALUES ('a/1', 't', 'info', 'm')"
    )
    version_two = Migration(
        SCHEMA_VERSION + 1, ("ALTER TABLE load_log ADD COLUMN source TEXT DEFAULT 'loader'",)
    )

    before = migrate(connection, str(path), (*MIGRATIONS, version_two))

    assert before == SCHEMA_VERSION
    assert schema_version(connection) == SCHEMA_VERSION + 1
    assert connection.execute("SELECT message, source FROM load_log").fetchall() == [
        ("m", "loader")
    ]
    assert migrate(connection, str(path), (*MIGRATIONS, version_two)) == SCHEMA_VERSION + 1


def test_a_failing_migration_leaves_the_file_at_its_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    connection = _raw(path)
    migrate(connection, str(path))
    broken = Migration(
        SCHEMA_VERSION + 1,
        ("CREATE TABLE half_done (x)", "ALTER TABLE no_such_table ADD COLUMN y"),
    )

    with pytest.raises(sqlite3.OperationalError):
        migrate(connection, str(path), (*MIGRATIONS, broken))

    assert schema_version(connection) == SCHEMA_VERSION
    assert "half_done" not in _tables(path)


def test_several_openers_of_a_new_file_at_once_all_succeed(history_path: Path) -> None:
    # Threads with their own connections race exactly like processes at the SQLite level.
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def open_and_write(n: int) -> None:
        try:
            start.wait()
            with HistoryStore(history_path) as store:
                store.record_snapshot(make_view(f"cust{n}/20250314", updated_at=T0))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_and_write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with HistoryStore(history_path) as store:
        assert len(store.snapshots()) == 4
