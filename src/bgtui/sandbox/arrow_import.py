"""Database imports the sandbox's Arrow Flight server runs: the GDS ``CREATE_DATABASE`` flow.

One ``ImportProcess`` per name goes ``nodes → relationships → done`` as the Neo4j Graph Data
Science manual describes (https://neo4j.com/docs/graph-data-science/current/management-ops/
graph-creation/graph-project-apache-arrow/): ``CREATE_DATABASE`` opens it, node DoPuts append
record batches, ``NODE_LOAD_DONE`` closes the nodes, relationship DoPuts follow, and
``RELATIONSHIP_LOAD_DONE`` builds the database and hands it to the Dbms, where Bolt sees it.
``ABORT`` (or the idle timeout) discards everything.

The errors raised here are the Python exceptions a pyarrow Flight server turns into the gRPC
statuses the real server is believed to send: ``KeyError`` → NOT_FOUND, ``ValueError`` →
INVALID_ARGUMENT, any other exception → UNKNOWN.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from bgtui.domain.names import database_name_problem
from bgtui.sandbox.columnar import (
    LABELS,
    NODE_ID,
    RELATIONSHIP_TYPE,
    SOURCE_ID,
    TARGET_ID,
    ArrowGraphData,
    ColumnarGraphStore,
    label_lists,
)
from bgtui.sandbox.dbms import Dbms

#: The keys ``CREATE_DATABASE`` accepts (GDS 2.2 and later; ``debug_log`` was 2.1 only).
CREATE_DATABASE_KEYS = frozenset(
    {
        "name",
        "id_type",
        "id_property",
        "concurrency",
        "db_format",
        "record_format",
        "force",
        "high_io",
        "use_bad_collector",
    }
)
ID_TYPES = {"INTEGER": pa.int64(), "STRING": pa.string()}
# UNCONFIRMED: the manual says __originalId__, the Python client's docstring says originalId.
DEFAULT_ID_PROPERTY = "__originalId__"
DEFAULT_ABORTION_TIMEOUT = 600.0  # gds.arrow.abortion_timeout, 10 minutes


class ArrowImportError(Exception):
    """A failure the real server reports with gRPC status UNKNOWN (FlightServerError)."""


def no_process(name: str, running: list[str]) -> KeyError:
    """The NOT_FOUND a DONE, PUT or ABORT for an unknown import name gets."""
    available = ", ".join(running)
    return KeyError(
        f"No arrow process with name `{name}` is running. Available processes are [{available}]."
    )


@dataclass
class ImportProcess:
    """One database import between CREATE_DATABASE and RELATIONSHIP_LOAD_DONE."""

    name: str
    id_type: str
    id_property: str
    config: dict[str, Any]
    last_activity: float
    phase: str = "nodes"  # "nodes" | "relationships"
    node_batches: list[pa.RecordBatch] = field(default_factory=list)
    relationship_batches: list[pa.RecordBatch] = field(default_factory=list)
    node_rows: int = 0
    relationship_rows: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def id_arrow_type(self) -> pa.DataType:
        return ID_TYPES[self.id_type]


@dataclass
class ImportBehaviour:
    """How the stand-in behaves where the real server's behaviour is not documented.

    Args:
        online_delay_seconds: after RELATIONSHIP_LOAD_DONE the database reports
            ``starting`` this long before ``online`` (whether DONE waits is UNCONFIRMED).
        abortion_timeout: an import with no command for this long is aborted.
    """

    online_delay_seconds: float = 0.0
    abortion_timeout: float = DEFAULT_ABORTION_TIMEOUT


class ImportRegistry:
    """Every running import, by name, and what finishing one does to the Dbms."""

    def __init__(
        self,
        dbms: Dbms,
        options: ImportBehaviour | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.dbms = dbms
        self.options = options or ImportBehaviour()
        self._clock = clock
        self._lock = threading.Lock()
        self._processes: dict[str, ImportProcess] = {}

    def running(self) -> list[str]:
        with self._lock:
            self._expire()
            return sorted(self._processes)

    # --- actions -----------------------------------------------------------------------------

    def create_database(self, body: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(body) - CREATE_DATABASE_KEYS)
        if unknown:
            # The real server wraps this in FlightRuntimeException: UNKNOWN (seen for
            # CREATE_GRAPH; the same for CREATE_DATABASE is UNCONFIRMED).
            raise ArrowImportError(f"Unexpected configuration key(s): [{', '.join(unknown)}]")
        name = body.get("name")
        if not isinstance(name, str) or not name:
            raise ValueError("No value specified for the mandatory configuration parameter `name`")
        problem = database_name_problem(name)
        if problem:
            raise ValueError(problem)
        id_type = str(body.get("id_type", "INTEGER")).upper()
        if id_type not in ID_TYPES:
            raise ValueError(f"Invalid id_type `{body.get('id_type')}`: use INTEGER or STRING")
        id_property = body.get("id_property", DEFAULT_ID_PROPERTY)
        if not isinstance(id_property, str) or not id_property:
            raise ValueError("`id_property` must be a non-empty string")
        key = name.lower()
        with self._lock:
            self._expire()
            # UNCONFIRMED: the exact status and text for a name in use; clients look for
            # ALREADY_EXISTS in the message.
            if key in self._processes:
                raise ArrowImportError(
                    f"ALREADY_EXISTS: an import named `{name}` is already running"
                )
            with self.dbms.lock:
                if self.dbms.lookup(key) is not None:
                    raise ArrowImportError(f"ALREADY_EXISTS: database `{name}` already exists")
            self._processes[key] = ImportProcess(
                name, id_type, id_property, dict(body), self._clock()
            )
        return {"name": name}

    def node_load_done(self, body: dict[str, Any]) -> dict[str, Any]:
        process = self._process(body)
        with process.lock:
            self._expect(process, "nodes", "NODE_LOAD_DONE")
            _check_unique_ids(process)
            process.phase = "relationships"
            return {"name": process.name, "node_count": process.node_rows}

    def relationship_load_done(self, body: dict[str, Any]) -> dict[str, Any]:
        process = self._process(body)
        with process.lock:
            self._expect(process, "relationships", "RELATIONSHIP_LOAD_DONE")
            _check_endpoints(process)
            graph = ColumnarGraphStore(
                ArrowGraphData(
                    process.id_property, process.node_batches, process.relationship_batches
                )
            )
            self._finish(process, graph)
            return {"name": process.name, "relationship_count": process.relationship_rows}

    def abort(self, body: dict[str, Any]) -> dict[str, Any]:
        name = _name_of(body)
        with self._lock:
            self._expire()
            process = self._processes.pop(name.lower(), None)
            if process is None:
                raise no_process(name, sorted(self._processes))
        # UNCONFIRMED: the reply body of ABORT; clients expect {"name": …}.
        return {"name": process.name}

    # --- uploads -------------------------------------------------------------------------------

    def open_upload(self, name: str, entity_type: str) -> ImportProcess:
        """The import a DoPut writes to; checks the phase before any batch is read."""
        process = self._process({"name": name})
        if entity_type not in ("node", "relationship"):
            raise ValueError(f"Unknown entity_type `{entity_type}`: use node or relationship")
        phase = "nodes" if entity_type == "node" else "relationships"
        with process.lock:
            # UNCONFIRMED: what the server does with uploads out of order.
            self._expect(process, phase, f"a {entity_type} upload")
        return process

    def check_schema(self, process: ImportProcess, entity_type: str, schema: pa.Schema) -> None:
        """Required columns with the types the id type asks for; property types allowed."""
        id_type = process.id_arrow_type
        required = (NODE_ID,) if entity_type == "node" else (SOURCE_ID, TARGET_ID)
        for column in required:
            if column not in schema.names:
                raise ValueError(
                    f"Missing required column `{column}` in the {entity_type} schema {schema.names}"
                )
            found = schema.field(column).type
            if found != id_type:
                # UNCONFIRMED: whether int32 or large_utf8 ids are converted instead.
                raise ValueError(
                    f"Column `{column}` must be of type {id_type} for id_type "
                    f"{process.id_type}, found {found}"
                )
        if entity_type == "node":
            if LABELS in schema.names and not _is_label_type(schema.field(LABELS).type):
                raise ValueError(
                    f"Column `labels` must be utf8, dictionary or list<utf8>, "
                    f"found {schema.field(LABELS).type}"
                )
            if process.id_property in schema.names:
                raise ValueError(
                    f"Column `{process.id_property}` clashes with the id_property of the import"
                )
            reserved: tuple[str, ...] = (NODE_ID, LABELS)
        else:
            # UNCONFIRMED: whether a database import accepts relationships without a type.
            if RELATIONSHIP_TYPE not in schema.names:
                raise ValueError("Missing required column `relationshipType`")
            if not _is_text(schema.field(RELATIONSHIP_TYPE).type):
                raise ValueError(
                    f"Column `relationshipType` must be utf8 or dictionary, "
                    f"found {schema.field(RELATIONSHIP_TYPE).type}"
                )
            reserved = (SOURCE_ID, TARGET_ID, RELATIONSHIP_TYPE)
        for schema_field in schema:
            if schema_field.name in reserved:
                continue
            if not _is_property_type(schema_field.type):
                # UNCONFIRMED: the full list of property types a database import takes.
                raise ValueError(
                    f"Property column `{schema_field.name}` has unsupported type "
                    f"{schema_field.type}"
                )

    def add_batch(self, process: ImportProcess, entity_type: str, batch: pa.RecordBatch) -> None:
        """Keep one record batch as it came (no per-row work), after checking its ids."""
        columns = (NODE_ID,) if entity_type == "node" else (SOURCE_ID, TARGET_ID)
        for column in columns:
            values = batch.column(column)
            if values.null_count:
                raise ValueError(f"Column `{column}` must not hold nulls")
            if process.id_type == "INTEGER" and len(values):
                smallest = pc.min(values).as_py()
                if smallest < 0:
                    raise ValueError(f"Column `{column}` holds a negative id ({smallest})")
        if entity_type == "node" and LABELS in batch.schema.names:
            if batch.column(LABELS).null_count:
                raise ValueError("Column `labels` must not hold nulls")
        elif entity_type == "relationship" and batch.column(RELATIONSHIP_TYPE).null_count:
            raise ValueError("Column `relationshipType` must not hold nulls")
        with process.lock:
            self._expect(process, "nodes" if entity_type == "node" else "relationships", "upload")
            process.last_activity = self._clock()
            if entity_type == "node":
                process.node_batches.append(batch)
                process.node_rows += batch.num_rows
            else:
                process.relationship_batches.append(batch)
                process.relationship_rows += batch.num_rows

    # --- internals ---------------------------------------------------------------------------

    def _process(self, body: dict[str, Any]) -> ImportProcess:
        name = _name_of(body)
        with self._lock:
            self._expire()
            process = self._processes.get(name.lower())
            if process is None:
                raise no_process(name, sorted(self._processes))
            process.last_activity = self._clock()
            return process

    def _expect(self, process: ImportProcess, phase: str, what: str) -> None:
        if process.phase != phase:
            # UNCONFIRMED: the real server's answer to calls out of order.
            raise ValueError(
                f"Import `{process.name}` is loading {process.phase}; {what} is not allowed now"
            )

    def _finish(self, process: ImportProcess, graph: ColumnarGraphStore) -> None:
        """The database appears in the catalogue (name in lower case), starting then online."""
        key = process.name.lower()
        with self._lock:
            self._processes.pop(key, None)
        dbms = self.dbms
        with dbms.lock:
            if dbms.lookup(key) is not None:
                raise ArrowImportError(f"ALREADY_EXISTS: database `{process.name}` already exists")
            record = dbms.new_database(key, wait=True)
            record.graph = graph
            record.online_from = dbms.clock() + self.options.online_delay_seconds
            record.last_committed_txn = 1
            dbms.databases[key] = record

    def _expire(self) -> None:
        """Drop imports idle for longer than the abortion timeout (call with the lock held)."""
        deadline = self._clock() - self.options.abortion_timeout
        for key in [k for k, p in self._processes.items() if p.last_activity < deadline]:
            del self._processes[key]


def _name_of(body: dict[str, Any]) -> str:
    name = body.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError("No value specified for the mandatory configuration parameter `name`")
    return name


def _is_text(data_type: pa.DataType) -> bool:
    if pa.types.is_dictionary(data_type):
        return _is_text(data_type.value_type)
    return bool(pa.types.is_string(data_type))


def _is_label_type(data_type: pa.DataType) -> bool:
    if pa.types.is_list(data_type):
        return bool(pa.types.is_string(data_type.value_type))
    return _is_text(data_type)


_SCALARS = (pa.int64(), pa.float64(), pa.float32(), pa.string(), pa.bool_())


def _is_property_type(data_type: pa.DataType) -> bool:
    """long, double, float, text and boolean, and lists of them.

    The graph import documents long, double and their lists; a database import took text in
    a Neo4j notebook. Booleans and lists of text are UNCONFIRMED.
    """
    if pa.types.is_dictionary(data_type):
        return _is_text(data_type)
    if pa.types.is_list(data_type):
        return data_type.value_type in _SCALARS
    return data_type in _SCALARS


def _check_unique_ids(process: ImportProcess) -> None:
    """Duplicate node ids are undefined behaviour on the real server; the stand-in refuses."""
    if not process.node_batches:
        return
    ids = pa.chunked_array([batch.column(NODE_ID) for batch in process.node_batches])
    distinct = len(ids.unique())
    if distinct != len(ids):
        raise ValueError(f"{len(ids) - distinct} node ids appear more than once")


def _check_endpoints(process: ImportProcess) -> None:
    """Every relationship must point at imported nodes (dangling ones: UNCONFIRMED, fatal)."""
    if not process.relationship_batches:
        return
    known = (
        pa.chunked_array([batch.column(NODE_ID) for batch in process.node_batches]).combine_chunks()
        if process.node_batches
        else pa.array([], process.id_arrow_type)
    )
    for batch in process.relationship_batches:
        for column in (SOURCE_ID, TARGET_ID):
            present = pc.is_in(batch.column(column), value_set=known)
            if not pc.all(present).as_py():
                missing = batch.column(column).filter(pc.invert(present))[0].as_py()
                raise ValueError(
                    f"Relationship `{column}` {missing!r} does not refer to an imported node"
                )


__all__ = [
    "ArrowImportError",
    "ImportBehaviour",
    "ImportProcess",
    "ImportRegistry",
    "label_lists",
]
