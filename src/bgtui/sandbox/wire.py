"""Bolt's byte level: the version handshake and message chunking (https://neo4j.com/docs/bolt/current/bolt/handshake/).

Every Bolt message travels as chunks of at most 65 535 bytes, each behind a two-byte length,
and ends with an empty chunk; an empty chunk on its own is a NOOP keep-alive. The connection
opens with a handshake in which the client offers four protocol versions.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from bgtui.sandbox.packstream import PackStreamError, Structure, pack_structure, unpack_from

MAGIC = b"\x60\x60\xb0\x17"
MAX_CHUNK = 0xFFFF
_MANIFEST_V1 = (0xFF, 0x01)  # (major, minor) of the offer ``00 00 01 FF``
_RECV_SIZE = 1 << 16


class BoltProtocolError(Exception):
    """The client broke the Bolt protocol; the only answer is to close the connection."""


class ConnectionClosed(Exception):
    """The peer went away (or the server closed the socket) in the middle of a read."""


@dataclass(frozen=True, order=True)
class BoltVersion:
    major: int
    minor: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"

    def to_bytes(self) -> bytes:
        """The handshake form ``00 00 <minor> <major>``."""
        return bytes((0, 0, self.minor, self.major))


#: What the sandbox speaks, best first. Neo4j 5.26 speaks 5.0-5.8; the sandbox skips 5.0
#: (credentials in HELLO) because every 5.x driver that matters offers 5.1 or later.
BOLT_5 = tuple(BoltVersion(5, minor) for minor in range(8, 0, -1))
BOLT_6_0 = BoltVersion(6, 0)


# --- framing ----------------------------------------------------------------------------------


def chunk(message: bytes) -> bytes:
    """One message as chunks plus the closing empty chunk."""
    out = bytearray()
    for start in range(0, len(message), MAX_CHUNK):
        piece = message[start : start + MAX_CHUNK]
        out += len(piece).to_bytes(2, "big")
        out += piece
    out += b"\x00\x00"
    return bytes(out)


def encode_message(tag: int, *fields: object) -> bytes:
    """A Bolt message (a structure: tag and fields) packed and chunked, ready to send."""
    return chunk(pack_structure(tag, fields))


def decode_message(data: bytes) -> Structure:
    """The structure one de-chunked message holds."""
    try:
        value, end = unpack_from(data, 0)
    except PackStreamError as error:
        raise BoltProtocolError(f"a message is not valid PackStream: {error}") from error
    if not isinstance(value, Structure) or end != len(data):
        raise BoltProtocolError("a message must be exactly one PackStream structure")
    return value


def decode_stream(data: bytes) -> list[Structure]:
    """Every message in a run of chunked bytes, skipping NOOPs (for tests and tools)."""
    reader = MessageReader(_BytesSource(data))
    messages = []
    while (message := reader.read_message()) is not None:
        messages.append(decode_message(message))
    return messages


class _BytesSource:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def recv(self, size: int) -> bytes:
        piece, self._data = self._data[:size], self._data[size:]
        return piece


class MessageReader:
    """Reads raw handshake bytes, then whole de-chunked messages, from a socket.

    Args:
        source: anything with ``recv(size) -> bytes`` that returns ``b""`` at end of stream.
    """

    def __init__(self, source: socket.socket | _BytesSource) -> None:
        self._source = source
        self._buffer = bytearray()

    def has_buffered_message(self) -> bool:
        """Whether a complete message (or NOOP) is already here, so replies may wait to be sent.

        Sending replies in one write while the client's pipelined requests are still being
        read is what a real server does; it saves a system call per message.
        """
        at = 0
        while len(self._buffer) >= at + 2:
            size = int.from_bytes(self._buffer[at : at + 2], "big")
            if size == 0:
                return True
            at += 2 + size
        return False

    def read_exact(self, size: int) -> bytes:
        """Exactly ``size`` bytes; raises ConnectionClosed if the stream ends first."""
        while len(self._buffer) < size:
            if not self._fill():
                raise ConnectionClosed(f"the stream ended {size - len(self._buffer)} bytes short")
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def read_message(self) -> bytes | None:
        """The next message with its chunk headers removed; None at a clean end of stream."""
        parts: list[bytes] = []
        while True:
            if not parts and not self._buffer and not self._fill():
                return None
            size = int.from_bytes(self.read_exact(2), "big")
            if size == 0:
                if parts:
                    return b"".join(parts)
                continue  # a NOOP between messages
            parts.append(self.read_exact(size))

    def _fill(self) -> bool:
        try:
            data = self._source.recv(_RECV_SIZE)
        except OSError as error:
            raise ConnectionClosed(str(error)) from error
        self._buffer += data
        return bool(data)


# --- handshake --------------------------------------------------------------------------------


def read_varint(reader: MessageReader) -> int:
    """A handshake varint: 7 bits per byte, low group first, high bit set on all but the last."""
    value, shift = 0, 0
    while True:
        byte = reader.read_exact(1)[0]
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value
        shift += 7
        if shift > 63:
            raise BoltProtocolError("a handshake varint is longer than 64 bits")


def encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        group, value = value & 0x7F, value >> 7
        out.append(group | (0x80 if value else 0))
        if not value:
            return bytes(out)


def parse_offers(offers: bytes) -> list[tuple[int, int, int]]:
    """The client's four offers as ``(major, minor, range)``, in the order it prefers them."""
    if len(offers) != 16:
        raise BoltProtocolError(f"a handshake carries 16 bytes of offers, not {len(offers)}")
    return [(offers[i + 3], offers[i + 2], offers[i + 1]) for i in range(0, 16, 4)]


def choose_version(
    offers: list[tuple[int, int, int]], supported: tuple[BoltVersion, ...]
) -> BoltVersion | None:
    """The first offer (in the client's order) that the sandbox speaks, at its highest minor."""
    for major, minor, span in offers:
        for candidate in range(minor, max(minor - span, 0) - 1, -1):
            version = BoltVersion(major, candidate)
            if version in supported:
                return version
    return None


def offers_manifest(offers: list[tuple[int, int, int]]) -> bool:
    return any((major, minor) == _MANIFEST_V1 for major, minor, _ in offers)


def handshake(
    reader: MessageReader, send: socket.socket, *, allow_bolt_6: bool = False
) -> BoltVersion:
    """Run the opening exchange and return the agreed version.

    With ``allow_bolt_6`` and a client offering the manifest (the 6.x driver does), the
    sandbox answers manifest v1 with 6.0 and 5.8-5.1, and the client picks. Otherwise it
    answers the classic way with the best 5.x version, as Neo4j 5.26 does.

    Raises:
        BoltProtocolError: no magic, or nothing the sandbox speaks (after answering zeros).
    """
    magic = reader.read_exact(4)
    if magic != MAGIC:
        raise BoltProtocolError(f"the connection did not open with Bolt's magic ({magic.hex()})")
    offers = parse_offers(reader.read_exact(16))
    if allow_bolt_6 and offers_manifest(offers):
        return _manifest_handshake(reader, send)
    version = choose_version(offers, BOLT_5)
    if version is None:
        send.sendall(b"\x00\x00\x00\x00")
        raise BoltProtocolError("the client offered no Bolt version the sandbox speaks (5.1-5.8)")
    send.sendall(version.to_bytes())
    return version


def _manifest_handshake(reader: MessageReader, send: socket.socket) -> BoltVersion:
    """Manifest v1: list every version, let the client choose, read its capability mask."""
    listed = (BOLT_6_0, *BOLT_5)
    offer = bytes((0, 0, 0, 6)) + bytes((0, len(BOLT_5) - 1, 8, 5))  # 6.0, then 5.8 down to 5.1
    send.sendall(b"\x00\x00\x01\xff" + encode_varint(2) + offer + encode_varint(0))
    reply = reader.read_exact(4)
    read_varint(reader)  # the client's capabilities; the sandbox asks for none
    chosen = BoltVersion(reply[3], reply[2])
    if chosen not in listed:
        raise BoltProtocolError(f"the client chose Bolt {chosen}, which was not offered")
    return chosen
