"""The engine's decisions as pure functions: no I/O, no clock, easy to test exhaustively."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bgtui.domain.snapshot import SnapshotState

APPROVE, RETRY, ROLLBACK, HOLD = "approve", "retry", "rollback", "hold"
CHANGING_ACTIONS = frozenset({APPROVE, RETRY, ROLLBACK, HOLD})
ALIAS_ACTIONS = frozenset({APPROVE, ROLLBACK})  # these need Neo4j to answer right now

#: States whose database may serve as a rollback target (and so counts as a kept standby).
ROLLBACK_CANDIDATE_STATES = frozenset({SnapshotState.STANDBY, SnapshotState.ROLLED_BACK})

_NEVER_RETIRED = frozenset(
    {
        SnapshotState.LIVE,
        SnapshotState.AWAITING_APPROVAL,
        SnapshotState.LOADING,
        SnapshotState.VALIDATING,
        SnapshotState.PROMOTING,
    }
)

_RETRYABLE = {SnapshotState.FAILED, SnapshotState.STALE, SnapshotState.SUPERSEDED}


def why_not(
    action: str,
    state: SnapshotState | None,
    *,
    read_only: bool,
    has_countdown: bool = False,
    rollback_target: str | None = None,
    live_database: str | None = None,
) -> str | None:
    """Why ``action`` does not apply to a row in ``state``; None when it does.

    The console shows the reason next to a disabled action instead of hiding it.
    """
    if action in CHANGING_ACTIONS and read_only:
        return "read-only mode: this console may not change Neo4j"
    if action == ROLLBACK:
        if live_database is None:
            return "this customer has no live database yet"
        if rollback_target is None:
            return "no earlier database is retained to roll back to"
        return None
    if state is None:
        return "select a snapshot first"
    if action == APPROVE:
        if state is not SnapshotState.AWAITING_APPROVAL:
            return f"only a snapshot awaiting approval can be approved (this one is {state.value})"
        return None
    if action == RETRY:
        if state not in _RETRYABLE:
            return (
                "only a failed, stale or superseded snapshot can be retried "
                f"(this one is {state.value})"
            )
        return None
    if action == HOLD:
        if state is not SnapshotState.AWAITING_APPROVAL or not has_countdown:
            return "only a snapshot counting down to an automatic promotion can be held"
        return None
    return f"unknown action {action!r}"


def count_mismatches(
    kind: str, expected: Mapping[str, int], actual: Mapping[str, int]
) -> list[str]:
    """Human-readable differences between what the snapshot held and what the database holds."""
    problems = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name, 0), actual.get(name, 0)
        if want != got:
            problems.append(f"{kind} {name}: snapshot had {want}, database has {got}")
    return problems


@dataclass(frozen=True)
class RetainedDatabase:
    """A database bgtui loaded that still exists, newest first by snapshot time."""

    database: str
    snapshot_key: str
    state: SnapshotState


def databases_to_retire(
    retained: Iterable[RetainedDatabase], keep_previous: int, protected: set[str]
) -> list[str]:
    """Which databases retention may drop: beyond live + ``keep_previous`` and not protected.

    ``retained`` is ordered newest first. Standbys beyond ``keep_previous`` go, and so do
    databases that can never be rolled back to (a load that failed validation, kept until the
    next promotion so the operator can inspect it). Protected names (the alias's real target,
    the rollback target, anything awaiting approval or loading) are never returned.
    """
    retained = list(retained)

    def untouchable(item: RetainedDatabase) -> bool:
        return item.database in protected or item.state in _NEVER_RETIRED

    # A protected standby (the rollback target) is the first one kept.
    kept = sum(
        1 for item in retained if untouchable(item) and item.state in ROLLBACK_CANDIDATE_STATES
    )
    drops = []
    for item in retained:
        if untouchable(item):
            continue
        if item.state in ROLLBACK_CANDIDATE_STATES and kept < keep_previous:
            kept += 1
            continue
        drops.append(item.database)
    return drops
