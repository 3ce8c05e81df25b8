"""Running statements against a ``Dbms`` the way the Bolt layer does: begin, run, commit."""

from __future__ import annotations

from typing import Any

import pytest

from bgtui.sandbox.dbms import Dbms
from bgtui.sandbox.results import CypherFailure, QueryResult


def run(dbms: Dbms, database: str | None, query: str, /, **parameters: Any) -> QueryResult:
    """An auto-commit statement: rolled back (and re-raised) when it fails."""
    tx = dbms.begin(database)
    try:
        result = tx.run(query, parameters)
    except CypherFailure:
        tx.rollback()
        raise
    tx.commit()
    return result


def fails(dbms: Dbms, database: str | None, query: str, /, **parameters: Any) -> CypherFailure:
    """The failure an auto-commit statement raises; the test fails if it succeeds."""
    with pytest.raises(CypherFailure) as caught:
        run(dbms, database, query, **parameters)
    return caught.value


def rows(result: QueryResult) -> list[dict[str, Any]]:
    return [dict(zip(result.fields, record, strict=True)) for record in result.records]


def chain(failure: CypherFailure) -> list[str]:
    """The GQL statuses from the top of the chain down."""
    statuses = [failure.gql_status]
    cause = failure.cause
    while cause is not None:
        statuses.append(cause.gql_status)
        cause = cause.cause
    return statuses
