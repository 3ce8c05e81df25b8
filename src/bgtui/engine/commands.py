"""What a console may ask of the engine, and the answers it gets back.

The UI holds an ``EngineCommands`` and nothing else of the engine: it never sees the driver,
the store or the watcher. Every method is safe to call from the event loop; slow work (Cypher,
SQLite) happens inside the engine, which reports through events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bgtui.domain.views import HistoryEntry
from bgtui.engine.events import EventSink

__all__ = [
    "CommandRefused",
    "CountDiff",
    "EngineCommands",
    "HistoryEntry",
    "PromotionPreview",
    "RollbackOption",
]


class CommandRefused(Exception):
    """The engine will not do this now; the message says why, for the operator."""


@dataclass(frozen=True)
class CountDiff:
    """One label or relationship type: live database vs the candidate (green)."""

    kind: str  # "label" or "type"
    name: str
    live: int | None  # None when there is no live database yet
    candidate: int

    @property
    def change(self) -> int:
        return self.candidate - (self.live or 0)


@dataclass(frozen=True)
class PromotionPreview:
    """What approving a snapshot would do: from -> to, and the label/type diff."""

    snapshot_key: str
    alias: str
    from_database: str | None
    to_database: str
    diffs: tuple[CountDiff, ...]


@dataclass(frozen=True)
class RollbackOption:
    database: str
    snapshot_key: str | None
    online: bool
    is_default: bool  # the newest earlier live database never rolled back from
    note: str = ""  # snapshot time, and "rolled back from at TIME by WHO" where that applies


class EngineCommands(Protocol):
    """The engine as a console sees it."""

    def subscribe(self, sink: EventSink) -> None:
        """Receive every event from now on; the engine first replays the current picture.

        ``sink`` may be called from any thread: a console hands events to its own loop.
        """

    async def start(self) -> None:
        """Start watching and loading on the running event loop (the console hosts the engine)."""

    async def stop(self) -> None:
        """Stop cleanly: running loads are cancelled and recorded as interrupted."""

    async def approve(self, snapshot_key: str, actor: str, reason: str) -> None: ...

    async def retry(self, snapshot_key: str, actor: str) -> None: ...

    async def rollback(
        self,
        customer: str,
        actor: str,
        reason: str,
        target_database: str | None = None,
        expected_from: str | None = None,
    ) -> None:
        """Point the alias back; ``expected_from`` is the "from" the operator confirmed, and
        the rollback is refused if the alias has moved since."""

    async def release(self, customer: str, actor: str, reason: str) -> None:
        """Let automatic promotion resume for a customer held after a rollback."""

    async def hold(self, snapshot_key: str, actor: str, held: bool = True) -> None:
        """Hold (or release) an ``auto_after`` countdown."""

    async def preview_promotion(self, snapshot_key: str) -> PromotionPreview: ...

    async def rollback_options(self, customer: str) -> list[RollbackOption]: ...

    async def history(
        self, limit: int = 200, customer: str | None = None
    ) -> list[HistoryEntry]: ...

    def set_watcher_paused(self, paused: bool) -> None: ...

    def set_read_only(self, read_only: bool) -> None: ...

    def why_not(self, action: str, snapshot_key: str | None, customer: str | None) -> str | None:
        """Why ``action`` ("approve", "retry", "rollback", "hold") does not apply, or None."""
