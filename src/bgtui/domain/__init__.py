"""Pure domain rules shared by every part of bgtui: names, snapshot ids and states."""

from bgtui.domain.names import (
    IDENTIFIER_PATTERN,
    InvalidNameError,
    alias_for_customer,
    database_for_snapshot,
    database_name_problem,
    parse_timestamp,
    quote_identifier,
)
from bgtui.domain.snapshot import SnapshotId, SnapshotState

__all__ = [
    "IDENTIFIER_PATTERN",
    "InvalidNameError",
    "SnapshotId",
    "SnapshotState",
    "alias_for_customer",
    "database_for_snapshot",
    "database_name_problem",
    "parse_timestamp",
    "quote_identifier",
]
