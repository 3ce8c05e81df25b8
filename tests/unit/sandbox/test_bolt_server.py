"""The server over a real TCP socket, spoken to byte by byte as a driver would."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from bgtui.sandbox.bolt import FAILURE, GOODBYE, HELLO, LOGON, PULL, RECORD, RUN, SUCCESS
from bgtui.sandbox.packstream import Structure
from bgtui.sandbox.server import SandboxError, SandboxServer
from bgtui.sandbox.wire import MAGIC, MessageReader, decode_message, encode_message

OFFERS = bytes.fromhex("000001ff000808050002040400000003")
AUTH = {"scheme": "basic", "principal": "neo4j", "credentials": "bgtui-sandbox"}


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


def connect(server: SandboxServer) -> tuple[socket.socket, MessageReader]:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    sock.sendall(MAGIC + OFFERS)
    assert sock.recv(4) == b"\x00\x00\x08\x05"
    return sock, MessageReader(sock)


def replies(reader: MessageReader, count: int) -> list[Structure]:
    received = []
    for _ in range(count):
        message = reader.read_message()
        assert message is not None, f"the server closed after {len(received)} replies"
        received.append(decode_message(message))
    return received


def test_pipelined_requests_with_noops_are_all_answered(server: SandboxServer) -> None:
    sock, reader = connect(server)
    with sock:
        sock.sendall(
            encode_message(HELLO, {"user_agent": "raw/1"})
            + b"\x00\x00"
            + encode_message(LOGON, AUTH)
            + encode_message(RUN, "RETURN 1 AS ok", {}, {})
            + b"\x00\x00\x00\x00"
            + encode_message(PULL, {"n": -1})
        )
        answered = replies(reader, 5)
    assert [r.tag for r in answered] == [SUCCESS, SUCCESS, SUCCESS, RECORD, SUCCESS]
    assert answered[3].fields == [[1]]


def test_connections_are_numbered(server: SandboxServer) -> None:
    ids = []
    for _ in range(2):
        sock, reader = connect(server)
        with sock:
            sock.sendall(encode_message(HELLO, {}))
            ids.append(replies(reader, 1)[0].fields[0]["connection_id"])
    first, second = (int(i.removeprefix("bolt-")) for i in ids)
    assert second > first


def test_a_wrong_password_gets_failure_then_the_socket_closes(server: SandboxServer) -> None:
    sock, reader = connect(server)
    with sock:
        sock.sendall(
            encode_message(HELLO, {}) + encode_message(LOGON, {**AUTH, "credentials": "x"})
        )
        answered = replies(reader, 2)
        assert [r.tag for r in answered] == [SUCCESS, FAILURE]
        assert reader.read_message() is None


def test_goodbye_closes_the_socket(server: SandboxServer) -> None:
    sock, reader = connect(server)
    with sock:
        sock.sendall(encode_message(HELLO, {}) + encode_message(GOODBYE))
        replies(reader, 1)
        assert reader.read_message() is None


def test_garbage_instead_of_a_message_closes_the_socket(server: SandboxServer) -> None:
    sock, reader = connect(server)
    with sock:
        sock.sendall(b"\x00\x03\xc4\xc4\xc4\x00\x00")
        assert reader.read_message() is None


def test_a_client_that_is_not_bolt_is_closed(server: SandboxServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert sock.recv(16) == b""


def test_stop_closes_open_connections_and_restart_keeps_the_port() -> None:
    with SandboxServer() as own:
        port = own.port
        sock, reader = connect(own)
        with sock:
            own.stop()
            assert not own.running
            assert reader.read_message() is None
        own.restart()
        assert own.port == port
        sock, _ = connect(own)
        sock.close()


def test_starting_twice_or_on_a_taken_port_is_an_error() -> None:
    with SandboxServer() as own:
        with pytest.raises(SandboxError, match="already listening"):
            own.start()
        with pytest.raises(SandboxError, match=f"cannot listen on 127.0.0.1:{own.port}"):
            SandboxServer(port=own.port).start()
