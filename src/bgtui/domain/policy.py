"""How a validated snapshot reaches its alias, and how it is checked first: one vocabulary.

``bgtui.config`` builds these from the operator's file, the engine acts on them, and tests
build them directly; nothing else defines a policy name or an expectation.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bgtui.domain.names import InvalidNameError, alias_for_customer

AUTO, MANUAL, AUTO_AFTER = "auto", "manual", "auto_after"
POLICIES = (AUTO, MANUAL, AUTO_AFTER)


@dataclass(frozen=True)
class PromotionPolicy:
    """How a validated snapshot of one customer reaches its alias, and how many older stay."""

    policy: str = AUTO  # auto | manual | auto_after
    auto_after_seconds: float = 600.0
    keep_previous: int = 2
    #: Stop retained standbys beyond the most recent one, to free heap and page cache; one
    #: is started again before a rollback to it.
    stop_standbys: bool = False


@dataclass(frozen=True)
class ValidationCheck:
    """An operator-authored query on the candidate database, returning one value."""

    name: str
    query: str
    expect: str  # normalised by ``normalise_expectation``: ">= 1", "== 0", "true", "false"


def policy_for(
    customer: str, default: PromotionPolicy, overrides: Mapping[str, PromotionPolicy]
) -> PromotionPolicy:
    """A customer's override (filed under its folder name or its alias), else ``default``.

    Overrides are filed by alias, so ``Acme_Corp`` and ``acme-corp`` find the same entry.
    """
    if customer in overrides:
        return overrides[customer]
    try:
        alias = alias_for_customer(customer)
    except InvalidNameError:
        return default
    return overrides.get(alias, default)


_EXPECTATION = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$")
_TRUE_WORDS = frozenset({"true", "yes", "on"})
_FALSE_WORDS = frozenset({"false", "no", "off"})
_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    "<": operator.lt,
}


def normalise_expectation(expect: str) -> str:
    """The one spelling of an expectation: ``>= 1``, ``== 0``, ``true`` or ``false``.

    ``yes``/``on`` and ``no``/``off`` (YAML's booleans written as text) mean true and false.

    Raises:
        ValueError: ``expect`` is not one of the accepted forms.
    """
    text = expect.strip().lower()
    if text in _TRUE_WORDS:
        return "true"
    if text in _FALSE_WORDS:
        return "false"
    match = _EXPECTATION.match(text)
    if match is None:
        raise ValueError(f"expected '>= n', '> n', '== n', '<= n', '< n' or true, got {text!r}")
    return f"{match.group(1)} {match.group(2)}"


def check_expectation(value: Any, expect: str) -> bool:
    """Does a check's single value satisfy ``expect`` (``>= 1``, ``== 0``, ``true``, ``false``)?

    Raises:
        ValueError: ``expect`` is not one of the accepted forms.
    """
    text = expect.strip().lower()
    if text in {"true", "false"}:
        return value is (text == "true")
    match = _EXPECTATION.match(text)
    if not match:
        raise ValueError(f"cannot read expectation {expect!r}; use e.g. '>= 1', '== 0' or 'true'")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return _OPERATORS[match.group(1)](value, float(match.group(2)))
