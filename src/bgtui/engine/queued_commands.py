"""Commands the CLI queued for the controller that holds the lock (``bgtui.store``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from bgtui.engine.commands import CommandRefused

if TYPE_CHECKING:
    from bgtui.engine.controller import Controller


class QueuedCommand(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def customer(self) -> str: ...
    @property
    def snapshot_key(self) -> str | None: ...
    @property
    def database(self) -> str | None: ...
    @property
    def actor(self) -> str: ...
    @property
    def reason(self) -> str: ...


class CommandSource(Protocol):
    """Commands queued by the CLI while this controller holds the lock (``bgtui.store``)."""

    def take_pending(self) -> Sequence[QueuedCommand]: ...

    def finish(self, command_id: int, ok: bool, message: str) -> None: ...


async def run_queued_commands(c: Controller, queue: CommandSource) -> None:
    """Carry out commands that ``bgtui promote``/``rollback`` queued for this controller."""
    for command in await c.in_worker(queue.take_pending):
        try:
            if command.kind == "approve" and command.snapshot_key:
                await c.approve(command.snapshot_key, command.actor, command.reason)
                message = f"{command.snapshot_key} approved"
            elif command.kind == "rollback":
                await c.rollback(command.customer, command.actor, command.reason, command.database)
                message = f"{command.customer} rolled back"
            elif command.kind == "retry" and command.snapshot_key:
                await c.retry(command.snapshot_key, command.actor)
                message = f"{command.snapshot_key} queued again"
            else:
                raise CommandRefused(f"unknown command {command.kind!r}")
        except CommandRefused as exc:
            await c.in_worker(queue.finish, command.id, False, str(exc))
        else:
            await c.in_worker(queue.finish, command.id, True, message)
