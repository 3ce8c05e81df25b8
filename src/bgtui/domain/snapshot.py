"""What a snapshot is and the states it moves through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cached_property

from bgtui.domain.names import alias_for_customer, database_for_snapshot, parse_timestamp


class SnapshotState(StrEnum):
    """Every state a snapshot can be in; the engine owns the transitions."""

    SEEN = "seen"  # found on disk, not yet complete
    QUEUED = "queued"  # complete, waiting for a load slot or the health gate
    LOADING = "loading"
    VALIDATING = "validating"
    AWAITING_APPROVAL = "awaiting_approval"
    PROMOTING = "promoting"
    LIVE = "live"
    STANDBY = "standby"  # was live; kept for rollback
    ROLLED_BACK = "rolled_back"  # the alias was moved away from it by a rollback
    RETIRED = "retired"  # its database was dropped by retention
    FAILED = "failed"
    REJECTED = "rejected"  # can never load (bad name, bad layout, escaping symlink)
    SUPERSEDED = "superseded"  # a newer ready snapshot of the same customer replaced it
    STALE = "stale"  # older than the live one; never auto-promoted

    @property
    def symbol(self) -> str:
        """A one-character marker so the state reads without colour."""
        return _SYMBOLS[self]

    @property
    def is_active(self) -> bool:
        """True while the engine is working on it (a quit should ask first)."""
        return self in {SnapshotState.LOADING, SnapshotState.VALIDATING, SnapshotState.PROMOTING}

    @property
    def needs_attention(self) -> bool:
        """True when a person should look at it."""
        return self in {SnapshotState.AWAITING_APPROVAL, SnapshotState.FAILED}


_SYMBOLS: dict[SnapshotState, str] = {
    SnapshotState.SEEN: "·",
    SnapshotState.QUEUED: "…",
    SnapshotState.LOADING: "↻",
    SnapshotState.VALIDATING: "?",
    SnapshotState.AWAITING_APPROVAL: "!",
    SnapshotState.PROMOTING: "→",
    SnapshotState.LIVE: "●",
    SnapshotState.STANDBY: "○",
    SnapshotState.ROLLED_BACK: "↩",
    SnapshotState.RETIRED: "✝",
    SnapshotState.FAILED: "✗",
    SnapshotState.REJECTED: "⊘",
    SnapshotState.SUPERSEDED: "»",
    SnapshotState.STALE: "≈",
}


@dataclass(frozen=True)
class SnapshotId:
    """A snapshot folder ``<base>/<customer>/<timestamp>``, identified by its two raw names.

    The derived Neo4j names (``alias``, ``database``) raise ``InvalidNameError`` when the folder
    names cannot become valid names; callers check ``name_problem`` first to reject cleanly.
    """

    customer: str
    timestamp: str

    @cached_property
    def alias(self) -> str:
        return alias_for_customer(self.customer)

    @cached_property
    def database(self) -> str:
        return database_for_snapshot(self.customer, self.timestamp)

    @cached_property
    def taken_at(self) -> datetime:
        return parse_timestamp(self.timestamp)

    @property
    def key(self) -> str:
        """A stable string id for history and the UI: ``customer/timestamp``."""
        return f"{self.customer}/{self.timestamp}"

    @classmethod
    def from_key(cls, key: str) -> SnapshotId:
        customer, _, timestamp = key.partition("/")
        return cls(customer, timestamp)

    def name_problem(self) -> str | None:
        """Why this folder cannot be loaded, or None when its names are all valid."""
        try:
            _ = self.alias, self.database, self.taken_at
        except ValueError as exc:
            return str(exc)
        return None

    def __str__(self) -> str:
        return self.key
