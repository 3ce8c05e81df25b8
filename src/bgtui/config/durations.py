"""Durations as operators write them: ``30``, ``30s``, ``5m``, ``1h``, ``1h30m``, ``250ms``."""

from __future__ import annotations

import math
import re

_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
# Units in falling order, each at most once: "1h30m" and "2m5s" read, "30m1h" does not.
_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)h)?"
    r"(?:(?P<m>\d+(?:\.\d+)?)m(?!s))?"
    r"(?:(?P<s>\d+(?:\.\d+)?)s)?"
    r"(?:(?P<ms>\d+)ms)?$"
)

DURATION_HINT = "a duration such as 30, 30s, 5m, 1h or 1h30m"


def parse_duration(value: object) -> float:
    """Seconds in ``value``: a bare number means seconds.

    Raises:
        ValueError: ``value`` is not a duration or is negative; the message shows what is accepted.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected {DURATION_HINT}, got {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _parse_text(value)
    else:
        raise ValueError(f"expected {DURATION_HINT}, got {value!r}")
    if seconds < 0 or not math.isfinite(seconds):
        raise ValueError(f"expected a positive duration, got {value!r}")
    return seconds


def _parse_text(text: str) -> float:
    compact = text.strip().lower().replace(" ", "")
    try:
        return float(compact)
    except ValueError:
        pass
    match = _DURATION.match(compact)
    if not compact or match is None or not any(match.groupdict().values()):
        raise ValueError(f"expected {DURATION_HINT}, got {text!r}")
    return sum(
        float(amount) * _UNIT_SECONDS[unit]
        for unit, amount in match.groupdict().items()
        if amount is not None
    )


def format_duration(seconds: float) -> str:
    """The shortest way to write ``seconds`` back into a settings file (``90`` -> ``1m30s``)."""
    if seconds != int(seconds):
        return f"{seconds:g}s" if seconds >= 1 else f"{round(seconds * 1000)}ms"
    whole = int(seconds)
    if whole == 0:
        return "0s"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if n]
    return "".join(parts)
