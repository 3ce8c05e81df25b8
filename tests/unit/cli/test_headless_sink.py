"""Headless JSON lines: an unchanged picture is written once; replayed log lines say so."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

from bgtui.cli.headless import JsonLinesSink
from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.events import (
    AliasesChanged,
    AliasView,
    Level,
    LoadLogLine,
    SnapshotChanged,
    SnapshotView,
)

START = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_the_same_aliases_every_poll_are_written_once() -> None:
    stream = io.StringIO()
    sink = JsonLinesSink(stream, started_at=START)
    aliases = (AliasView("acme", "acme", "acme-1", None),)
    for poll in range(5):
        sink(AliasesChanged(START + timedelta(seconds=5 * poll), aliases))
    moved = (AliasView("acme", "acme", "acme-2", "acme-1"),)
    sink(AliasesChanged(START + timedelta(seconds=30), moved))
    written = _lines(stream)
    assert [record["event"] for record in written] == ["aliases", "aliases"]


def test_a_snapshot_view_that_did_not_change_is_not_repeated() -> None:
    stream = io.StringIO()
    sink = JsonLinesSink(stream, started_at=START)
    view = SnapshotView("acme/1", "acme", "1", "acme-1", "acme", SnapshotState.LIVE)
    sink(SnapshotChanged(START, view))
    sink(SnapshotChanged(START + timedelta(seconds=1), view))
    sink(
        SnapshotChanged(
            START + timedelta(seconds=2),
            view.__class__(**{**view.__dict__, "state": SnapshotState.STANDBY}),
        )
    )
    assert [record["snapshot"]["state"] for record in _lines(stream)] == ["live", "standby"]


def test_log_lines_from_before_the_start_are_marked_as_replayed() -> None:
    stream = io.StringIO()
    sink = JsonLinesSink(stream, started_at=START)
    sink(LoadLogLine(START - timedelta(minutes=5), "acme/1", Level.INFO, "loaded earlier"))
    sink(LoadLogLine(START + timedelta(seconds=1), "acme/2", Level.INFO, "loading now"))
    old, new = _lines(stream)
    assert old["replay"] is True
    assert "replay" not in new
