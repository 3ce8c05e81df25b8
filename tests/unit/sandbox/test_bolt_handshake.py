"""The version handshake, with the bytes the neo4j 6.x driver really sends (Bolt handshake docs)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from bgtui.sandbox.wire import (
    BOLT_5,
    MAGIC,
    BoltProtocolError,
    BoltVersion,
    MessageReader,
    choose_version,
    encode_varint,
    handshake,
    parse_offers,
    read_varint,
)

# neo4j 6.4.1: manifest v1, 5.8 down to 5.0, 4.4 down to 4.2, 3.0.
DRIVER_6_OFFERS = bytes.fromhex("000001ff 00080805 00020404 00000003".replace(" ", ""))
# An older driver: 5.4 down to 5.0 first.
OLD_DRIVER_OFFERS = bytes.fromhex("00040405 00020404 00000104 00000003".replace(" ", ""))


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    client, server = socket.socketpair()
    client.settimeout(5)
    yield client, server
    client.close()
    server.close()


def test_the_6x_driver_is_answered_with_bolt_5_8(pair: tuple[socket.socket, socket.socket]) -> None:
    client, server = pair
    client.sendall(MAGIC + DRIVER_6_OFFERS)
    assert handshake(MessageReader(server), server) == BoltVersion(5, 8)
    assert client.recv(16) == b"\x00\x00\x08\x05"


def test_an_older_driver_gets_the_best_version_it_offers(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    client.sendall(MAGIC + OLD_DRIVER_OFFERS)
    assert handshake(MessageReader(server), server) == BoltVersion(5, 4)
    assert client.recv(16) == b"\x00\x00\x04\x05"


def test_nothing_in_common_is_answered_with_zeros_and_refused(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    client.sendall(MAGIC + bytes.fromhex("00020404 00000003 00000000 00000000".replace(" ", "")))
    with pytest.raises(BoltProtocolError, match="no Bolt version"):
        handshake(MessageReader(server), server)
    assert client.recv(16) == b"\x00\x00\x00\x00"


def test_a_connection_without_the_magic_is_refused(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    with pytest.raises(BoltProtocolError, match="magic"):
        handshake(MessageReader(server), server)


def test_the_manifest_offers_bolt_6_and_the_client_chooses(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    client.sendall(MAGIC + DRIVER_6_OFFERS + b"\x00\x00\x00\x06" + b"\x00")
    assert handshake(MessageReader(server), server, allow_bolt_6=True) == BoltVersion(6, 0)
    reply = client.recv(64)
    assert reply == bytes.fromhex("000001ff 02 00000006 00070805 00".replace(" ", ""))


def test_a_manifest_choice_that_was_not_offered_is_refused(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    client.sendall(MAGIC + DRIVER_6_OFFERS + b"\x00\x00\x01\x06" + b"\x00")
    with pytest.raises(BoltProtocolError, match=r"Bolt 6\.1, which was not offered"):
        handshake(MessageReader(server), server, allow_bolt_6=True)


def test_without_bolt_6_the_manifest_offer_is_passed_over(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    client.sendall(MAGIC + DRIVER_6_OFFERS)
    assert handshake(MessageReader(server), server, allow_bolt_6=False) == BoltVersion(5, 8)


def test_offers_read_as_major_minor_range() -> None:
    assert parse_offers(DRIVER_6_OFFERS) == [(0xFF, 1, 0), (5, 8, 8), (4, 4, 2), (3, 0, 0)]


def test_a_range_reaches_down_to_a_supported_minor() -> None:
    assert choose_version([(5, 12, 6)], BOLT_5) == BoltVersion(5, 8)  # 5.12..5.6 → 5.8
    assert choose_version([(5, 12, 2)], BOLT_5) is None  # 5.12..5.10
    assert choose_version([(5, 0, 0)], BOLT_5) is None  # 5.0 carries credentials in HELLO


@pytest.mark.parametrize("value", [0, 1, 127, 128, 300, 16383, 16384, 2**35 + 5])
def test_varints_round_trip(value: int, pair: tuple[socket.socket, socket.socket]) -> None:
    client, server = pair
    encoded = encode_varint(value)
    assert all(b & 0x80 for b in encoded[:-1]) and not encoded[-1] & 0x80
    client.sendall(encoded)
    assert read_varint(MessageReader(server)) == value


def test_varint_known_encoding() -> None:
    assert encode_varint(300) == b"\xac\x02"
