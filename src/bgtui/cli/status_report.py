"""``bgtui status``: snapshots and alias targets from the history, as a table or JSON.

It reads the history read-only and never talks to Neo4j, so it answers even when Neo4j or the
controller is down; the console and ``bgtui run`` show Neo4j's live truth.
"""

from __future__ import annotations

import json
from typing import Any

from bgtui.cli.wiring import history_path
from bgtui.store.history import HistoryStore


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else ""


def print_status(settings: Any, *, as_json: bool) -> int:
    path = history_path(settings)
    if not path.exists():
        print(json.dumps({"snapshots": [], "aliases": {}}) if as_json else "no history yet")
        return 0
    store = HistoryStore.open_read_only(path)
    try:
        snapshots = store.snapshots()
        targets = {
            record.customer: store.last_alias_target(record.customer) for record in snapshots
        }
    finally:
        store.close()
    if as_json:
        document = {
            "snapshots": [
                {
                    "key": r.key,
                    "customer": r.customer,
                    "timestamp": r.timestamp,
                    "database": r.database,
                    "state": r.state.value,
                    "detail": r.detail,
                    "error": r.error,
                    "attempts": r.attempts,
                    "nodes": r.nodes,
                    "relationships": r.relationships,
                    "updated_at": r.updated_at.isoformat(),
                }
                for r in snapshots
            ],
            "aliases": {customer: target for customer, target in sorted(targets.items())},
        }
        print(json.dumps(document, indent=2))
        return 0
    rows = [("CUSTOMER", "SNAPSHOT", "STATE", "NODES", "UPDATED", "DETAIL")]
    for r in sorted(snapshots, key=lambda r: (r.customer, r.timestamp), reverse=True):
        rows.append(
            (
                r.customer,
                r.timestamp,
                f"{r.state.symbol} {r.state.value}",
                "" if r.nodes is None else f"{r.nodes:,}",
                _when(r.updated_at),
                (r.error or r.detail)[:60],
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print()
    for customer, target in sorted(targets.items()):
        print(f"alias of {customer}: {target or '(none yet)'}")
    return 0
