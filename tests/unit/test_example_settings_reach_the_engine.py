"""Every value the example settings file documents is accepted all the way to the engine.

``config/bgtui.example.yaml`` lists the alternatives of each choice in its comments. Each is
loaded (``load_settings``), turned into the engine's settings (``engine_settings``) and given
to a controller: a value config accepts but the engine or a reader refuses would fail here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bgtui.cli.wiring import engine_settings
from bgtui.config import load_settings
from bgtui.domain.policy import POLICIES, policy_for
from bgtui.engine.clock import ManualClock
from bgtui.engine.controller import Controller
from bgtui.readers.model import FORMATS, ID_TYPES
from tests.unit.engine.doubles import InMemoryGraph, InMemoryHistory

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "bgtui.example.yaml"

#: (key path, value): every alternative the example's comments document.
DOCUMENTED = [
    *(
        (("environment", "colour"), colour)
        for colour in ("red", "orange", "yellow", "green", "blue", "magenta", "cyan", "grey")
    ),
    *(
        (("neo4j", "uri"), f"{scheme}://localhost:7687")
        for scheme in ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
    ),
    *((("snapshots", "watch"), mode) for mode in ("auto", "events", "polling")),
    *(
        (("snapshots", "readiness", "require"), rule)
        for rule in ("auto", "marker", "manifest", "settle")
    ),
    *((("snapshots", "format"), name) for name in ("auto", "csv", "parquet")),
    *((("snapshots", "csv", "delimiter"), text) for text in (",", "\\t", "TAB")),
    *((("snapshots", "csv", "id_type"), name) for name in ("string", "integer", "actual")),
    (("snapshots", "csv", "bad_tolerance"), -1),
    *((("promotion", "policy"), name) for name in ("auto", "manual", "auto_after")),
    (
        ("customers",),
        {
            "acme": {"policy": "manual"},
            "globex": {"policy": "auto_after", "auto_after": "2m", "keep_previous": 1},
        },
    ),
    *(
        (("validation", "checks"), [{"name": "has people", "query": "RETURN 1", "expect": e}])
        for e in (">= 1", "> 0", "== 5", "!= 0", "<= 9", "< 3", True, False)
    ),
]


def _with(document: dict[str, Any], path: tuple[str, ...], value: object) -> dict[str, Any]:
    node = document
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    return document


def test_the_documented_lists_are_the_vocabulary() -> None:
    """The alternatives above are the ones the readers and the policy module define."""

    def documented(path: tuple[str, ...]) -> set[object]:
        return {value for p, value in DOCUMENTED if p == path}

    assert documented(("snapshots", "format")) == set(FORMATS)
    assert documented(("snapshots", "csv", "id_type")) == set(ID_TYPES)
    assert documented(("promotion", "policy")) == set(POLICIES)


@pytest.mark.parametrize(
    ("path", "value"), DOCUMENTED, ids=[f"{'.'.join(p)}={v}" for p, v in DOCUMENTED]
)
def test_a_documented_value_reaches_a_constructed_engine(
    tmp_path: Path, path: tuple[str, ...], value: object
) -> None:
    document = _with(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), path, value)
    file = tmp_path / "bgtui.yaml"
    file.write_text(yaml.safe_dump(document), encoding="utf-8")
    settings = load_settings(file, environ={})
    engine = engine_settings(settings)
    controller = Controller(
        engine,
        InMemoryGraph(),
        InMemoryHistory(),
        clock=ManualClock(),  # type: ignore[arg-type]
    )
    assert controller.settings.reader_options == settings.snapshots.reader
    assert controller.settings.load == settings.loading.load
    for customer in ("acme", "globex", "initech"):
        assert policy_for(customer, engine.default_policy, engine.customer_policies) == policy_for(
            customer, settings.promotion, settings.customers
        )
