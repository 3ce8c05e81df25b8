"""PackStream v1: every marker at its size boundaries, structures, and broken input."""

from __future__ import annotations

import math
import struct
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bgtui.sandbox.packstream import PackStreamError, Structure, pack, unpack


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (0, "00"),
        (127, "7f"),
        (-1, "ff"),
        (-16, "f0"),
        (-17, "c8ef"),
        (-128, "c880"),
        (128, "c90080"),
        (-129, "c9ff7f"),
        (32767, "c97fff"),
        (-32768, "c98000"),
        (32768, "ca00008000"),
        (-32769, "caffff7fff"),
        (2**31 - 1, "ca7fffffff"),
        (-(2**31), "ca80000000"),
        (2**31, "cb0000000080000000"),
        (-(2**31) - 1, "cbffffffff7fffffff"),
        (2**63 - 1, "cb7fffffffffffffff"),
        (-(2**63), "cb8000000000000000"),
    ],
)
def test_integers_use_the_smallest_marker(value: int, encoded: str) -> None:
    assert pack(value).hex() == encoded
    assert unpack(bytes.fromhex(encoded)) == value


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (None, "c0"),
        (True, "c3"),
        (False, "c2"),
        (1.1, "c13ff199999999999a"),
        (-0.0, "c18" + "0" * 15),
    ],
)
def test_null_booleans_and_floats(value: Any, encoded: str) -> None:
    assert pack(value).hex() == encoded
    decoded = unpack(bytes.fromhex(encoded))
    assert decoded == value and type(decoded) is type(value)


def test_a_float_keeps_nan_and_infinity() -> None:
    assert math.isnan(unpack(pack(math.nan)))
    assert unpack(pack(-math.inf)) == -math.inf


def _headers(tiny: int, sized: int) -> list[tuple[int, str]]:
    """(size, expected marker and size bytes) at each boundary: tiny, then 8/16/32-bit sizes."""
    return [
        (0, f"{tiny:02x}"),
        (15, f"{tiny + 15:02x}"),
        (16, f"{sized:02x}10"),
        (255, f"{sized:02x}ff"),
        (256, f"{sized + 1:02x}0100"),
        (65535, f"{sized + 1:02x}ffff"),
        (65536, f"{sized + 2:02x}00010000"),
    ]


@pytest.mark.parametrize(("size", "header"), _headers(0x80, 0xD0))
def test_strings_at_every_size_boundary(size: int, header: str) -> None:
    text = "x" * size
    assert pack(text).hex().startswith(header)
    assert len(pack(text)) == len(header) // 2 + size
    assert unpack(pack(text)) == text


def test_string_length_counts_utf8_bytes() -> None:
    text = "é" * 8  # 8 characters, 16 bytes: no longer a tiny string
    assert pack(text)[:2].hex() == "d010"
    assert unpack(pack(text)) == text


@pytest.mark.parametrize(("size", "header"), _headers(0x90, 0xD4))
def test_lists_at_every_size_boundary(size: int, header: str) -> None:
    items = [i % 7 for i in range(size)]
    assert pack(items).hex().startswith(header)
    assert unpack(pack(items)) == items


@pytest.mark.parametrize(("size", "header"), _headers(0xA0, 0xD8))
def test_dictionaries_at_every_size_boundary(size: int, header: str) -> None:
    entries = {f"k{i}": i % 7 for i in range(size)}
    assert pack(entries).hex().startswith(header)
    decoded = unpack(pack(entries))
    assert decoded == entries and list(decoded) == list(entries)


@pytest.mark.parametrize(
    ("size", "header"),
    [(0, "cc00"), (255, "ccff"), (256, "cd0100"), (65535, "cdffff"), (65536, "ce00010000")],
)
def test_byte_arrays_at_every_size_boundary(size: int, header: str) -> None:
    data = bytes(i % 256 for i in range(size))
    assert pack(data).hex().startswith(header)
    assert unpack(pack(data)) == data


def test_a_tuple_packs_as_a_list() -> None:
    assert pack((1, "a")) == pack([1, "a"])


def test_structures_of_0_to_15_fields() -> None:
    for size in range(16):
        value = Structure(0x4E, list(range(size)))
        data = pack(value)
        assert data[0] == 0xB0 + size and data[1] == 0x4E
        assert unpack(data) == value


def test_a_node_struct_as_the_reference_shows_it() -> None:
    encoded = b"\xb4\x4e\x07\x91\x81L\xa1\x81k\x81v\x874:abc:7"
    node = unpack(encoded)
    assert node == Structure(0x4E, [7, ["L"], {"k": "v"}, "4:abc:7"])
    assert pack(node) == encoded


@pytest.mark.parametrize(
    "encoded",
    [
        "b1440a",  # Date: 10 days after the epoch
        "b349ca6553f100c9012cc9e3e0",  # DateTime with a negative offset
        "b369ca6553f100008b4575726f70652f4f736c6f",  # DateTimeZoneId, Europe/Oslo
        "b445000102ca0003a980",  # Duration
        "b358c910e6c13ff0000000000000c1c000000000000000",  # Point2D
    ],
)
def test_temporal_and_spatial_structs_reencode_byte_for_byte(encoded: str) -> None:
    data = bytes.fromhex(encoded)
    value = unpack(data)
    assert isinstance(value, Structure)
    assert pack(value) == data


def test_structure_fields_are_limited_to_15() -> None:
    with pytest.raises(PackStreamError, match="at most 15"):
        Structure(0x01, list(range(16)))


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (2**63, "64 bits"),
        (-(2**63) - 1, "64 bits"),
        ({1: "x"}, "keys must be strings"),
        (object(), "cannot carry a object"),
        ({1, 2}, "cannot carry a set"),
    ],
)
def test_values_packstream_cannot_carry_are_refused(value: Any, problem: str) -> None:
    with pytest.raises(PackStreamError, match=problem):
        pack(value)


@pytest.mark.parametrize(
    ("encoded", "problem"),
    [
        ("d005616263", "ends before"),  # a string claims 5 bytes, holds 3
        ("930102", "ends before"),  # a list claims 3 items, holds 2
        ("cb0001", "ends before"),  # a 64-bit integer cut short
        ("cd0005aabb", "ends before"),  # bytes claim 5, hold 2
        ("c4", "unknown PackStream marker 0xC4"),
        ("df", "unknown PackStream marker 0xDF"),
        ("a10101", "keys must be strings"),
        ("82c328", "not valid UTF-8"),
        ("0102", "1 unexpected bytes"),
    ],
)
def test_broken_input_is_reported(encoded: str, problem: str) -> None:
    with pytest.raises(PackStreamError, match=problem):
        unpack(bytes.fromhex(encoded))


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text()
    | st.binary()
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner)
        | st.dictionaries(st.text(), inner)
        | st.builds(Structure, st.integers(0, 255), st.lists(inner, max_size=15))
    ),
    max_leaves=40,
)


@given(_values)
def test_any_value_survives_a_round_trip(value: Any) -> None:
    assert unpack(pack(value)) == value


@given(_values)
def test_decoding_then_encoding_gives_the_same_bytes(value: Any) -> None:
    data = pack(value)
    assert pack(unpack(data)) == data


def test_float_bits_are_kept_exactly() -> None:
    value = struct.unpack(">d", bytes.fromhex("3fb999999999999a"))[0]
    assert pack(value)[1:] == bytes.fromhex("3fb999999999999a")
