"""The history store's longer SQL statements, named for what they do."""

from __future__ import annotations

UPSERT_SNAPSHOT = """
INSERT INTO snapshots (
    key, customer, timestamp, database, alias, path, format, first_seen, state, detail, error,
    attempts, nodes, relationships, started_at, finished_at, auto_promote_at, held, updated_at
) VALUES (
    :key, :customer, :timestamp, :database, :alias, :path, :format, :updated_at, :state, :detail,
    :error, :attempts, :nodes, :relationships, :started_at, :finished_at, :auto_promote_at,
    :held, :updated_at
)
ON CONFLICT (key) DO UPDATE SET
    database = excluded.database,
    alias = excluded.alias,
    -- a view does not know its folder or, after a restart, its counts: keep what we had
    path = COALESCE(excluded.path, snapshots.path),
    format = COALESCE(excluded.format, snapshots.format),
    nodes = COALESCE(excluded.nodes, snapshots.nodes),
    relationships = COALESCE(excluded.relationships, snapshots.relationships),
    state = excluded.state,
    detail = excluded.detail,
    error = excluded.error,
    attempts = excluded.attempts,
    started_at = excluded.started_at,
    finished_at = excluded.finished_at,
    auto_promote_at = excluded.auto_promote_at,
    held = excluded.held,
    updated_at = excluded.updated_at
"""

# seq gives transitions and alias changes one shared order for the history pane; it is read
# and written inside the same BEGIN IMMEDIATE, so two writers never take the same number.
NEXT_SEQ = """
SELECT COALESCE(MAX(m), 0) + 1 FROM (
    SELECT MAX(seq) AS m FROM transitions UNION ALL SELECT MAX(seq) FROM alias_changes
)
"""

INSERT_TRANSITION = """
INSERT INTO transitions (seq, snapshot_key, customer, from_state, to_state, cause, actor, at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""

INSERT_ALIAS_CHANGE = """
INSERT INTO alias_changes
    (seq, customer, alias, from_database, to_database, kind, actor, reason, at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

INSERT_LOAD_STATS = """
INSERT INTO load_stats (snapshot_key, attempt, nodes, relationships, skipped_duplicates,
                        bad_relationships, duration_seconds, rows_per_second, at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

# Deletes everything older than the newest :kept lines of one snapshot (an index seek).
PRUNE_LOG = """
DELETE FROM load_log WHERE snapshot_key = :key AND id <= (
    SELECT id FROM load_log WHERE snapshot_key = :key ORDER BY id DESC LIMIT 1 OFFSET :kept
)
"""


def history_query(by_customer: bool) -> str:
    """Transitions and alias changes, newest first; each side limited before the union.

    Columns: at, seq, kind, snapshot key, customer, before, after, alias, alias kind, actor,
    reason. An alias change names the snapshot whose database it now points at.
    """
    where = "WHERE customer = :customer" if by_customer else ""
    return f"""
        SELECT * FROM (
            SELECT * FROM (
                SELECT at, seq, 'transition', snapshot_key, customer, from_state, to_state,
                       NULL, NULL, actor, cause
                FROM transitions {where} ORDER BY at DESC, seq DESC LIMIT :limit)
            UNION ALL
            SELECT * FROM (
                SELECT at, seq, 'alias',
                       (SELECT key FROM snapshots s WHERE s.database = a.to_database LIMIT 1),
                       customer, from_database, to_database, alias, kind, actor, reason
                FROM alias_changes a {where} ORDER BY at DESC, seq DESC LIMIT :limit)
        ) ORDER BY at DESC, seq DESC LIMIT :limit
    """
