"""What the watcher tells the engine about one snapshot folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bgtui.domain.snapshot import SnapshotId


@dataclass(frozen=True)
class Discovery:
    """A snapshot folder as the watcher last judged it.

    ``ready`` means complete and loadable; ``problem`` means it can never be loaded as it is
    (the engine rejects it). Neither means "seen, not complete yet", and ``detail`` says what it
    is waiting for. A whole customer folder that is refused (an escaping symlink, unreadable) is
    reported once, with an empty timestamp.
    """

    snapshot: SnapshotId
    path: Path
    ready: bool
    problem: str | None = None
    detail: str = ""

    @property
    def verdict(self) -> tuple[bool, str | None]:
        """What decides whether the engine must hear about this folder again."""
        return self.ready, self.problem
