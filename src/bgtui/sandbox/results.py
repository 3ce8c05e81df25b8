"""What the sandbox's statement engine hands to its Bolt layer: results and failures.

This is the seam between ``bolt.py`` (wire protocol, connection state) and ``dbms.py`` /
``statements.py`` (what a statement does). Neither side knows the other's internals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Bolt query types reported in the PULL summary (``type``).
READ, WRITE, READ_WRITE, SCHEMA = "r", "w", "rw", "s"


@dataclass
class QueryResult:
    """The outcome of one RUN: column names, rows, counters and the Bolt query type."""

    fields: list[str]
    records: list[list[Any]] = field(default_factory=list)
    stats: dict[str, int | bool] = field(default_factory=dict)
    query_type: str = READ
    database: str | None = None  # the database name reported back as ``db``


_CLASSIFICATIONS = {
    "ClientError": "CLIENT_ERROR",
    "TransientError": "TRANSIENT_ERROR",
    "DatabaseError": "DATABASE_ERROR",
}


class CypherFailure(Exception):
    """A Neo4j error as Bolt 5.7+ sends it: Neo4j code, message and a GQL status chain.

    Args:
        neo4j_code: ``Neo.<Classification>.<Category>.<Title>``; the driver picks the Python
            exception class from it alone, so it must always be well formed.
        message: the legacy message text (https://neo4j.com/docs/status-codes/current/).
        gql_status: five-character GQL status of the top of the chain.
        description: the GQL status description.
        cause: the next GQL error down the chain, if any.
    """

    def __init__(
        self,
        neo4j_code: str,
        message: str,
        gql_status: str = "50N42",
        description: str = "error: general processing exception - unexpected error",
        cause: GqlCause | None = None,
    ) -> None:
        super().__init__(message)
        parts = neo4j_code.split(".")
        if len(parts) != 4 or parts[0] != "Neo" or parts[1] not in _CLASSIFICATIONS:
            raise ValueError(f"malformed Neo4j status code {neo4j_code!r}")
        self.neo4j_code = neo4j_code
        self.message = message
        self.gql_status = gql_status
        self.description = description
        self.cause = cause

    @property
    def classification(self) -> str:
        return _CLASSIFICATIONS[self.neo4j_code.split(".")[1]]

    def to_metadata(self, bolt_minor: int = 8, bolt_major: int = 5) -> dict[str, Any]:
        """FAILURE metadata for the negotiated Bolt version (``code`` before 5.7)."""
        if (bolt_major, bolt_minor) < (5, 7):
            return {"code": self.neo4j_code, "message": self.message}
        metadata: dict[str, Any] = {
            "neo4j_code": self.neo4j_code,
            "message": self.message,
            "gql_status": self.gql_status,
            "description": self.description,
            "diagnostic_record": _diagnostic_record(self.classification),
        }
        if self.cause is not None:
            metadata["cause"] = self.cause.to_metadata(self.classification)
        return metadata


@dataclass
class GqlCause:
    """One link further down a GQL error chain (FAILURE ``cause``)."""

    gql_status: str
    description: str
    message: str
    cause: GqlCause | None = None

    def to_metadata(self, classification: str) -> dict[str, Any]:
        metadata: dict[str, Any] = {
            "gql_status": self.gql_status,
            "description": self.description,
            "message": self.message,
            "diagnostic_record": _diagnostic_record(classification),
        }
        if self.cause is not None:
            metadata["cause"] = self.cause.to_metadata(classification)
        return metadata


def _diagnostic_record(classification: str) -> dict[str, Any]:
    return {
        "OPERATION": "",
        "OPERATION_CODE": "0",
        "CURRENT_SCHEMA": "/",
        "_classification": classification,
    }
