from __future__ import annotations

import pytest

from bgtui.domain.policy import check_expectation
from bgtui.domain.snapshot import SnapshotState as S
from bgtui.engine.rules import (
    RetainedDatabase,
    count_mismatches,
    databases_to_retire,
    why_not,
)


@pytest.mark.parametrize(
    ("value", "expect", "passes"),
    [
        (3, ">= 1", True),
        (0, ">= 1", False),
        (0, "== 0", True),
        (5, "< 5", False),
        (True, "true", True),
        (1, "true", False),
        ("3", ">= 1", False),
        (2.5, "> 2", True),
    ],
)
def test_check_expectations(value: object, expect: str, passes: bool) -> None:
    assert check_expectation(value, expect) is passes


def test_an_unreadable_expectation_is_an_error() -> None:
    with pytest.raises(ValueError, match="cannot read expectation"):
        check_expectation(1, "about three")


def test_count_mismatches_name_both_sides() -> None:
    assert count_mismatches("label", {"A": 2, "B": 1}, {"A": 2, "C": 4}) == [
        "label B: snapshot had 1, database has 0",
        "label C: snapshot had 0, database has 4",
    ]


def test_retention_never_drops_protected_or_live_databases() -> None:
    retained = [
        RetainedDatabase("a-5", "a/5", S.AWAITING_APPROVAL),
        RetainedDatabase("a-4", "a/4", S.LIVE),
        RetainedDatabase("a-3", "a/3", S.STANDBY),
        RetainedDatabase("a-2", "a/2", S.STANDBY),
        RetainedDatabase("a-1", "a/1", S.STANDBY),
        RetainedDatabase("a-0", "a/0", S.FAILED),
    ]
    assert databases_to_retire(retained, 1, protected=set()) == ["a-2", "a-1", "a-0"]
    # the protected rollback target is the one standby kept
    assert databases_to_retire(retained, 1, protected={"a-1"}) == ["a-3", "a-2", "a-0"]
    assert databases_to_retire(retained, 2, protected={"a-1"}) == ["a-2", "a-0"]
    assert databases_to_retire(retained, 0, protected={"a-3"}) == ["a-2", "a-1", "a-0"]


def test_actions_say_why_they_do_not_apply() -> None:
    assert why_not("approve", S.LIVE, read_only=False) is not None
    assert why_not("approve", S.AWAITING_APPROVAL, read_only=False) is None
    assert "read-only" in (why_not("approve", S.AWAITING_APPROVAL, read_only=True) or "")
    assert why_not("retry", S.FAILED, read_only=False) is None
    assert why_not("retry", S.LOADING, read_only=False) is not None
    assert (
        why_not("rollback", None, read_only=False, live_database="x", rollback_target="y") is None
    )
    assert "no earlier" in (why_not("rollback", None, read_only=False, live_database="x") or "")
    assert why_not("hold", S.AWAITING_APPROVAL, read_only=False, has_countdown=True) is None
    assert why_not("hold", S.AWAITING_APPROVAL, read_only=False) is not None
