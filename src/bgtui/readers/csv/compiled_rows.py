"""Row builders compiled once per file group: the hot loop of a CSV load, without the loops.

``rows`` builds a row by walking the group's columns and calling one converter per field: clear,
and it says exactly what went wrong where. This module writes, once per group, a Python
function with one straight block per column, the common conversions (strings, whole numbers,
decimals, booleans, string arrays, ids) inline, and everything it needs bound as locals. On
any doubt (a value that does not convert, an empty id, a label not seen before) it hands the
record to the precise builder from ``rows``, which either raises the error naming file, line
and column, or returns the row. So the two can never disagree on what a row is, only on speed.

The generated text holds no header text: names, converters and delimiters are passed in as
default arguments, never pasted into source.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from bgtui.readers.csv.values import IntegerConverter, StringSplitter, parse_boolean, parse_float
from bgtui.readers.model import NodeRow, RelationshipRow
from bgtui.readers.temporal import parse_date

Build = Callable[[list[str], Path, int], Any]
#: (column index, property name, converter) as ``rows`` keeps them.
Column = tuple[int, str, Callable[[str], Any]]


class _Source:
    """Lines of the generated function and the values bound to it as default arguments."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.bound: dict[str, Any] = {}

    def bind(self, prefix: str, value: Any) -> str:
        name = f"_{prefix}{len(self.bound)}"
        self.bound[name] = value
        return name

    def add(self, indent: int, *lines: str) -> None:
        self.lines += ["    " * indent + line for line in lines]

    def compile(self, name: str) -> Build:
        parameters = ", ".join(f"{key}={key}" for key in self.bound)
        text = "\n".join([f"def {name}(fields, path, line, {parameters}):", *self.lines])
        namespace: dict[str, Any] = dict(self.bound)
        exec(compile(text, f"<bgtui compiled {name}>", "exec"), namespace)
        built: Build = namespace[name]
        return built


def _integer_text(source: _Source, indent: int, target: str) -> None:
    """Refuse what ``int()`` takes but neo4j-admin does not ("1_000", non-ASCII digits)."""
    source.add(indent, f'if not {target}.isascii() or "_" in {target}:', "    raise ValueError")


def _property(source: _Source, column: Column) -> None:
    index, name, convert = column
    key = source.bind("name", name)
    source.add(1, f"raw = fields[{index}]", "if raw:")
    if convert is str:
        source.add(2, f"properties[{key}] = raw")
    elif isinstance(convert, IntegerConverter):
        source.add(2, "if not raw.isdigit() or not raw.isascii():")  # plain digits: no more checks
        _integer_text(source, 3, "raw")
        source.add(
            2,
            "value = int(raw)",
            f"if not {convert.low} <= value <= {convert.high}:",
            "    raise ValueError",
            f"properties[{key}] = value",
        )
    elif convert is parse_float:
        _integer_text(source, 2, "raw")
        source.add(2, f"properties[{key}] = float(raw)")
    elif convert is parse_boolean:
        source.add(2, f'properties[{key}] = raw == "true" or raw.strip() == "true"')
    elif convert is parse_date:
        # The common form in C; anything else (week dates, spaces) through the full grammar.
        iso = source.bind("fromisoformat", date.fromisoformat)
        function = source.bind("convert", convert)
        source.add(
            2,
            'if len(raw) == 10 and raw[4] == "-" and raw[7] == "-":',
            f"    properties[{key}] = {iso}(raw)",
            "else:",
            f"    properties[{key}] = {function}(raw)",
        )
    elif isinstance(convert, StringSplitter):
        delimiter = source.bind("delimiter", convert.delimiter)
        source.add(2, f"properties[{key}] = raw.split({delimiter})")
    else:
        function = source.bind("convert", convert)
        source.add(
            2, f"value = {function}(raw)", "if value is not None:", f"    properties[{key}] = value"
        )


def _identifier(source: _Source, target: str, index: int, convert: Callable[[str], Any]) -> None:
    source.add(1, f"{target} = fields[{index}]", f"if not {target}:", "    raise ValueError")
    if isinstance(convert, IntegerConverter):
        _integer_text(source, 1, target)
        source.add(
            1,
            f"{target} = int({target})",
            f"if not {convert.low} <= {target} <= {convert.high}:",
            "    raise ValueError",
        )
    elif convert is not str:
        function = source.bind("convert", convert)
        source.add(1, f"{target} = {function}({target})")


def _start(source: _Source, width: int, check_width: Callable[..., None]) -> None:
    check = source.bind("check_width", check_width)
    source.add(1, f"if len(fields) != {width}:", f"    {check}(fields, path, line)", "try:")


def _finish(source: _Source, precise: Build, cls: type[Any], *values: str) -> None:
    fallback = source.bind("precise", precise)
    source.add(
        1, "except (ValueError, OverflowError):", f"    return {fallback}(fields, path, line)"
    )
    source.add(1, f"return {_make(source, cls, *values)}")


def _indented(source: _Source, emit: Callable[[], None]) -> None:
    """Run ``emit`` with every line it adds one level deeper (inside the ``try``)."""
    start = len(source.lines)
    emit()
    source.lines[start:] = ["    " + line for line in source.lines[start:]]


def compile_node_builder(
    *,
    width: int,
    check_width: Callable[..., None],
    columns: list[Column],
    id_column: tuple[int, Callable[[str], Any], str | None] | None,
    extra_labels: tuple[str, ...],
    label_columns: list[int],
    known_labels: dict[str, tuple[str, ...]],
    precise: Build,
) -> Build:
    """A node row builder equivalent to ``precise``; see the module docstring."""
    source = _Source()
    _start(source, width, check_width)

    def body() -> None:
        source.add(1, "properties = {}")
        for column in columns:
            _property(source, column)
        if id_column is not None:
            index, convert, property_name = id_column
            _identifier(source, "node_id", index, convert)

            if property_name:
                source.add(1, f"properties[{source.bind('name', property_name)}] = node_id")
        labels = source.bind("labels", extra_labels)
        known = source.bind("known", known_labels)
        source.add(1, f"labels = {labels}")
        for index in label_columns:
            # A label field not seen before is checked (and remembered) by the precise builder.
            source.add(
                1,
                f"raw = fields[{index}]",
                "if raw:",
                f"    found = {known}.get(raw)",
                "    if found is None:",
                "        raise ValueError",
                "    labels = tuple(dict.fromkeys((*labels, *found))) if labels else found",
            )

    _indented(source, body)
    node_id = "node_id" if id_column else "None"
    _finish(source, precise, NodeRow, node_id, "labels", "properties")
    return source.compile("build_node")


def compile_relationship_builder(
    *,
    width: int,
    check_width: Callable[..., None],
    columns: list[Column],
    start: tuple[int, Callable[[str], Any]],
    end: tuple[int, Callable[[str], Any]],
    type_index: int | None,
    default_type: str | None,
    known_types: dict[str, tuple[str, ...]],
    precise: Build,
) -> Build:
    """A relationship row builder equivalent to ``precise``; see the module docstring."""
    source = _Source()
    _start(source, width, check_width)

    def body() -> None:
        source.add(1, "properties = {}")
        for column in columns:
            _property(source, column)
        _identifier(source, "start", *start)
        _identifier(source, "end", *end)
        source.add(1, f"rel_type = {source.bind('type', default_type)}")
        if type_index is not None:
            known = source.bind("known", known_types)
            source.add(
                1,
                f"raw = fields[{type_index}]",
                "if raw:",
                f"    found = {known}.get(raw)",
                "    if found is None:",
                "        raise ValueError",
                "    rel_type = found[0]",
            )
        source.add(1, "if rel_type is None:", "    raise ValueError")

    _indented(source, body)
    _finish(source, precise, RelationshipRow, "start", "end", "rel_type", "properties")
    return source.compile("build_relationship")


def _make(source: _Source, cls: type[Any], *values: str) -> str:
    """The expression that builds the row from ``values`` (local names).

    A frozen dataclass's ``__init__`` goes through ``object.__setattr__`` once per field; for a
    slotted one of plain fields, filling the slots directly is what that amounts to, and it
    costs a third as much. Any other shape of class is simply called.
    """
    fields = dataclasses.fields(cls) if dataclasses.is_dataclass(cls) else ()
    slots = tuple(getattr(cls, "__slots__", ()))
    plain = (
        len(fields) == len(values)
        and tuple(f.name for f in fields) == slots
        and not hasattr(cls, "__post_init__")
    )
    bound = source.bind("cls", cls)
    if not plain:
        return f"{bound}({', '.join(values)})"
    new = source.bind("new", object.__new__)
    source.add(1, f"row = {new}({bound})")
    for slot, value in zip(slots, values, strict=True):
        setter = source.bind("set", cls.__dict__[slot].__set__)
        source.add(1, f"{setter}(row, {value})")
    return "row"
