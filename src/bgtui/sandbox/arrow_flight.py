"""The sandbox's Arrow Flight server: a stand-in for the Neo4j GDS Arrow endpoint (port 8491).

It answers what a GDS Enterprise server answers when a client builds a new database from Arrow
data (https://neo4j.com/docs/graph-data-science/current/management-ops/graph-creation/
graph-project-apache-arrow/): the versioned ``v1/`` actions and, unless told to act as a
server older than GDS 2.6 (``legacy=True``: only the unprefixed names), the deprecated
unprefixed ones too; both DoPut descriptor forms; Basic authentication on every call or a
Handshake that hands out a bearer token. The finished database lands in the shared ``Dbms``,
so Bolt clients see it in ``SHOW DATABASES`` and read it through aliases.

Authentication follows the configuration page
(https://neo4j.com/docs/graph-data-science/current/installation/configure-apache-arrow-server/):
Neo4j's native users, no Arrow roles. That the server issues bearer tokens as Arrow Java's
auth2 package does is UNCONFIRMED, though every Neo4j client expects it.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.flight as flight

from bgtui.sandbox.arrow_import import (
    ArrowImportError,
    ImportBehaviour,
    ImportProcess,
    ImportRegistry,
)
from bgtui.sandbox.dbms import Dbms

log = logging.getLogger(__name__)

DEFAULT_ARROW_PORT = 8491
ACTIONS = ("CREATE_DATABASE", "NODE_LOAD_DONE", "RELATIONSHIP_LOAD_DONE", "ABORT")
_DESCRIPTIONS = {
    "CREATE_DATABASE": "Start importing a new Neo4j database",
    "NODE_LOAD_DONE": "All nodes of an import are sent",
    "RELATIONSHIP_LOAD_DONE": "All relationships are sent; build and start the database",
    "ABORT": "Discard an import",
}
# UNCONFIRMED: bearer-token lifetime (the official Python client assumes 10 minutes).
TOKEN_SECONDS = 600.0


@dataclass
class ArrowFaults:
    """Trouble on demand for tests: a DoPut that fails after some batches."""

    fail_put_after_batches: int | None = None
    failure_message: str = "Failure injected by the bgtui sandbox."
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check_put(self, batches_so_far: int) -> None:
        with self._lock:
            limit = self.fail_put_after_batches
            if limit is not None and batches_so_far >= limit:
                self.fail_put_after_batches = None
                raise flight.FlightInternalError(self.failure_message)


@dataclass(frozen=True)
class CallRecord:
    """One call as the server saw it, so tests can tell which protocol form a client used."""

    kind: str  # "action" | "put" | "handshake"
    name: str  # action type as sent, or the import name of a put
    form: str  # "v1" | "alpha"
    auth: str  # "basic" | "bearer"


class _Tokens:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, float] = {}

    def issue(self) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = time.monotonic() + TOKEN_SECONDS
        return token

    def valid(self, token: str) -> bool:
        with self._lock:
            expiry = self._tokens.get(token)
            return expiry is not None and expiry > time.monotonic()


class _AuthMiddleware(flight.ServerMiddleware):
    def __init__(self, method: str, token: str | None) -> None:
        self.method = method
        self._token = token

    def sending_headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self._token}"} if self._token else {}


class _AuthFactory(flight.ServerMiddlewareFactory):
    """Basic on any call (a token comes back with it), or a bearer token issued before."""

    def __init__(self, dbms: Dbms, tokens: _Tokens) -> None:
        super().__init__()
        self._dbms = dbms
        self._tokens = tokens

    def start_call(self, info: flight.CallInfo, headers: dict[str, list[Any]]) -> _AuthMiddleware:
        values = headers.get("authorization") or headers.get("Authorization") or []
        value = values[0] if values else ""
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        scheme, _, credentials = value.partition(" ")
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(credentials).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                raise flight.FlightUnauthenticatedError("Malformed basic credentials") from None
            if not self._dbms.authenticate(user, password):
                raise flight.FlightUnauthenticatedError(
                    "The client is unauthorized due to authentication failure."
                )
            return _AuthMiddleware("basic", self._tokens.issue())
        if scheme.lower() == "bearer":
            if not self._tokens.valid(credentials):
                raise flight.FlightUnauthenticatedError("Invalid or expired bearer token")
            return _AuthMiddleware("bearer", None)
        raise flight.FlightUnauthenticatedError("No authorization header: use Basic or Bearer")


class _HandshakeAccepted(flight.ServerAuthHandler):
    """Lets ``authenticate_basic_token`` through; the middleware did the checking."""

    def authenticate(self, outgoing: Any, incoming: Any) -> None:
        return None

    def is_valid(self, token: bytes) -> str:
        return ""


class ArrowFlightServer(flight.FlightServerBase):
    """GDS's Arrow endpoint in front of a ``Dbms``; builds databases from DoPut streams.

    Args:
        dbms: the state Bolt serves too.
        host, port: where to listen (port 0 picks a free one).
        legacy: act as GDS before 2.6: only unprefixed actions and descriptors.
        behaviour: online delay and idle timeout of imports.
    """

    def __init__(
        self,
        dbms: Dbms,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        legacy: bool = False,
        behaviour: ImportBehaviour | None = None,
    ) -> None:
        self._tokens = _Tokens()
        super().__init__(
            f"grpc+tcp://{host}:{port}",
            auth_handler=_HandshakeAccepted(),
            middleware={"auth": _AuthFactory(dbms, self._tokens)},
        )
        self.host = host
        self.dbms = dbms
        self.legacy = legacy
        self.imports = ImportRegistry(dbms, behaviour)
        self.faults = ArrowFaults()
        self.calls: list[CallRecord] = []
        self._calls_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def location(self) -> str:
        return f"grpc+tcp://{self.host}:{self.port}"

    # --- life cycle ----------------------------------------------------------------------

    def start(self) -> ArrowFlightServer:
        """Serve in a background thread; returns at once."""
        if self._thread is None:
            self._thread = threading.Thread(target=self.serve, name="sandbox-arrow", daemon=True)
            self._thread.start()
            log.info("sandbox Arrow Flight server on %s", self.location)
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self.shutdown()
            self._thread.join(5)
            self._thread = None

    def __enter__(self) -> ArrowFlightServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- Flight calls ------------------------------------------------------------------------

    def list_actions(self, context: flight.ServerCallContext) -> list[tuple[str, str]]:
        names = ACTIONS if self.legacy else tuple(f"v1/{action}" for action in ACTIONS)
        return [(name, _DESCRIPTIONS[name.rpartition("/")[2]]) for name in names]

    def do_action(self, context: flight.ServerCallContext, action: flight.Action) -> list[bytes]:
        action_type = action.type
        version, _, command = action_type.rpartition("/")
        if version and (self.legacy or version.lower() != "v1"):
            # UNCONFIRMED: what a server older than GDS 2.6 answers for a v1/ action.
            raise NotImplementedError(f"Unknown action `{action_type}`")
        if command not in ACTIONS:
            raise NotImplementedError(f"Unknown action `{action_type}`")
        self._record(context, "action", action_type, "v1" if version else "alpha")
        body = _json_object(action.body.to_pybytes(), "action body")
        handler = {
            "CREATE_DATABASE": self.imports.create_database,
            "NODE_LOAD_DONE": self.imports.node_load_done,
            "RELATIONSHIP_LOAD_DONE": self.imports.relationship_load_done,
            "ABORT": self.imports.abort,
        }[command]
        try:
            reply = handler(body)
        except ArrowImportError as error:
            raise flight.FlightServerError(str(error)) from None
        log.debug("arrow action %s %s -> %s", action_type, body.get("name"), reply)
        return [json.dumps(reply).encode("utf-8")]

    def do_put(
        self,
        context: flight.ServerCallContext,
        descriptor: flight.FlightDescriptor,
        reader: flight.MetadataRecordBatchReader,
        writer: flight.FlightMetadataWriter,
    ) -> None:
        command = _json_object(descriptor.command or b"", "descriptor")
        form = "alpha"
        if "body" in command and "version" in command:
            # UNCONFIRMED: whether the server checks the envelope name (PUT_COMMAND, or
            # PUT_MESSAGE in Python clients 1.10-1.13).
            if self.legacy:
                raise ValueError("Unknown descriptor: this server takes {name, entity_type}")
            form = "v1"
            body = command["body"]
            if not isinstance(body, dict):
                raise ValueError("The descriptor body must be a JSON object")
            command = body
        name = command.get("name")
        entity_type = command.get("entity_type")
        if not isinstance(name, str) or not isinstance(entity_type, str):
            raise ValueError("The descriptor needs `name` and `entity_type`")
        self._record(context, "put", name, form)
        process = self.imports.open_upload(name, entity_type)
        self.imports.check_schema(process, entity_type, reader.schema)
        batches = 0
        for chunk in reader:
            if chunk.data is None:
                continue
            self.faults.check_put(batches)
            self._add(process, entity_type, chunk.data)
            batches += 1
            # UNCONFIRMED: the ack payload; one ack per batch is what clients read.
            writer.write(pa.py_buffer(json.dumps({"rows": chunk.data.num_rows}).encode()))

    def _add(self, process: ImportProcess, entity_type: str, batch: pa.RecordBatch) -> None:
        self.imports.add_batch(process, entity_type, batch)

    def _record(self, context: flight.ServerCallContext, kind: str, name: str, form: str) -> None:
        middleware = context.get_middleware("auth")
        auth = middleware.method if isinstance(middleware, _AuthMiddleware) else "none"
        with self._calls_lock:
            self.calls.append(CallRecord(kind, name, form, auth))


def _json_object(raw: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"The {what} is not valid JSON: {error}") from None
    if not isinstance(value, dict):
        raise ValueError(f"The {what} must be a JSON object")
    return value
