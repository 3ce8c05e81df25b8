"""PackStream v1, the value encoding inside Bolt messages (https://neo4j.com/docs/bolt/current/packstream/).

The sandbox must not import the neo4j driver, so it has its own codec. Values are plain Python
(None, bool, int, float, str, bytes, list, dict) plus ``Structure`` for everything tagged:
nodes, relationships, temporal and spatial values. The sandbox never interprets a structure's
fields; a decoded structure re-encodes to the same bytes because both sides use the smallest
marker for every size, as PackStream asks.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

_INT8 = struct.Struct(">b")
_INT16 = struct.Struct(">h")
_INT32 = struct.Struct(">i")
_INT64 = struct.Struct(">q")
_UINT8 = struct.Struct(">B")
_UINT16 = struct.Struct(">H")
_UINT32 = struct.Struct(">I")
_FLOAT = struct.Struct(">d")

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_SIZE_MAX = 2**32 - 1


class PackStreamError(ValueError):
    """Bytes that are not PackStream, or a value PackStream cannot carry."""


@dataclass
class Structure:
    """A tagged PackStream structure: a message, a node, a date-time, a point, …

    Args:
        tag: the signature byte (``0x4E`` node, ``0x49`` date-time, ``0x10`` RUN, …).
        fields: the structure's fields, in order (at most 15).
    """

    tag: int
    fields: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not 0 <= self.tag <= 0xFF:
            raise PackStreamError(f"structure tag {self.tag} does not fit in one byte")
        if len(self.fields) > 15:
            raise PackStreamError(f"a structure holds at most 15 fields, not {len(self.fields)}")


# --- encoding ---------------------------------------------------------------------------------


def pack(value: Any) -> bytes:
    """The PackStream bytes of one value."""
    out = bytearray()
    _pack_into(out, value)
    return bytes(out)


def pack_structure(tag: int, fields: list[Any] | tuple[Any, ...]) -> bytes:
    """The bytes of a structure given as tag and fields; Bolt messages are packed this way."""
    return pack(Structure(tag, list(fields)))


def _pack_into(out: bytearray, value: Any) -> None:
    # Checks are ordered by how often each type appears in query parameters and records.
    if value is None:
        out.append(0xC0)
    elif value is True:
        out.append(0xC3)
    elif value is False:
        out.append(0xC2)
    elif isinstance(value, int):
        _pack_int(out, value)
    elif isinstance(value, str):
        data = value.encode("utf-8")
        _pack_size(out, len(data), 0x80, 0xD0)
        out += data
    elif isinstance(value, float):
        out.append(0xC1)
        out += _FLOAT.pack(value)
    elif isinstance(value, dict):
        _pack_size(out, len(value), 0xA0, 0xD8)
        for key, item in value.items():
            if not isinstance(key, str):
                raise PackStreamError(f"dictionary keys must be strings, not {key!r}")
            _pack_into(out, key)
            _pack_into(out, item)
    elif isinstance(value, list | tuple):
        _pack_size(out, len(value), 0x90, 0xD4)
        for item in value:
            _pack_into(out, item)
    elif isinstance(value, Structure):
        out.append(0xB0 + len(value.fields))
        out.append(value.tag)
        for item in value.fields:
            _pack_into(out, item)
    elif isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        if len(data) > _SIZE_MAX:
            raise PackStreamError("byte arrays are limited to 4 GiB")
        if len(data) < 0x100:
            out.append(0xCC)
            out += _UINT8.pack(len(data))
        elif len(data) < 0x10000:
            out.append(0xCD)
            out += _UINT16.pack(len(data))
        else:
            out.append(0xCE)
            out += _UINT32.pack(len(data))
        out += data
    else:
        raise PackStreamError(f"PackStream cannot carry a {type(value).__name__}: {value!r}")


def _pack_int(out: bytearray, value: int) -> None:
    if -0x10 <= value < 0x80:
        out += _INT8.pack(value)  # TINY_INT: the marker byte is the value
    elif -0x80 <= value < 0x80:
        out.append(0xC8)
        out += _INT8.pack(value)
    elif -0x8000 <= value < 0x8000:
        out.append(0xC9)
        out += _INT16.pack(value)
    elif -0x8000_0000 <= value < 0x8000_0000:
        out.append(0xCA)
        out += _INT32.pack(value)
    elif _INT64_MIN <= value <= _INT64_MAX:
        out.append(0xCB)
        out += _INT64.pack(value)
    else:
        raise PackStreamError(f"integer {value} does not fit in 64 bits")


def _pack_size(out: bytearray, size: int, tiny_marker: int, marker8: int) -> None:
    """The header of a string, list or dictionary: tiny form up to 15, then 8/16/32-bit sizes."""
    if size < 0x10:
        out.append(tiny_marker + size)
    elif size < 0x100:
        out.append(marker8)
        out.append(size)
    elif size < 0x10000:
        out.append(marker8 + 1)
        out += _UINT16.pack(size)
    elif size <= _SIZE_MAX:
        out.append(marker8 + 2)
        out += _UINT32.pack(size)
    else:
        raise PackStreamError(f"{size} items is more than PackStream can count")


# --- decoding ---------------------------------------------------------------------------------


def unpack(data: bytes | bytearray | memoryview) -> Any:
    """The one value encoded in ``data``; trailing bytes are an error."""
    value, end = unpack_from(bytes(data), 0)
    if end != len(data):
        raise PackStreamError(f"{len(data) - end} unexpected bytes after the value")
    return value


def unpack_from(data: bytes, offset: int) -> tuple[Any, int]:
    """The value starting at ``offset`` and the offset just after it."""
    try:
        return _unpack(data, offset)
    except (IndexError, struct.error) as error:
        raise PackStreamError("the value ends before its declared size") from error


def _unpack(data: bytes, at: int) -> tuple[Any, int]:
    marker = data[at]
    at += 1
    high = marker & 0xF0
    if marker < 0x80:
        return marker, at
    if marker >= 0xF0:
        return marker - 0x100, at
    if high == 0x80:
        return _text(data, at, marker & 0x0F)
    if high == 0x90:
        return _list(data, at, marker & 0x0F)
    if high == 0xA0:
        return _dict(data, at, marker & 0x0F)
    if high == 0xB0:
        return _structure(data, at, marker & 0x0F)
    if marker == 0xC0:
        return None, at
    if marker == 0xC3:
        return True, at
    if marker == 0xC2:
        return False, at
    if marker == 0xC1:
        return _FLOAT.unpack_from(data, at)[0], at + 8
    if 0xC8 <= marker <= 0xCB:
        reader = (_INT8, _INT16, _INT32, _INT64)[marker - 0xC8]
        return reader.unpack_from(data, at)[0], at + reader.size
    if 0xCC <= marker <= 0xCE:
        size, at = _size(data, at, marker - 0xCC)
        if at + size > len(data):
            raise PackStreamError("a byte array ends before its declared size")
        return data[at : at + size], at + size
    if 0xD0 <= marker <= 0xD2:
        size, at = _size(data, at, marker - 0xD0)
        return _text(data, at, size)
    if 0xD4 <= marker <= 0xD6:
        size, at = _size(data, at, marker - 0xD4)
        return _list(data, at, size)
    if 0xD8 <= marker <= 0xDA:
        size, at = _size(data, at, marker - 0xD8)
        return _dict(data, at, size)
    raise PackStreamError(f"unknown PackStream marker 0x{marker:02X}")


def _size(data: bytes, at: int, width_index: int) -> tuple[int, int]:
    reader = (_UINT8, _UINT16, _UINT32)[width_index]
    return reader.unpack_from(data, at)[0], at + reader.size


def _text(data: bytes, at: int, size: int) -> tuple[str, int]:
    end = at + size
    if end > len(data):
        raise PackStreamError("a string ends before its declared size")
    try:
        return data[at:end].decode("utf-8"), end
    except UnicodeDecodeError as error:
        raise PackStreamError(f"a string is not valid UTF-8: {error.reason}") from error


def _list(data: bytes, at: int, size: int) -> tuple[list[Any], int]:
    items = []
    for _ in range(size):
        item, at = _unpack(data, at)
        items.append(item)
    return items, at


def _dict(data: bytes, at: int, size: int) -> tuple[dict[str, Any], int]:
    entries = {}
    for _ in range(size):
        key, at = _unpack(data, at)
        if not isinstance(key, str):
            raise PackStreamError(f"dictionary keys must be strings, not {key!r}")
        entries[key], at = _unpack(data, at)
    return entries, at


def _structure(data: bytes, at: int, size: int) -> tuple[Structure, int]:
    tag = data[at]
    fields, at = _list(data, at + 1, size)
    return Structure(tag, fields), at
