"""What every ``bgtui`` command shares: settings from ``--config``, a runtime, the console.

``actions`` (one function per subcommand) and ``demo`` both start from here. Imports stay
lazy so ``bgtui --help`` and ``bgtui status`` start fast and need no UI.
Exit codes: 0 done, 1 the action failed (the message says why), 2 bad usage or config.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bgtui.config.errors import ConfigError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A failure the operator can act on; printed without a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def settings_from_args(args: argparse.Namespace) -> Any:
    """The settings file ``--config`` (or the default) names; its notices go to stderr."""
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


def open_runtime(settings: Any, **kwargs: Any) -> Any:
    """``build_runtime``, with its failures turned into messages for the command line."""
    from bgtui.cli.wiring import LockedOut, build_runtime
    from bgtui.engine.ports import GraphError

    try:
        return build_runtime(settings, **kwargs)
    except (LockedOut, GraphError) as exc:
        raise CliError(str(exc)) from exc
    except ConfigError as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc


def operator_of(args: argparse.Namespace, settings: Any) -> str:
    """Who is acting (``operator_identity.operator_name``): flag, settings, env, login."""
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
        operator=operator_of(args, settings),
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
    """Run the full-screen console on ``runtime`` until the operator quits."""
    from bgtui.ui.app import BgtuiApp

    _log_to_file(settings)
    options = console_options(settings, args, runtime)
    app = BgtuiApp(runtime.controller, options)
    app.run(mouse=options.mouse)
    return EXIT_OK
