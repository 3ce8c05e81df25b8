"""Durations: what operators write, and what is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bgtui.config.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        (30, 30.0),
        (2.5, 2.5),
        ("30", 30.0),
        ("30s", 30.0),
        ("5m", 300.0),
        ("1h", 3600.0),
        ("1h30m", 5400.0),
        ("2m5s", 125.0),
        ("250ms", 0.25),
        (" 1H ", 3600.0),
    ],
)
def test_accepted_forms(written: object, seconds: float) -> None:
    assert parse_duration(written) == seconds


@pytest.mark.parametrize(
    "written", ["", "5 minutes", "30m1h", "1h30", "ms", "-3", "nan", True, None]
)
def test_refused_forms_say_what_is_accepted(written: object) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(written)


@given(st.integers(min_value=0, max_value=10 * 86_400))
def test_format_reads_back(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


def test_format_is_short() -> None:
    assert [format_duration(s) for s in (0, 90, 3600, 5400, 0.5)] == [
        "0s",
        "1m30s",
        "1h",
        "1h30m",
        "500ms",
    ]
