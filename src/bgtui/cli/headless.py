"""``bgtui run --headless``: the same engine with one JSON object per line instead of a UI.

Made for systemd and log shippers: stdout only, flushed per line, progress thinned to one
line per snapshot every few seconds, SIGTERM and SIGINT stop cleanly. A picture that did not
change (the aliases poll, health, a snapshot's view) is written once, not every poll; log
lines from before this process started (the context the engine replays from the history)
carry ``"replay": true`` so log pipelines do not count them twice.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from dataclasses import asdict, is_dataclass, replace
from datetime import UTC, datetime
from enum import Enum
from typing import IO, Any

from bgtui.engine.controller import Controller
from bgtui.engine.events import (
    AliasesChanged,
    ControllerChanged,
    EngineEvent,
    HealthChanged,
    LoadLogLine,
    Notice,
    SnapshotChanged,
    WatcherChanged,
)

_PROGRESS_EVERY_SECONDS = 5.0


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def event_record(event: EngineEvent) -> dict[str, Any]:
    """A flat, JSON-ready dict for one event, with ``event`` naming its kind."""
    body = asdict(event) if is_dataclass(event) else {}
    record: dict[str, Any] = {"at": event.at.isoformat(), "event": _EVENT_NAMES[type(event)]}
    body.pop("at", None)
    record.update(_plain(body))
    return record


_EVENT_NAMES: dict[type, str] = {
    SnapshotChanged: "snapshot",
    LoadLogLine: "log",
    HealthChanged: "health",
    AliasesChanged: "aliases",
    WatcherChanged: "watcher",
    Notice: "notice",
    ControllerChanged: "controller",
}


class JsonLinesSink:
    """Writes engine events as JSON lines; repeats of the same picture are dropped."""

    def __init__(
        self, stream: IO[str] | None = None, *, started_at: datetime | None = None
    ) -> None:
        self._stream = stream or sys.stdout
        self._started_at = started_at or datetime.now(UTC)
        self._last_progress: dict[str, float] = {}
        self._last_health: tuple[object, ...] | None = None
        self._last_picture: dict[tuple[str, str], object] = {}

    def __call__(self, event: EngineEvent) -> None:
        if not self._worth_writing(event):
            return
        record = event_record(event)
        if isinstance(event, LoadLogLine) and event.at < self._started_at:
            record["replay"] = True
        self._stream.write(json.dumps(record, default=str) + "\n")
        self._stream.flush()

    def _unchanged(self, identity: tuple[str, str], picture: object) -> bool:
        """True when ``picture`` is what was last written for ``identity`` (then skip it)."""
        if self._last_picture.get(identity) == picture:
            return True
        self._last_picture[identity] = picture
        return False

    def _worth_writing(self, event: EngineEvent) -> bool:
        if isinstance(event, AliasesChanged):
            return not self._unchanged(("aliases", ""), event.aliases)
        if isinstance(event, WatcherChanged | ControllerChanged):
            body = replace(event, at=datetime.min.replace(tzinfo=UTC))
            return not self._unchanged((type(event).__name__, ""), body)
        if isinstance(event, SnapshotChanged) and event.snapshot.progress is None:
            view = replace(event.snapshot, updated_at=None)
            if self._unchanged(("snapshot", view.key), view):
                return False
        if isinstance(event, SnapshotChanged) and event.snapshot.progress is not None:
            key = event.snapshot.key
            now = time.monotonic()
            if now - self._last_progress.get(key, 0.0) < _PROGRESS_EVERY_SECONDS:
                return False
            self._last_progress[key] = now
        if isinstance(event, HealthChanged):
            health = event.health
            signature = (
                health.connected,
                health.gate_open,
                health.gate_reason,
                health.error,
                health.database_count,
                health.databases,
            )
            if signature == self._last_health:
                return False
            self._last_health = signature
        return True


async def run_headless(controller: Controller, sink: JsonLinesSink | None = None) -> None:
    """Run the engine until SIGTERM or SIGINT, then stop it cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    controller.subscribe(sink or JsonLinesSink())
    await controller.start()
    try:
        await stop.wait()
    finally:
        await controller.stop()
