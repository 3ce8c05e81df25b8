"""Rows of the history database turned into records, and the status counters' queries.

Kept apart from ``history.py`` so the store reads as "how to talk to SQLite" and this file as
"what the columns mean".
"""

from __future__ import annotations

import sqlite3
from typing import Any

from bgtui.domain.snapshot import SnapshotState
from bgtui.domain.views import HistoryEntry
from bgtui.store.records import (
    AliasChangeRecord,
    LoadStatsRecord,
    LogRecord,
    SnapshotRecord,
    StatusCounters,
    TransitionRecord,
)
from bgtui.store.timestamps import from_text, optional_from_text

Row = tuple[Any, ...]

SNAPSHOT_COLUMNS = (
    "key, customer, timestamp, database, alias, path, format, state, detail, error, attempts,"
    " nodes, relationships, started_at, finished_at, auto_promote_at, held, first_seen,"
    " updated_at"
)
TRANSITION_COLUMNS = "snapshot_key, customer, from_state, to_state, cause, actor, at"
ALIAS_CHANGE_COLUMNS = "customer, alias, from_database, to_database, kind, actor, reason, at"
LOAD_STATS_COLUMNS = (
    "snapshot_key, attempt, nodes, relationships, skipped_duplicates, bad_relationships,"
    " duration_seconds, rows_per_second, at"
)

# States a snapshot can only reach from ``validating`` once its counts and checks passed.
_PASSED_VALIDATION = (SnapshotState.AWAITING_APPROVAL, SnapshotState.PROMOTING)


def snapshot(row: Row) -> SnapshotRecord:
    (key, customer, timestamp, database, alias, path, format_, state, detail, error, attempts,
     nodes, relationships, started_at, finished_at, auto_promote_at, held, first_seen,
     updated_at) = row  # fmt: skip
    return SnapshotRecord(
        key=key,
        customer=customer,
        timestamp=timestamp,
        database=database,
        alias=alias,
        path=path,
        format=format_,
        state=SnapshotState(state),
        detail=detail,
        error=error,
        attempts=int(attempts),
        nodes=nodes,
        relationships=relationships,
        started_at=optional_from_text(started_at),
        finished_at=optional_from_text(finished_at),
        auto_promote_at=optional_from_text(auto_promote_at),
        held=bool(held),
        first_seen=from_text(first_seen),
        updated_at=from_text(updated_at),
    )


def transition(row: Row) -> TransitionRecord:
    key, customer, from_state, to_state, cause, actor, at = row
    return TransitionRecord(
        snapshot_key=key,
        customer=customer,
        from_state=None if from_state is None else SnapshotState(from_state),
        to_state=SnapshotState(to_state),
        cause=cause,
        actor=actor,
        at=from_text(at),
    )


def alias_change(row: Row) -> AliasChangeRecord:
    customer, alias, from_database, to_database, kind, actor, reason, at = row
    return AliasChangeRecord(
        customer=customer,
        alias=alias,
        from_database=from_database,
        to_database=to_database,
        kind=kind,
        actor=actor,
        reason=reason,
        at=from_text(at),
    )


def load_stats(row: Row) -> LoadStatsRecord:
    key, attempt, nodes, relationships, duplicates, bad, duration, rate, at = row
    return LoadStatsRecord(
        snapshot_key=key,
        attempt=int(attempt),
        nodes=int(nodes),
        relationships=int(relationships),
        skipped_duplicates=int(duplicates),
        bad_relationships=int(bad),
        duration_seconds=float(duration),
        rows_per_second=float(rate),
        at=from_text(at),
    )


def log_line(row: Row) -> LogRecord:
    key, at, level, message = row
    return LogRecord(snapshot_key=key, at=from_text(at), level=level, message=message)


def history_entry(row: Row) -> HistoryEntry:
    """One row of the history union: a transition or an alias change."""
    at, _seq, kind, key, customer, before, after, alias, alias_kind, actor, reason = row
    if kind == "transition":
        summary = f"{before or 'new'} -> {after}"
    else:
        summary = f"{alias}: {before or 'none'} -> {after or 'none'} ({alias_kind})"
    return HistoryEntry(
        at=from_text(at),
        kind=kind,
        snapshot_key=key,
        customer=customer,
        summary=summary,
        actor=actor,
        reason=reason,
    )


def counters(connection: sqlite3.Connection) -> StatusCounters:
    """Totals over the whole history; each is one indexed query."""
    queued_total, discovered = connection.execute(
        "SELECT COUNT(*), COUNT(DISTINCT snapshot_key) FROM transitions WHERE to_state = ?",
        (SnapshotState.QUEUED.value,),
    ).fetchone()
    (completed,) = connection.execute(
        "SELECT COUNT(DISTINCT snapshot_key) FROM transitions"
        " WHERE from_state = ? AND to_state IN (?, ?)",
        (SnapshotState.VALIDATING.value, *(state.value for state in _PASSED_VALIDATION)),
    ).fetchone()
    (failed,) = connection.execute(
        "SELECT COUNT(*) FROM transitions WHERE to_state = ?", (SnapshotState.FAILED.value,)
    ).fetchone()
    (last_activity,) = connection.execute(
        "SELECT MAX(at) FROM (SELECT MAX(at) AS at FROM transitions"
        " UNION ALL SELECT MAX(at) FROM alias_changes)"
    ).fetchone()
    by_state = {
        str(state): int(count)
        for state, count in connection.execute(
            "SELECT state, COUNT(*) FROM snapshots GROUP BY state ORDER BY state"
        )
    }
    return StatusCounters(
        discovered=int(discovered),
        completed=int(completed),
        failed=int(failed),
        retried=int(queued_total) - int(discovered),
        queued=by_state.get(SnapshotState.QUEUED.value, 0),
        last_activity=optional_from_text(last_activity),
        by_state=by_state,
    )
