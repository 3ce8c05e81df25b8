"""Typed property values: one converter per column, built once from its header token.

Conversions follow neo4j-admin (https://neo4j.com/docs/operations-manual/current/import/):
numbers are whole or decimal text,
``boolean`` is true only for the text ``true``, arrays are split by the array delimiter and
an empty array is not imported. Integer types are range-checked by their declared width and
then sent as Cypher integers (``--normalize-types`` is on by default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bgtui.readers import temporal
from bgtui.readers.csv import spatial
from bgtui.readers.errors import shown
from bgtui.readers.model import ImportOptions
from bgtui.readers.value_problem import Converter, ValueProblem

_INTEGER_BITS = {"byte": 8, "short": 16, "int": 32, "long": 64}


class IntegerConverter:
    """Whole numbers from ``low`` to ``high``; the bounds are public so the row compiler
    (``compiled_rows``) can check them inline instead of calling this for every value."""

    __slots__ = ("expected", "high", "low")

    def __init__(self, low: int, high: int, expected: str) -> None:
        self.low, self.high, self.expected = low, high, expected

    def __call__(self, text: str) -> int:
        # int() alone would also take "1_000" and non-ASCII digits, which neo4j-admin refuses.
        if not text.isascii() or "_" in text:
            raise ValueProblem(self.expected)
        try:
            value = int(text)
        except ValueError:
            raise ValueProblem(self.expected) from None
        if not self.low <= value <= self.high:
            raise ValueProblem(self.expected)
        return value


class StringSplitter:
    """A ``string[]`` column: the text split by the array delimiter, nothing else."""

    __slots__ = ("delimiter",)

    def __init__(self, delimiter: str) -> None:
        self.delimiter = delimiter

    def __call__(self, text: str) -> list[str]:
        return text.split(self.delimiter)


SCALAR_TYPES = (
    "int",
    "long",
    "float",
    "double",
    "boolean",
    "byte",
    "short",
    "char",
    "string",
    "point",
    "date",
    "localtime",
    "time",
    "localdatetime",
    "datetime",
    "duration",
)
#: Header options each type accepts (``{…}`` after the type).
TYPE_OPTIONS: dict[str, tuple[str, ...]] = {
    "point": ("crs", "srid", "x", "y", "z", "longitude", "latitude", "height"),
    "time": ("timezone",),
    "datetime": ("timezone",),
}


def integer_converter(type_name: str) -> IntegerConverter:
    """Whole numbers in the range of ``byte``/``short``/``int``/``long``."""
    bits = _INTEGER_BITS[type_name]
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    article = "an" if type_name == "int" else "a"
    expected = f"expected {article} {type_name} (a whole number from {low} to {high})"
    return IntegerConverter(low, high, expected)


def parse_float(text: str) -> float:
    """Decimal text such as ``1.5``, ``-2e10``, ``NaN`` or ``Infinity``."""
    # float() alone would also take "1_0.5" and non-ASCII digits.
    if not text.isascii() or "_" in text:
        raise ValueProblem("expected a number such as 1.5")
    try:
        return float(text)
    except ValueError:
        raise ValueProblem("expected a number such as 1.5") from None


def parse_boolean(text: str) -> bool:
    """neo4j-admin reads a boolean as true for exactly ``true`` and false for anything else."""
    return text.strip() == "true"


def string_converter(options: ImportOptions) -> Converter:
    """Strings as written; trimmed and dropped when empty if the options say so."""
    trim, ignore_empty = options.trim_strings, options.ignore_empty_strings
    if not trim and not ignore_empty:
        return str
    if not ignore_empty:
        return str.strip

    def convert(text: str) -> str | None:
        value = text.strip() if trim else text
        return value or None

    return convert


def char_converter(options: ImportOptions) -> Converter:
    """One character (stored as a one-character string)."""
    trim = options.trim_strings

    def convert(text: str) -> str:
        value = text.strip() if trim else text
        if len(value) != 1:
            raise ValueProblem("expected a single character")
        return value

    return convert


def scalar_converter(
    type_name: str, header_options: dict[str, str], options: ImportOptions
) -> Converter:
    """The converter for one value of ``type_name`` (already known to be a scalar type).

    Raises:
        ValueProblem: the header options are wrong for the type (an unknown time zone, CRS).
    """
    if type_name in _INTEGER_BITS:
        return integer_converter(type_name)
    if type_name in ("float", "double"):
        return parse_float
    if type_name == "boolean":
        return parse_boolean
    if type_name == "string":
        return string_converter(options)
    if type_name == "char":
        return char_converter(options)
    if type_name == "point":
        defaults = {key.lower(): value for key, value in header_options.items()}
        spatial.check_point_defaults(defaults)
        return lambda text: spatial.parse_point(text, defaults)
    return temporal.converter(type_name, header_options)


def array_converter(element: Converter, delimiter: str, *, may_drop: bool) -> Converter:
    """Split by the array delimiter and convert each element; an empty array is left out.

    ``may_drop`` says the element converter can answer None (an empty string to ignore).
    """
    if element is str:
        return StringSplitter(delimiter)

    def convert(text: str) -> list[Any] | None:
        parts = text.split(delimiter)
        try:
            values = [element(part) for part in parts]
        except ValueProblem:
            _raise_for_element(element, parts)
            raise
        if may_drop:
            values = [value for value in values if value is not None]
        return values or None

    return convert


def _raise_for_element(element: Converter, parts: list[str]) -> None:
    """Say which element of an array was bad (only on the error path, to keep arrays fast)."""
    for position, part in enumerate(parts, start=1):
        try:
            element(part)
        except ValueProblem as problem:
            raise ValueProblem(f"{problem} in element {position} ({shown(part)})") from None


def column_converter(
    type_name: str, is_array: bool, header_options: dict[str, str], options: ImportOptions
) -> Converter:
    """The converter for one property column, e.g. ``scores:float[]``."""
    element = scalar_converter(type_name, header_options, options)
    if is_array:
        may_drop = type_name == "string" and options.ignore_empty_strings
        return array_converter(element, options.array_delimiter, may_drop=may_drop)
    return element


def id_converter(is_integer: bool, options: ImportOptions) -> Callable[[str], str | int]:
    """Node ids and relationship endpoints: text, or whole numbers for integer ID spaces."""
    if is_integer:
        return integer_converter("long")
    if options.trim_strings:
        return str.strip
    return str
