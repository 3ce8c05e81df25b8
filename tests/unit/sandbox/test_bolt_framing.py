"""Chunking: messages of any size, split anywhere, with NOOPs between them, over a real socket."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from bgtui.sandbox.packstream import Structure, pack
from bgtui.sandbox.wire import (
    MAX_CHUNK,
    BoltProtocolError,
    ConnectionClosed,
    MessageReader,
    chunk,
    decode_message,
    decode_stream,
    encode_message,
)


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    client, server = socket.socketpair()
    yield client, server
    client.close()
    server.close()


def chunks_of(message: bytes, size: int) -> bytes:
    """How a client may split a message: many small chunks, then the end marker."""
    out = bytearray()
    for start in range(0, len(message), size):
        piece = message[start : start + size]
        out += len(piece).to_bytes(2, "big") + piece
    return bytes(out + b"\x00\x00")


def test_a_small_message_is_one_chunk_and_an_end_marker() -> None:
    assert chunk(b"\xb0\x0f") == b"\x00\x02\xb0\x0f\x00\x00"


def test_a_message_larger_than_a_chunk_spans_several() -> None:
    message = bytes(range(256)) * 600  # 153,600 bytes: three chunks
    framed = chunk(message)
    sizes = []
    at = 0
    while (size := int.from_bytes(framed[at : at + 2], "big")) != 0:
        sizes.append(size)
        at += 2 + size
    assert sizes == [MAX_CHUNK, MAX_CHUNK, len(message) - 2 * MAX_CHUNK]
    assert at + 2 == len(framed)


def test_a_message_split_over_many_chunks_reads_back_whole(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    run = pack(Structure(0x10, ["RETURN $x", {"x": "y" * 5000}, {}]))
    writer = threading.Thread(target=client.sendall, args=(chunks_of(run, 7),))
    writer.start()
    message = MessageReader(server).read_message()
    writer.join()
    assert message == run
    assert decode_message(message) == Structure(0x10, ["RETURN $x", {"x": "y" * 5000}, {}])


def test_noops_between_messages_are_skipped(pair: tuple[socket.socket, socket.socket]) -> None:
    client, server = pair
    client.sendall(b"\x00\x00" + encode_message(0x0F) + b"\x00\x00\x00\x00" + encode_message(0x02))
    client.shutdown(socket.SHUT_WR)
    reader = MessageReader(server)
    assert [decode_message(m).tag for m in iter(reader.read_message, None)] == [0x0F, 0x02]


def test_pipelined_messages_in_one_write_are_read_one_by_one(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    client.sendall(encode_message(0x10, "RETURN 1", {}, {}) + encode_message(0x3F, {"n": 1000}))
    reader = MessageReader(server)
    first = reader.read_message()
    assert first is not None and decode_message(first).tag == 0x10
    assert reader.has_buffered_message()
    second = reader.read_message()
    assert second is not None and decode_message(second).fields == [{"n": 1000}]
    assert not reader.has_buffered_message()


def test_a_half_received_message_is_not_reported_as_buffered(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    client.sendall(encode_message(0x0F) + b"\x00\x05\xb1")
    reader = MessageReader(server)
    reader.read_message()
    assert not reader.has_buffered_message()


def test_a_clean_end_of_stream_is_none(pair: tuple[socket.socket, socket.socket]) -> None:
    client, server = pair
    client.close()
    assert MessageReader(server).read_message() is None


def test_a_stream_ending_inside_a_message_is_a_closed_connection(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    client.sendall(b"\x00\x10\xb3\x10")
    client.close()
    with pytest.raises(ConnectionClosed):
        MessageReader(server).read_message()


@pytest.mark.parametrize("payload", [b"\x01", pack(Structure(0x10, [])) + b"\x00"])
def test_a_message_must_be_exactly_one_structure(payload: bytes) -> None:
    with pytest.raises(BoltProtocolError, match="exactly one PackStream structure"):
        decode_message(payload)


def test_a_message_that_is_not_packstream_is_a_protocol_error() -> None:
    with pytest.raises(BoltProtocolError, match="not valid PackStream"):
        decode_message(b"\xd0\x09ab")


def test_decode_stream_splits_replies() -> None:
    data = encode_message(0x70, {"fields": ["x"]}) + encode_message(0x71, [1]) + b"\x00\x00"
    assert decode_stream(data) == [Structure(0x70, [{"fields": ["x"]}]), Structure(0x71, [[1]])]
