"""A client of the Neo4j GDS Arrow Flight server, for building a database from Arrow batches.

What it does follows the GDS manual and configuration pages
(https://neo4j.com/docs/graph-data-science/current/management-ops/graph-creation/
graph-project-apache-arrow/ and …/installation/configure-apache-arrow-server/):

- auth: a Handshake with Basic credentials returns ``authorization: Bearer <token>``, sent on
  every later call. A server without Handshake gets Basic on every call instead.
- versions: ``ListActions`` names the protocol versions (the text before ``/``). GDS 2.6 and
  later speak ``v1/CREATE_DATABASE`` and a ``PUT_COMMAND`` descriptor envelope; older servers
  only the unprefixed names, deprecated since 2.6. The client uses ``v1`` when offered and
  falls back to the unprefixed names otherwise, saying so.
- every action replies with exactly one JSON object.

Flight errors become ``GraphError``s that say what the server answered.
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.flight as flight

from bgtui.domain.graph import GraphError
from bgtui.domain.views import Level
from bgtui.graph.arrow_endpoint import ArrowEndpoint

_VERSION = "v1"
_TRANSIENT = (flight.FlightUnavailableError, flight.FlightTimedOutError)


class ArrowClient:
    """One authenticated connection to the Arrow endpoint.

    Args:
        endpoint: where and who.
        log: receives the few lines worth an operator's attention (a protocol fallback).
    """

    def __init__(self, endpoint: ArrowEndpoint, log: Callable[[Level, str], None]) -> None:
        self.endpoint = endpoint
        self._log = log
        self._flight = flight.FlightClient(endpoint.location)
        self._headers: list[tuple[bytes, bytes]] = []
        self.versioned = True
        self._connected = False

    # --- connecting ------------------------------------------------------------------------

    def connect(self) -> None:
        """Authenticate and find out which action names the server speaks.

        Raises:
            GraphError: unreachable, refused credentials, or no database-import actions.
        """
        if self._connected:
            return
        self._authenticate()
        try:
            actions = list(self._flight.list_actions(self._options()))
        except flight.FlightError as exc:
            raise self._error("could not list the Arrow actions", exc) from exc
        types = {action.type for action in actions}
        versions = {name.split("/", 1)[0].lower() for name in types if "/" in name}
        if _VERSION in versions:
            self.versioned = True
        elif "CREATE_DATABASE" in types or not types:
            self.versioned = False
            self._log(
                Level.WARNING,
                f"the Arrow endpoint at {self.endpoint.location} offers no '{_VERSION}/' "
                "actions (GDS before 2.6); using the unprefixed action names, deprecated "
                "since GDS 2.6",
            )
        else:
            raise GraphError(
                f"the Arrow endpoint at {self.endpoint.location} offers no database import "
                f"(its actions: {', '.join(sorted(types)) or 'none'})"
            )
        self._connected = True

    def _authenticate(self) -> None:
        try:
            header = self._flight.authenticate_basic_token(
                self.endpoint.user, self.endpoint.password, self._timeout()
            )
        except flight.FlightUnauthenticatedError as exc:
            raise GraphError(
                f"the Arrow endpoint at {self.endpoint.location} refused the credentials of "
                f"user '{self.endpoint.user}' ({_first_line(exc)})"
            ) from exc
        except pa.ArrowNotImplementedError:
            # A server without Handshake takes Basic credentials on every call.
            basic = base64.b64encode(f"{self.endpoint.user}:{self.endpoint.password}".encode())
            self._headers = [(b"authorization", b"Basic " + basic)]
            return
        except (flight.FlightError, OSError) as exc:
            raise self._error("could not be reached", exc) from exc
        self._headers = [header] if header and header[0] else []

    # --- calls -------------------------------------------------------------------------------

    def action(self, command: str, body: dict[str, Any]) -> dict[str, Any]:
        """Run one action (``CREATE_DATABASE``…) and return its one JSON reply.

        Raises:
            GraphError: the server refused it; KeyError-based answers (unknown import name)
                are GraphErrors too, with the server's text.
        """
        name = f"{_VERSION}/{command}" if self.versioned else command
        request = flight.Action(name, json.dumps(body).encode("utf-8"))
        try:
            results = list(self._flight.do_action(request, self._options()))
        except pa.ArrowNotImplementedError as exc:
            if not self.versioned:
                raise self._error(f"does not know the action {name}", exc) from exc
            self.versioned = False
            self._log(
                Level.WARNING,
                f"the Arrow endpoint does not know {name}; falling back to the unprefixed "
                "action names of GDS before 2.6",
            )
            return self.action(command, body)
        except (flight.FlightError, pa.ArrowException, KeyError) as exc:
            raise self._error(f"refused {name}", exc) from exc
        if len(results) != 1:
            raise GraphError(f"the Arrow endpoint answered {name} with {len(results)} results")
        try:
            reply = json.loads(results[0].body.to_pybytes())
        except ValueError as exc:
            raise GraphError(f"the Arrow endpoint's answer to {name} is not JSON") from exc
        if not isinstance(reply, dict):
            raise GraphError(f"the Arrow endpoint's answer to {name} is not a JSON object")
        return reply

    def abort(self, name: str) -> None:
        """Discard an import; an import the server no longer knows is fine."""
        try:
            self.action("ABORT", {"name": name})
        except GraphError as exc:
            if "No arrow process" not in str(exc):
                raise

    def open_put(self, name: str, entity_type: str, schema: pa.Schema) -> ArrowUpload:
        """Start one DoPut stream of ``entity_type`` rows into import ``name``."""
        body = {"name": name, "entity_type": entity_type}
        command: dict[str, Any] = (
            {"name": "PUT_COMMAND", "version": _VERSION, "body": body} if self.versioned else body
        )
        descriptor = flight.FlightDescriptor.for_command(json.dumps(command).encode("utf-8"))
        try:
            writer, reader = self._flight.do_put(descriptor, schema, self._options())
        except (flight.FlightError, pa.ArrowException) as exc:
            raise self._error(f"refused an upload of {entity_type}s", exc) from exc
        return ArrowUpload(self, writer, reader, entity_type)

    def close(self) -> None:
        self._flight.close()

    # --- plumbing --------------------------------------------------------------------------

    def _options(self) -> flight.FlightCallOptions:
        return flight.FlightCallOptions(headers=self._headers, timeout=self.endpoint.timeout)

    def _timeout(self) -> flight.FlightCallOptions:
        return flight.FlightCallOptions(timeout=self.endpoint.timeout)

    def _error(self, what: str, exc: BaseException) -> GraphError:
        transient = isinstance(exc, _TRANSIENT)
        return GraphError(
            f"the Arrow endpoint at {self.endpoint.location} {what}: {_first_line(exc)}",
            transient=transient,
        )


class ArrowUpload:
    """One open DoPut: write batches, read one ack per batch, close."""

    def __init__(self, client: ArrowClient, writer: Any, reader: Any, entity_type: str) -> None:
        self._client = client
        self._writer = writer
        self._reader = reader
        self.entity_type = entity_type
        self.rows = 0

    def write(self, batch: pa.RecordBatch) -> None:
        """Send one batch and wait for its ack, so everything is acknowledged before DONE."""
        try:
            self._writer.write_batch(batch)
            self._reader.read()
        except (flight.FlightError, pa.ArrowException, KeyError) as exc:
            raise self._client._error(f"failed an upload of {self.entity_type}s", exc) from exc
        self.rows += batch.num_rows

    def close(self) -> None:
        """Finish the stream; a server-side failure surfaces here at the latest."""
        try:
            self._writer.done_writing()
            self._writer.close()
        except (flight.FlightError, pa.ArrowException, KeyError) as exc:
            raise self._client._error(f"failed an upload of {self.entity_type}s", exc) from exc

    def discard(self) -> None:
        """Close after a failure, ignoring what the server says now."""
        with contextlib.suppress(flight.FlightError, pa.ArrowException, KeyError, OSError):
            self._writer.close()


def _first_line(exc: BaseException) -> str:
    """The server's message without pyarrow's detail and gRPC debug context."""
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    text = text.split(". Detail:", 1)[0].split("gRPC client debug context", 1)[0]
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
