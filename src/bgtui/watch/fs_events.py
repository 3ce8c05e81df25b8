"""watchdog events reduced to what the watcher needs: which snapshot folder changed, and when.

Only changes count (created, deleted, moved, closed after writing): the watcher's own reads
(opened, closed without writing) would otherwise wake it up again and again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)

from bgtui.watch.scanner import is_staging_name

#: The kernel is only asked for these (watchdog narrows the inotify mask to them).
CHANGE_EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    DirCreatedEvent,
    FileMovedEvent,
    DirMovedEvent,
    FileDeletedEvent,
    DirDeletedEvent,
    FileClosedEvent,
]
_CHANGES = frozenset({"created", "deleted", "moved", "closed"})

#: ``(customer, timestamp)``; ``(customer, "")`` for a customer folder, ``("", "")`` for the base.
FolderKey = tuple[str, str]


def folder_key(base: Path, path: str) -> FolderKey | None:
    """The snapshot folder ``path`` lies in, or None when it is outside the base or staging."""
    relative = os.path.relpath(path, base)
    if relative == os.curdir:
        return ("", "")
    parts = Path(relative).parts
    if not parts or parts[0] == os.pardir:
        return None
    head = parts[:2]
    if any(is_staging_name(part) for part in head):
        return None
    return (head[0], head[1] if len(head) > 1 else "")


class ChangeHandler(FileSystemEventHandler):
    """Turns watchdog events into ``on_change(key)`` calls (on watchdog's thread)."""

    def __init__(
        self,
        base: Path,
        on_change: Callable[[FolderKey], None],
        on_base_deleted: Callable[[], None],
    ) -> None:
        self._base = base
        self._on_change = on_change
        self._on_base_deleted = on_base_deleted

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGES:
            return
        paths = (
            [event.src_path, event.dest_path] if event.event_type == "moved" else [event.src_path]
        )
        for raw in paths:
            path = os.fsdecode(raw)
            if event.event_type == "deleted" and os.path.normpath(path) == str(self._base):
                self._on_base_deleted()
            key = folder_key(self._base, path) if path else None
            if key is not None:
                self._on_change(key)
