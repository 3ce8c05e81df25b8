"""Commands the CLI queued for the controller that holds the lock (``bgtui.store``)."""

from __future__ import annotations

from bgtui.engine.commands import CommandRefused, EngineCommands
from bgtui.engine.ports import CommandSource
from bgtui.engine.runner import Runner


async def run_queued_commands(engine: EngineCommands, queue: CommandSource, run: Runner) -> None:
    """Carry out commands that ``bgtui promote``/``rollback`` queued for this controller."""
    for command in await run.in_worker(queue.take_pending):
        try:
            if command.kind == "approve" and command.snapshot_key:
                await engine.approve(command.snapshot_key, command.actor, command.reason)
                message = f"{command.snapshot_key} approved"
            elif command.kind == "rollback":
                await engine.rollback(
                    command.customer, command.actor, command.reason, command.database
                )
                message = f"{command.customer} rolled back"
            elif command.kind == "release":
                await engine.release(command.customer, command.actor, command.reason)
                message = f"{command.customer} released"
            elif command.kind == "retry" and command.snapshot_key:
                await engine.retry(command.snapshot_key, command.actor)
                message = f"{command.snapshot_key} queued again"
            else:
                raise CommandRefused(f"unknown command {command.kind!r}")
        except CommandRefused as exc:
            await run.in_worker(queue.finish, command.id, False, str(exc))
        else:
            await run.in_worker(queue.finish, command.id, True, message)
