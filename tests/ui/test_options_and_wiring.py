"""Console options, stylesheet lookup and the event → message mapping."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bgtui.engine.events import (
    AliasesChanged,
    ControllerChanged,
    EngineEvent,
    HealthChanged,
    HealthView,
    Level,
    LoadLogLine,
    Notice,
    WatcherChanged,
)
from bgtui.ui import messages
from bgtui.ui.options import ConsoleOptions, ConsoleOptionsError
from bgtui.ui.resources import STYLESHEETS, StylesheetMissing, console_stylesheets, stylesheet_path

AT = datetime(2026, 1, 2, tzinfo=UTC)


def test_options_refuse_unknown_theme_colour_and_empty_operator() -> None:
    with pytest.raises(ConsoleOptionsError, match="theme 'disco'"):
        ConsoleOptions(theme="disco")
    with pytest.raises(ConsoleOptionsError, match="colour 'mauve'"):
        ConsoleOptions(environment_colour="mauve")
    with pytest.raises(ConsoleOptionsError, match="operator"):
        ConsoleOptions(operator=" ")
    assert ConsoleOptions(environment_colour="red").environment_class == "-env-red"


def test_every_stylesheet_is_found_and_a_missing_one_says_where_it_looked() -> None:
    paths = console_stylesheets()
    assert [p.name for p in paths] == list(STYLESHEETS)
    assert all(p.is_file() for p in paths)
    with pytest.raises(StylesheetMissing, match="styles"):
        stylesheet_path("nope.tcss")


def test_projector_rules_only_apply_under_the_projector_class() -> None:
    text = stylesheet_path("projector.tcss").read_text()
    selectors = [
        line for line in text.splitlines() if line.endswith("{") and not line.startswith(" ")
    ]
    assert selectors
    assert all(".-projector" in selector for selector in selectors)


@pytest.mark.parametrize(
    ("event", "message_type"),
    [
        (LoadLogLine(AT, "a/1", Level.INFO, "hi"), messages.LogLineAdded),
        (HealthChanged(AT, HealthView(True, "bolt://x")), messages.HealthUpdated),
        (AliasesChanged(AT, ()), messages.AliasesUpdated),
        (WatcherChanged(AT, "/data", "events", False), messages.WatcherUpdated),
        (Notice(AT, Level.INFO, "t", "m"), messages.NoticeArrived),
        (ControllerChanged(AT, read_only=True), messages.ControllerUpdated),
    ],
)
def test_each_engine_event_has_its_message(event: EngineEvent, message_type: type) -> None:
    assert isinstance(messages.message_for(event), message_type)


def test_an_unknown_event_is_ignored() -> None:
    assert messages.message_for(EngineEvent(AT)) is None
