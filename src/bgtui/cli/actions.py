"""What each ``bgtui`` subcommand does. ``main.py`` parses; this module acts."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from bgtui.cli.launch import (
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    open_runtime,
    operator_of,
    run_console,
    settings_from_args,
)
from bgtui.config.errors import ConfigError

_QUEUED_COMMAND_TIMEOUT_SECONDS = 60.0


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    runtime = open_runtime(settings, read_only=args.read_only, must_control=args.headless)
    try:
        if args.headless:
            from bgtui.cli.headless import run_headless

            asyncio.run(run_headless(runtime.controller))
            return EXIT_OK
        return run_console(settings, args, runtime)
    finally:
        runtime.close()


def demo(args: argparse.Namespace) -> int:
    from bgtui.cli.demo import run_demo

    return run_demo(args)


def status(args: argparse.Namespace) -> int:
    from bgtui.cli.status_report import print_status

    settings = settings_from_args(args)
    return print_status(settings, as_json=args.json)


def _quiet_driver() -> None:
    """The driver's retry warnings are noise on a command line; its errors are reported."""
    import logging

    logging.getLogger("neo4j").setLevel(logging.ERROR)


def _one_shot(settings: Any, kind: str, **command: Any) -> str:
    """Do it here when no controller runs; otherwise hand it to the running one and wait."""
    _quiet_driver()
    from bgtui.cli.wiring import LockedOut, build_runtime, history_path
    from bgtui.engine.commands import CommandRefused
    from bgtui.engine.ports import GraphError
    from bgtui.store.command_queue import CommandQueue

    try:
        runtime = build_runtime(settings, must_control=True, autonomous=False, watch=False)
    except GraphError as exc:
        raise CliError(str(exc)) from exc
    except LockedOut as exc:
        queue = CommandQueue(history_path(settings))
        try:
            command_id = queue.submit(kind, **command)
            print(f"bgtui: {exc}; the command was handed to it", file=sys.stderr)
            ok, message = queue.wait(command_id, _QUEUED_COMMAND_TIMEOUT_SECONDS)
        finally:
            queue.close()
        if not ok:
            raise CliError(message) from None
        return message

    async def act() -> str:
        controller = runtime.controller
        await controller.start()
        try:
            if kind == "approve":
                await controller.approve(
                    command["snapshot_key"], command["actor"], command["reason"]
                )
                return f"{command['snapshot_key']} approved"
            if kind == "release":
                await controller.release(command["customer"], command["actor"], command["reason"])
                return f"{command['customer']} released"
            await controller.rollback(
                command["customer"], command["actor"], command["reason"], command.get("database")
            )
            return f"{command['customer']} rolled back"
        finally:
            await controller.stop()

    try:
        return asyncio.run(act())
    except CommandRefused as exc:
        raise CliError(str(exc)) from exc
    finally:
        runtime.close()


def _waiting_snapshot(settings: Any, customer: str) -> str:
    from bgtui.cli.wiring import history_path
    from bgtui.domain.snapshot import SnapshotState
    from bgtui.store.history import HistoryStore

    if not history_path(settings).exists():
        raise CliError("no history yet: nothing awaits approval")
    store = HistoryStore.open_read_only(history_path(settings))
    try:
        waiting = [
            record.key
            for record in store.snapshots()
            if record.customer == customer and record.state is SnapshotState.AWAITING_APPROVAL
        ]
    finally:
        store.close()
    if not waiting:
        raise CliError(f"no snapshot of {customer} awaits approval")
    return sorted(waiting)[-1]


def promote(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    key = (
        f"{args.customer}/{args.snapshot}"
        if args.snapshot
        else _waiting_snapshot(settings, args.customer)
    )
    message = _one_shot(
        settings,
        "approve",
        customer=args.customer,
        snapshot_key=key,
        actor=operator_of(args, settings),
        reason=args.reason,
    )
    print(message)
    return EXIT_OK


def rollback(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    message = _one_shot(
        settings,
        "rollback",
        customer=args.customer,
        database=args.database,
        actor=operator_of(args, settings),
        reason=args.reason,
    )
    print(message)
    return EXIT_OK


def release(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    message = _one_shot(
        settings,
        "release",
        customer=args.customer,
        actor=operator_of(args, settings),
        reason=args.reason,
    )
    print(message)
    return EXIT_OK


def check_config(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    source = settings.source or "defaults"
    print(f"{source}: valid")
    print(f"  snapshots: {settings.snapshots.base_path} (watch: {settings.snapshots.watch})")
    print(
        f"  neo4j: {settings.neo4j.uri} as {settings.neo4j.user}, "
        f"password from {settings.neo4j.password_source}"
    )
    print(
        f"  promotion: {settings.promotion.policy}, keep_previous "
        f"{settings.promotion.keep_previous}"
    )
    for name, policy in settings.customers.items():
        print(f"  customer {name}: {policy.policy}")
    print(f"  state: {settings.state_dir}")
    if settings.neo4j.password is None:
        print(f"  warning: no password yet: set {settings.neo4j.password_source}")
    return EXIT_OK


def import_config(args: argparse.Namespace) -> int:
    from bgtui.config.legacy import legacy_conversion

    old = Path(args.old)
    try:
        conversion = legacy_conversion(old.read_text(encoding="utf-8"), source_path=old)
    except OSError as exc:
        raise CliError(f"cannot read {old}: {exc.strerror}", EXIT_USAGE) from exc
    except ConfigError as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc
    if args.output:
        Path(args.output).write_text(conversion.yaml_text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(conversion.yaml_text)
    for note in conversion.notes:
        print(f"bgtui: {note}", file=sys.stderr)
    return EXIT_OK


def serve(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError as exc:
        raise CliError("the browser view needs: pip install 'bgtui[serve]'") from exc
    command = f"{sys.executable} -m bgtui.cli.main " + ("demo" if args.demo else "run")
    if args.config and not args.demo:
        command += f" --config {json.dumps(args.config)}"
    Server(command, host=args.host, port=args.port, title="bgtui").serve()
    return EXIT_OK
