"""Is every copy of a database ready to take traffic? Read from ``SHOW DATABASE`` rows.

A cluster lists one row per allocation. "Online" alone is not enough before an alias moves:
secondaries replicate asynchronously and "may temporarily lag behind the primary"
(https://neo4j.com/docs/operations-manual/current/clustering/introduction/), and reads are
routed to them. So a database is ready when every row is ``online``, ``replicationLag`` is 0
wherever it is reported, and the current primary and secondary counts equal the requested
ones ("``currentPrimariesCount`` is the same as the number of rows where role=primary",
https://neo4j.com/docs/operations-manual/current/database-administration/standard-databases/listing-databases/).
On a standalone server the one row is online with lag 0 and counts 1/1, so it is ready as
soon as it is online.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Readiness:
    """Whether a database may be switched to, and if not, why, in the operator's words."""

    ready: bool
    copies_ready: int
    copies_wanted: int
    reason: str = ""  # empty when ready, e.g. "waiting for 2 of 3 copies (1 is 4 behind)"


def readiness_of(name: str, rows: Sequence[Mapping[str, Any]]) -> Readiness:
    """Judge the ``SHOW DATABASE $name`` rows of one database (one per allocation)."""
    if not rows:
        return Readiness(False, 0, 1, f"waiting for database '{name}' to be listed")
    wanted = _wanted(rows)
    behind = [row for row in rows if _online(row) and _lag(row) > 0]
    not_online = [row for row in rows if not _online(row)]
    ready_copies = sum(1 for row in rows if _online(row) and _lag(row) == 0)
    counts_match = all(_counts_match(row) for row in rows)
    if not not_online and not behind and counts_match and ready_copies >= wanted:
        return Readiness(True, ready_copies, wanted)
    details: list[str] = []
    if not_online:
        states = sorted({str(row.get("currentStatus") or "unknown") for row in not_online})
        details.append(f"{len(not_online)} {_copies(len(not_online))} {'/'.join(states)}")
    if behind:
        most = max(_lag(row) for row in behind)
        details.append(f"{len(behind)} {_copies(len(behind))} up to {most:,} transaction(s) behind")
    missing = wanted - len(rows)
    if missing > 0 or not counts_match:
        details.append(f"{max(missing, 0)} not yet allocated" if missing > 0 else "counts differ")
    reason = f"waiting for {min(ready_copies, wanted)} of {wanted} copies"
    if details:
        reason += f" ({'; '.join(details)})"
    return Readiness(False, min(ready_copies, wanted), wanted, reason)


def _wanted(rows: Sequence[Mapping[str, Any]]) -> int:
    """Requested copies; a server that does not report the counts wants what it lists."""
    first = rows[0]
    primaries, secondaries = (
        first.get("requestedPrimariesCount"),
        first.get("requestedSecondariesCount"),
    )
    if primaries is None:
        return len(rows)
    return int(primaries) + int(secondaries or 0)


def _online(row: Mapping[str, Any]) -> bool:
    return row.get("currentStatus") == "online"


def _lag(row: Mapping[str, Any]) -> int:
    """Transactions behind; UNCONFIRMED whether Neo4j reports a lagging copy's figure as
    positive or negative, so its size is what counts."""
    return abs(int(row.get("replicationLag") or 0))


def _counts_match(row: Mapping[str, Any]) -> bool:
    pairs = (
        (row.get("currentPrimariesCount"), row.get("requestedPrimariesCount")),
        (row.get("currentSecondariesCount"), row.get("requestedSecondariesCount")),
    )
    return all(current == requested for current, requested in pairs if requested is not None)


def _copies(count: int) -> str:
    return "copy" if count == 1 else "copies"
