"""SHOW DATABASES and SHOW ALIASES: the catalogue as rows, with Neo4j 5.26's columns.

``SHOW DATABASE <alias>`` answers with the target's row and a missing name with no rows, as
Neo4j does (https://neo4j.com/docs/operations-manual/current/database-administration/standard-databases/listing-databases/,
https://neo4j.com/docs/operations-manual/current/database-administration/aliases/manage-aliases-standard-databases/).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bgtui.sandbox.cypher_text import project_show, resolve_name
from bgtui.sandbox.recognition import StatementContext, structure
from bgtui.sandbox.results import QueryResult

if TYPE_CHECKING:
    from bgtui.sandbox.catalogue import DatabaseRecord
    from bgtui.sandbox.catalogue import Server as Dbms

Row = dict[str, Any]

DATABASE_COLUMNS = [
    "name", "type", "aliases", "access", "address", "role", "writer", "requestedStatus",
    "currentStatus", "statusMessage", "default", "home", "constituents",
]  # fmt: skip
#: ``YIELD *`` on Neo4j 5.26 (listing-databases, above).
ALL_DATABASE_COLUMNS = [
    "name", "type", "aliases", "access", "databaseID", "serverID", "address", "role", "writer",
    "requestedStatus", "currentStatus", "statusMessage", "default", "home",
    "currentPrimariesCount", "currentSecondariesCount", "requestedPrimariesCount",
    "requestedSecondariesCount", "creationTime", "lastStartTime", "lastStopTime", "store",
    "lastCommittedTxn", "replicationLag", "constituents", "options",
]  # fmt: skip
ALIAS_COLUMNS = ["name", "composite", "database", "location", "url", "user"]
ALL_ALIAS_COLUMNS = [*ALIAS_COLUMNS, "driver", "properties"]


# --- rows ------------------------------------------------------------------------------------


def _datetime(seconds: float | None) -> Any:
    """A zoned DATETIME value (Bolt 5 DateTime structure, UTC)."""
    if seconds is None:
        return None
    whole = int(seconds)
    return structure(0x49, [whole, int((seconds - whole) * 1e9), 0])


def database_rows(dbms: Dbms, record: DatabaseRecord) -> list[Row]:
    """One row per allocation (one on a standalone server), as a cluster lists a database.

    ``currentPrimariesCount`` "is the same as the number of rows where role=primary" (and
    likewise for secondaries) among the copies that are online; ``replicationLag`` is what a
    non-writer copy reports while ``sandbox.fault.replicationLag`` is set, 0 on the writer
    (https://neo4j.com/docs/operations-manual/current/database-administration/standard-databases/listing-databases/).
    """
    status = dbms.current_status(record)
    online = status == "online"
    allocations = dbms.allocations(record)
    primaries = sum(1 for _, role in allocations if role == "primary") if online else 0
    secondaries = sum(1 for _, role in allocations if role == "secondary") if online else 0
    requested = (
        (len(allocations), 0) if record.kind == "system" else (record.primaries, record.secondaries)
    )
    rows = []
    for position, (server, role) in enumerate(allocations):
        writer = online and position == 0
        rows.append(
            {
                "name": record.name,
                "type": record.kind,
                "aliases": dbms.aliases_of(record.name),
                "access": "read-write",
                "databaseID": record.database_id if online else None,
                "serverID": dbms.server_ids[server],
                "address": dbms.addresses[server],
                "role": role,
                "writer": writer,
                "requestedStatus": record.requested_status,
                "currentStatus": status,
                "statusMessage": record.status_message if record.failed else "",
                "default": record.name == dbms.default_database(),
                "home": record.name == dbms.default_database(),
                "currentPrimariesCount": primaries,
                "currentSecondariesCount": secondaries,
                "requestedPrimariesCount": requested[0],
                "requestedSecondariesCount": requested[1],
                "creationTime": _datetime(record.created_at),
                "lastStartTime": _datetime(record.last_start),
                "lastStopTime": _datetime(record.last_stop),
                "store": "block-block-1.1",
                "lastCommittedTxn": record.last_committed_txn,
                "replicationLag": 0 if writer or not online else record.replication_lag,
                "constituents": [],
                "options": {},
            }
        )
    return rows


def show_databases(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    """SHOW DATABASES, SHOW DATABASE <name or alias> (the target's row; none if missing)."""
    dbms = ctx.dbms
    records = sorted(dbms.databases.values(), key=lambda record: record.name)
    if match["name"]:
        name, _ = resolve_name(match["name"], ctx.parameters)
        found = dbms.lookup(name)
        records = [found] if found is not None else []
    rows = [row for record in records for row in database_rows(dbms, record)]
    fields, values = project_show(
        rows, match["tail"], ctx.parameters, DATABASE_COLUMNS, ALL_DATABASE_COLUMNS
    )
    return QueryResult(fields, values)


def show_default_database(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    """SHOW DEFAULT / HOME DATABASE: the ``neo4j`` row without ``default`` and ``home``."""
    dbms = ctx.dbms
    rows = database_rows(dbms, dbms.databases[dbms.default_database()])
    columns = [c for c in DATABASE_COLUMNS if c not in ("default", "home")]
    every = [c for c in ALL_DATABASE_COLUMNS if c not in ("default", "home")]
    fields, values = project_show(rows, match["tail"], ctx.parameters, columns, every)
    return QueryResult(fields, values)


def show_aliases(ctx: StatementContext, match: re.Match[str]) -> QueryResult:
    aliases = sorted(ctx.dbms.aliases.values(), key=lambda alias: alias.name)
    if match["name"]:
        # UNCONFIRMED whether Neo4j accepts a $parameter here; the sandbox does.
        name, _ = resolve_name(match["name"], ctx.parameters)
        aliases = [alias for alias in aliases if alias.name == name]
    rows = [
        {
            "name": alias.name,
            "composite": None,
            "database": alias.target,
            "location": "local",
            "url": None,
            "user": None,
            "driver": None,
            "properties": dict(alias.properties),
        }
        for alias in aliases
    ]
    fields, values = project_show(
        rows, match["tail"], ctx.parameters, ALIAS_COLUMNS, ALL_ALIAS_COLUMNS
    )
    return QueryResult(fields, values)
