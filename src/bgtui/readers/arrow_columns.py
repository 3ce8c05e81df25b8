"""Whole-column steps shared by the Arrow readers: property casts, label lists, stream splits.

Each function touches a column (or the distinct values of one) at a time, never a row in
Python, so a million-row batch costs a few vectorised passes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.types as pat

from bgtui.readers.value_problem import ValueProblem

_MAX_LONG = 2**63 - 1


def property_type_problem(data_type: pa.DataType) -> str | None:
    """Why the Arrow importer cannot take a property of this type, or None when it can.

    The GDS manual lists long, double and their lists for graph import; text was accepted by
    a database import in a Neo4j notebook; booleans are UNCONFIRMED. Temporal, binary and
    spatial values have no documented Arrow form, so those snapshots go through Bolt.
    """
    if pat.is_dictionary(data_type):
        return property_type_problem(data_type.value_type)
    if pat.is_list(data_type) or pat.is_large_list(data_type) or pat.is_fixed_size_list(data_type):
        element = data_type.value_type
        if pat.is_list(element) or pat.is_large_list(element):
            return "lists of lists cannot be stored in Neo4j"
        return property_type_problem(element)
    if (
        pat.is_integer(data_type)
        or pat.is_floating(data_type)
        or pat.is_decimal(data_type)
        or pat.is_string(data_type)
        or pat.is_large_string(data_type)
        or pat.is_boolean(data_type)
        or pat.is_null(data_type)
    ):
        if pat.is_float16(data_type):
            return "half-precision floats are not supported"
        return None
    return f"{data_type} values have no documented form in the GDS Arrow importer (UNCONFIRMED)"


def _target(data_type: pa.DataType) -> pa.DataType:
    if pat.is_integer(data_type):
        return pa.int64()
    if pat.is_floating(data_type) or pat.is_decimal(data_type):
        return pa.float64()
    if pat.is_string(data_type) or pat.is_large_string(data_type):
        return pa.string()
    return data_type


def property_column(column: pa.Array) -> pa.Array | None:
    """A property column as the importer takes it: long, double, utf8, bool or lists of those.

    Empty lists become nulls (Neo4j does not store them, as with CSV arrays). Returns None for
    a column with no type (all nulls), which stores nothing.

    Raises:
        ValueProblem: a value that does not fit (an unsigned integer past 2**63-1, a list
            holding a null).
    """
    data_type = column.type
    if pat.is_null(data_type):
        return None
    if pat.is_dictionary(data_type):
        column = column.dictionary_decode()
        data_type = column.type
    if pat.is_list(data_type) or pat.is_large_list(data_type) or pat.is_fixed_size_list(data_type):
        element = _target(data_type.value_type)
        if pc.list_flatten(column).null_count:
            raise ValueProblem("a list holds a null, which Neo4j cannot store")
        column = _cast(column, pa.list_(element))
        lengths = pc.list_value_length(column)
        if len(column) and pc.min(lengths).as_py() == 0:
            column = pc.if_else(pc.equal(lengths, 0), pa.scalar(None, column.type), column)
        return column
    return _cast(column, _target(data_type))


def _cast(column: pa.Array, target: pa.DataType) -> pa.Array:
    if column.type == target:
        return column
    try:
        return column.cast(target)
    except (pa.ArrowInvalid, OverflowError):
        raise ValueProblem(f"expected integers up to {_MAX_LONG} (Neo4j's largest)") from None


def first_index(mask: pa.Array) -> int:
    """The position of the first true value of a boolean column (-1 when none)."""
    return int(pc.index(mask, True).as_py())


def constant_labels(labels: tuple[str, ...], rows: int) -> pa.Array:
    """A ``labels`` column holding the same labels on every row, built without a row loop.

    One label goes as dictionary-encoded text, several as ``list<utf8>``: both are forms the
    GDS manual lists for the column.
    """
    zeros = pa.repeat(pa.scalar(0, pa.int32()), rows)
    if len(labels) == 1:
        return pa.DictionaryArray.from_arrays(zeros, pa.array(labels, pa.string()))
    return pa.array([list(labels)], pa.list_(pa.string())).take(zeros)


def split_by_key(
    batch: pa.RecordBatch, keys: pa.Array, streams: dict[str, tuple[str, ...]]
) -> Iterator[tuple[tuple[str, ...], pa.RecordBatch]]:
    """The rows of ``batch`` grouped by the stream each row's key maps to.

    ``keys`` is a text column (nulls read as the empty key); a batch with one stream is
    handed on whole, otherwise each stream's rows are filtered out, keeping their order.
    """
    keys = pc.fill_null(keys, "")
    grouped: dict[tuple[str, ...], list[str]] = {}
    for key, stream in streams.items():
        grouped.setdefault(stream, []).append(key)
    if len(grouped) == 1:
        yield next(iter(grouped)), batch
        return
    for stream, members in grouped.items():
        mask = pc.is_in(keys, value_set=pa.array(members, pa.string()))
        yield stream, batch.filter(mask)
