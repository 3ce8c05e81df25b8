"""``SandboxServer``: the Neo4j stand-in listening for Bolt on a local TCP port.

One thread accepts connections and one thread serves each of them; the Dbms they share is
thread-safe. The Dbms plays the part of the disk: it outlives ``stop()`` and ``restart()``,
so a restarted sandbox still has its databases and aliases, on the same port.

With ``servers`` > 1 it listens on that many ports, one per imitated cluster member; they
share the one Dbms, and ROUTE names the members that host each database.
"""

from __future__ import annotations

import logging
import socket
import threading
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import count
from types import TracebackType

from bgtui.sandbox.bolt import BoltSession
from bgtui.sandbox.dbms import Dbms
from bgtui.sandbox.faults import Faults
from bgtui.sandbox.wire import (
    BoltProtocolError,
    ConnectionClosed,
    MessageReader,
    decode_message,
    handshake,
)

log = logging.getLogger(__name__)

_ACCEPT_POLL_SECONDS = 0.2
_JOIN_SECONDS = 2.0


class SandboxError(RuntimeError):
    """The sandbox cannot do what was asked (a port in use, a start while running)."""


@dataclass
class _Connection:
    connection_id: str
    sock: socket.socket
    address: str  # the member (host:port) the client connected to
    interrupted: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def drop(self) -> None:
        """Cut the connection now: the client sees it closed, a waiting statement gives up."""
        self.interrupted.set()
        with suppress(OSError):  # already gone
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


class SandboxServer:
    """A Bolt server in front of a ``Dbms``, for tests and the demo. Not a database.

    Args:
        host: interface to listen on (loopback by default).
        port: TCP port; 0 picks a free one, kept across restarts.
        dbms: the state to serve; a fresh one (with edition, user, password) if None.
        allow_bolt_6: negotiate Bolt 6.0 through the handshake manifest when offered.
        servers: cluster members to imitate, each on its own port (the first on ``port``,
            the others on free ports); ignored when ``dbms`` is given (it says how many).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        dbms: Dbms | None = None,
        edition: str = "enterprise",
        user: str = "neo4j",
        password: str = "bgtui-sandbox",
        *,
        allow_bolt_6: bool = False,
        servers: int = 1,
    ) -> None:
        self.host = host
        self.dbms = dbms if dbms is not None else Dbms(edition, user, password, servers=servers)
        self._ports = [port] + [0] * (len(self.dbms.addresses) - 1)
        self.faults = Faults(self.dbms, self.drop_connections)
        self.allow_bolt_6 = allow_bolt_6
        self._ids = count(1)
        self._lock = threading.Lock()
        self._connections: dict[str, _Connection] = {}
        self._listeners: list[socket.socket] = []
        self._acceptors: list[threading.Thread] = []
        self._stopping = threading.Event()

    # --- where it listens --------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._ports[0]

    @property
    def address(self) -> str:
        return f"{self.host}:{self._ports[0]}"

    @property
    def addresses(self) -> list[str]:
        """Every member's ``host:port`` (one for a standalone sandbox)."""
        return [f"{self.host}:{port}" for port in self._ports]

    @property
    def uri(self) -> str:
        return f"bolt://{self.address}"

    @property
    def routing_uri(self) -> str:
        return f"neo4j://{self.address}"

    @property
    def running(self) -> bool:
        return bool(self._listeners)

    # --- life cycle ----------------------------------------------------------------------

    def start(self) -> SandboxServer:
        """Listen and serve in background threads; returns at once."""
        if self.running:
            raise SandboxError(f"the sandbox is already listening on {self.address}")
        self._stopping.clear()
        try:
            for index, port in enumerate(self._ports):
                listener = self._listen(port)
                self._ports[index] = listener.getsockname()[1]
                self._listeners.append(listener)
        except SandboxError:
            self.stop()
            raise
        self.dbms.addresses[:] = self.addresses
        for listener, address in zip(self._listeners, self.addresses, strict=True):
            acceptor = threading.Thread(
                target=self._accept_loop,
                args=(listener, address),
                name=f"sandbox-accept-{address}",
                daemon=True,
            )
            self._acceptors.append(acceptor)
            acceptor.start()
        log.info("sandbox listening on %s", ", ".join(self.addresses))
        return self

    def _listen(self, port: int) -> socket.socket:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((self.host, port))
        except OSError as error:
            listener.close()
            raise SandboxError(
                f"the sandbox cannot listen on {self.host}:{port}: {error.strerror}"
            ) from error
        listener.listen(64)
        listener.settimeout(_ACCEPT_POLL_SECONDS)
        return listener

    def stop(self) -> None:
        """Stop listening and close every open connection; the Dbms keeps its state."""
        listeners, self._listeners = self._listeners, []
        acceptors, self._acceptors = self._acceptors, []
        if not listeners:
            return
        self._stopping.set()
        for listener in listeners:
            with suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes a blocked accept() at once on Linux
            listener.close()
        for acceptor in acceptors:
            acceptor.join(_JOIN_SECONDS)
        self.drop_connections()
        log.info("sandbox on %s stopped", self.address)

    def restart(self) -> None:
        """Stop, then listen again on the same port with the same Dbms."""
        self.stop()
        self.start()

    def drop_connections(self, spare: str | None = None) -> None:
        """Close every open connection (but ``spare``); drivers see them die mid-flight."""
        with self._lock:
            doomed = [c for c in self._connections.values() if c.connection_id != spare]
        for connection in doomed:
            connection.drop()
        for connection in doomed:
            if (
                connection.thread is not None
                and connection.thread is not threading.current_thread()
            ):
                connection.thread.join(_JOIN_SECONDS)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- threads -------------------------------------------------------------------------

    def _accept_loop(self, listener: socket.socket, address: str) -> None:
        while not self._stopping.is_set():
            try:
                sock, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break  # the listener was closed
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            connection = _Connection(f"bolt-{next(self._ids)}", sock, address)
            connection.thread = threading.Thread(
                target=self._serve, args=(connection,), name=connection.connection_id, daemon=True
            )
            with self._lock:
                self._connections[connection.connection_id] = connection
            if self._stopping.is_set():
                connection.drop()
            connection.thread.start()

    def _serve(self, connection: _Connection) -> None:
        try:
            self._speak_bolt(connection)
        finally:
            with self._lock:
                self._connections.pop(connection.connection_id, None)
            connection.sock.close()

    def _speak_bolt(self, connection: _Connection) -> None:
        """Handshake, then requests in and replies out until the client leaves or is cut off.

        Replies wait while more pipelined requests are already buffered, then go in one write.
        """
        sock, name = connection.sock, connection.connection_id
        reader = MessageReader(sock)
        session: BoltSession | None = None
        try:
            version = handshake(reader, sock, allow_bolt_6=self.allow_bolt_6)
            log.debug("%s speaks Bolt %s", name, version)
            session = BoltSession(
                self.dbms, self.faults, name, version, connection.address, connection.interrupted
            )
            pending = bytearray()
            while not session.closed and (message := reader.read_message()) is not None:
                request = decode_message(message)
                pending += session.handle(request.tag, request.fields)
                if session.closed or not reader.has_buffered_message():
                    sock.sendall(pending)
                    pending.clear()
        except (ConnectionClosed, OSError) as error:
            log.debug("%s closed: %s", name, error)
        except BoltProtocolError as error:
            log.info("%s broke the protocol and was closed: %s", name, error)
        finally:
            if session is not None:
                session.close()
