"""The sandbox's catalogue as statements see it: database and alias records, and the server.

The statement modules (``admin``, ``show_commands``, ``recognition`` …) work on these; ``Dbms``
(``dbms.py``) holds them and runs the statements, so neither side imports the other.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bgtui.sandbox.graphstore import GraphStore


@dataclass
class DatabaseRecord:
    """One database as ``SHOW DATABASES`` describes it, with its graph."""

    name: str
    kind: str  # "system" or "standard"
    created_at: float  # wall-clock seconds, for creationTime
    online_from: float = 0.0  # monotonic time at which a starting database is online
    requested_status: str = "online"
    failed: bool = False  # taken offline by a fault while requested online
    last_start: float | None = None
    last_stop: float | None = None
    last_committed_txn: int = 0
    graph: GraphStore = field(default_factory=GraphStore)
    database_id: str = field(default_factory=lambda: uuid.uuid4().hex.upper())
    status_message: str = ""  # why a failed database is offline, as SHOW DATABASES says
    primaries: int = 1  # the TOPOLOGY asked for (requestedPrimariesCount)
    secondaries: int = 0  # requestedSecondariesCount
    replication_lag: int = 0  # transactions each non-writer copy reports being behind


@dataclass
class Alias:
    """A local database alias: queries sent to ``name`` reach ``target``."""

    name: str
    target: str
    properties: dict[str, Any] = field(default_factory=dict)


class Server(Protocol):
    """What statements read and change on the server (``bgtui.sandbox.dbms.Dbms``)."""

    version: str
    edition: str
    addresses: list[str]
    server_ids: list[str]
    start_delay_seconds: float
    clock: Callable[[], float]
    heap_max_bytes: int
    heap_used_bytes: int
    databases: dict[str, DatabaseRecord]
    aliases: dict[str, Alias]

    @property
    def address(self) -> str: ...
    @property
    def server_id(self) -> str: ...
    @property
    def edition_reported(self) -> str: ...
    def default_database(self) -> str: ...
    def allocations(self, record: DatabaseRecord) -> list[tuple[int, str]]: ...
    def new_database(
        self, name: str, *, wait: bool, kind: str = "standard", topology: tuple[int, int] = (1, 0)
    ) -> DatabaseRecord: ...
    def lookup(self, name: str) -> DatabaseRecord | None: ...
    def aliases_of(self, database: str) -> list[str]: ...
    def current_status(self, record: DatabaseRecord) -> str: ...
