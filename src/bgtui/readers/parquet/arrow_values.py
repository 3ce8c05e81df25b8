"""Arrow columns as Python property values the driver can send.

``to_pylist`` covers most types. Nanosecond timestamps, times and durations are converted
here, because pyarrow refuses them without pandas and Neo4j keeps nanoseconds; decimals
become floats (Neo4j has no decimal type). Types Neo4j cannot store as a property (structs,
maps, nested lists) are refused before any row is read. Imported only once pyarrow is known
to be installed.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any

import neo4j.time
import pyarrow as pa
import pyarrow.types as pat

from bgtui.readers.temporal import zone_named
from bgtui.readers.value_problem import ValueProblem

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_LONG = 2**63 - 1


def unsupported(data_type: pa.DataType) -> str | None:
    """Why a column of this type cannot become a property, or None when it can."""
    if pat.is_dictionary(data_type):
        return unsupported(data_type.value_type)
    if pat.is_list(data_type) or pat.is_large_list(data_type) or pat.is_fixed_size_list(data_type):
        element = data_type.value_type
        if _is_list(element):
            return "lists of lists cannot be stored in Neo4j"
        if _is_nanosecond(element):
            return "lists of nanosecond temporal values are not supported"
        if pat.is_binary(element) or pat.is_large_binary(element):
            return "lists of binary values cannot be stored in Neo4j"
        return unsupported(element)
    if pat.is_struct(data_type) or pat.is_map(data_type) or pat.is_union(data_type):
        return f"{data_type} values (maps) cannot be stored as Neo4j properties"
    if pat.is_float16(data_type):
        return "half-precision floats are not supported"
    supported = (
        pat.is_integer,
        pat.is_floating,
        pat.is_boolean,
        pat.is_string,
        pat.is_large_string,
        pat.is_binary,
        pat.is_large_binary,
        pat.is_date,
        pat.is_time,
        pat.is_timestamp,
        pat.is_duration,
        pat.is_decimal,
        pat.is_null,
    )
    if any(check(data_type) for check in supported):
        return None
    return f"{data_type} values are not supported"


def is_id_type(data_type: pa.DataType) -> bool:
    """Node ids and endpoints are whole numbers or strings."""
    if pat.is_dictionary(data_type):
        return is_id_type(data_type.value_type)
    return pat.is_integer(data_type) or pat.is_string(data_type) or pat.is_large_string(data_type)


def is_text_type(data_type: pa.DataType) -> bool:
    """Labels and relationship types are strings (an all-null column is fine too)."""
    if pat.is_dictionary(data_type):
        return is_text_type(data_type.value_type)
    return pat.is_string(data_type) or pat.is_large_string(data_type) or pat.is_null(data_type)


def python_values(column: pa.Array) -> list[Any]:
    """One column of a record batch as Python values (None for null).

    Raises:
        ValueProblem: a value that cannot be sent (an unsigned integer past 2**63-1).
    """
    data_type = column.type
    if pat.is_dictionary(data_type):
        column = column.dictionary_decode()
        data_type = column.type
    if _is_nanosecond(data_type):
        return _nanosecond_values(column)
    values = column.to_pylist()
    if pat.is_decimal(data_type):
        return [None if value is None else float(value) for value in values]
    if pat.is_uint64(data_type) and any(
        value is not None and value > _MAX_LONG for value in values
    ):
        raise ValueProblem(f"expected integers up to {_MAX_LONG} (Neo4j's largest)")
    if _is_list(data_type) and pat.is_decimal(data_type.value_type):
        return [None if value is None else [_float(item) for item in value] for value in values]
    return values


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _is_list(data_type: pa.DataType) -> bool:
    return bool(
        pat.is_list(data_type) or pat.is_large_list(data_type) or pat.is_fixed_size_list(data_type)
    )


def _is_nanosecond(data_type: pa.DataType) -> bool:
    temporal = pat.is_timestamp(data_type) or pat.is_time64(data_type) or pat.is_duration(data_type)
    return bool(temporal and data_type.unit == "ns")


def _nanosecond_values(column: pa.Array) -> list[Any]:
    data_type = column.type
    integers = column.cast(pa.int64()).to_pylist()
    if pat.is_timestamp(data_type):
        zone = zone_named(data_type.tz) if data_type.tz else None
        return [None if value is None else _timestamp(value, zone) for value in integers]
    if pat.is_time64(data_type):
        return [None if value is None else _time(value) for value in integers]
    return [None if value is None else _duration(value) for value in integers]


def _timestamp(nanoseconds: int, zone: tzinfo | None) -> Any:
    seconds, rest = divmod(nanoseconds, 1_000_000_000)
    instant = _EPOCH + timedelta(seconds=seconds, microseconds=rest // 1000)
    if rest % 1000 == 0:
        return instant.astimezone(zone) if zone else instant.replace(tzinfo=None)
    if zone is None:
        local = instant.replace(tzinfo=None)
        return neo4j.time.DateTime.from_native(local).replace(nanosecond=rest)
    if not isinstance(zone, timezone):
        # neo4j.time.DateTime crashes with zoneinfo zones (driver 6.4.1); use pytz's.
        import pytz

        zone = pytz.timezone(str(zone))
    return neo4j.time.DateTime.from_native(instant.astimezone(zone)).replace(nanosecond=rest)


def _time(nanoseconds: int) -> Any:
    seconds, rest = divmod(nanoseconds, 1_000_000_000)
    hours, remainder = divmod(seconds, 3600)
    minutes, second = divmod(remainder, 60)
    if rest % 1000 == 0:
        return time(hours, minutes, second, rest // 1000)
    return neo4j.time.Time(hours, minutes, second, rest)


def _duration(nanoseconds: int) -> Any:
    if nanoseconds % 1000 == 0:
        return timedelta(microseconds=nanoseconds // 1000)
    seconds, rest = divmod(nanoseconds, 1_000_000_000)
    return neo4j.time.Duration(seconds=seconds, nanoseconds=rest)
