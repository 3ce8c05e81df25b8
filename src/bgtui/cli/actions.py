"""What each ``bgtui`` subcommand does. ``main.py`` parses; this module acts."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from bgtui.config.errors import ConfigError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_QUEUED_COMMAND_TIMEOUT_SECONDS = 60.0


class CliError(Exception):
    """A failure the operator can act on; printed without a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _settings(args: argparse.Namespace) -> Any:
    from bgtui.config.loader import load_settings
    from bgtui.config.paths import resolve_config_path

    path = resolve_config_path(getattr(args, "config", None))
    try:
        settings = load_settings(path)
    except ConfigError as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc
    for notice in settings.notices:
        print(f"bgtui: {notice}", file=sys.stderr)
    return settings


def _quiet_driver() -> None:
    """The driver's retry warnings are noise on a command line; its errors are reported."""
    import logging

    logging.getLogger("neo4j").setLevel(logging.ERROR)


def _runtime(settings: Any, **kwargs: Any) -> Any:
    from bgtui.cli.wiring import LockedOut, build_runtime
    from bgtui.engine.ports import GraphError

    try:
        return build_runtime(settings, **kwargs)
    except (LockedOut, GraphError) as exc:
        raise CliError(str(exc)) from exc
    except ConfigError as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc


def _operator(args: argparse.Namespace, settings: Any) -> str:
    from bgtui.cli.operator_identity import operator_name

    return operator_name(getattr(args, "operator", None), getattr(settings.ui, "operator", None))


_BANNER_FALLBACKS = {"orange": "yellow", "grey": "none"}


def console_options(settings: Any, args: argparse.Namespace, runtime: Any) -> Any:
    from bgtui.ui.options import ENVIRONMENT_COLOURS, ConsoleOptions

    colour = settings.environment.colour
    if colour not in ENVIRONMENT_COLOURS:
        colour = _BANNER_FALLBACKS.get(colour, "none")
    return ConsoleOptions(
        theme=getattr(args, "theme", None) or settings.ui.theme,
        read_only=runtime.read_only,
        environment_name=settings.environment.name,
        environment_colour=colour,
        production=settings.environment.is_production,
        bell=settings.ui.bell,
        mouse=settings.ui.mouse and not getattr(args, "no_mouse", False),
        neo4j_address=settings.neo4j.uri,
        operator=_operator(args, settings),
        lock_holder=runtime.lock_holder,
    )


def _log_to_file(settings: Any) -> None:
    """Under the full-screen console, library warnings go to a file, never onto the screen."""
    import logging

    path = settings.state_dir / "bgtui.log"
    logging.basicConfig(
        filename=path,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )


def run_console(settings: Any, args: argparse.Namespace, runtime: Any) -> int:
    from bgtui.ui.app import BgtuiApp

    _log_to_file(settings)
    options = console_options(settings, args, runtime)
    app = BgtuiApp(runtime.controller, options)
    app.run(mouse=options.mouse)
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    runtime = _runtime(settings, read_only=args.read_only, must_control=args.headless)
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

    settings = _settings(args)
    return print_status(settings, as_json=args.json)


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
    settings = _settings(args)
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
        actor=_operator(args, settings),
        reason=args.reason,
    )
    print(message)
    return EXIT_OK


def rollback(args: argparse.Namespace) -> int:
    settings = _settings(args)
    message = _one_shot(
        settings,
        "rollback",
        customer=args.customer,
        database=args.database,
        actor=_operator(args, settings),
        reason=args.reason,
    )
    print(message)
    return EXIT_OK


def check_config(args: argparse.Namespace) -> int:
    settings = _settings(args)
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
