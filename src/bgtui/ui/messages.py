"""Every engine event as a Textual message, mapped in one place.

The engine may publish from any thread; ``post_message`` is thread-safe, so the sink only
wraps the event and posts it. Handlers then run on the console's loop.
"""

from __future__ import annotations

from textual.message import Message

from bgtui.engine.events import (
    AliasesChanged,
    AliasView,
    ControllerChanged,
    EngineEvent,
    HealthChanged,
    HealthView,
    LoadLogLine,
    Notice,
    SnapshotChanged,
    SnapshotView,
    WatcherChanged,
)


class SnapshotUpdated(Message, bubble=False):
    """A snapshot's complete view changed (state, progress, countdown, …)."""

    def __init__(self, view: SnapshotView) -> None:
        super().__init__()
        self.view = view


class LogLineAdded(Message, bubble=False):
    def __init__(self, line: LoadLogLine) -> None:
        super().__init__()
        self.line = line


class HealthUpdated(Message, bubble=False):
    def __init__(self, health: HealthView) -> None:
        super().__init__()
        self.health = health


class AliasesUpdated(Message, bubble=False):
    def __init__(self, aliases: tuple[AliasView, ...]) -> None:
        super().__init__()
        self.aliases = aliases


class WatcherUpdated(Message, bubble=False):
    def __init__(self, watcher: WatcherChanged) -> None:
        super().__init__()
        self.watcher = watcher


class NoticeArrived(Message, bubble=False):
    def __init__(self, notice: Notice) -> None:
        super().__init__()
        self.notice = notice


class ControllerUpdated(Message, bubble=False):
    def __init__(self, controller: ControllerChanged) -> None:
        super().__init__()
        self.controller = controller


def message_for(event: EngineEvent) -> Message | None:
    """The message for ``event``, or None for an event this console does not show."""
    match event:
        case SnapshotChanged():
            return SnapshotUpdated(event.snapshot)
        case LoadLogLine():
            return LogLineAdded(event)
        case HealthChanged():
            return HealthUpdated(event.health)
        case AliasesChanged():
            return AliasesUpdated(event.aliases)
        case WatcherChanged():
            return WatcherUpdated(event)
        case Notice():
            return NoticeArrived(event)
        case ControllerChanged():
            return ControllerUpdated(event)
    return None
