"""The one exception value parsers raise: what was expected, without where (the caller knows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: Turns a non-empty field into a typed value; None means "leave the property out".
Converter = Callable[[str], Any]


class ValueProblem(ValueError):
    """A field that is not a value of its column's type; the message says what was expected."""
