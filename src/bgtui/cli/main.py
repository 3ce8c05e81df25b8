"""The ``bgtui`` command: the console, the headless service, the demo and scripted actions.

Imports are lazy so ``bgtui --help`` and ``bgtui status`` start fast and need no UI.
Exit codes (``bgtui.cli.launch``): 0 done, 1 the action failed, 2 bad usage or config.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bgtui.cli.launch import EXIT_FAILED, CliError


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="settings file (default: $BGTUI_CONFIG, then the user config dir's bgtui.yaml)",
    )


def _add_operator(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--operator",
        default=None,
        help=(
            "name recorded as the actor of approvals and rollbacks (default: ui.operator, "
            "then $BGTUI_OPERATOR, then your login, with the SSH client's address over SSH)"
        ),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bgtui",
        description="Operator console for blue/green Neo4j snapshot deployments.",
        epilog="Run 'bgtui demo' to see the whole life cycle against the built-in sandbox.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="watch, load and switch aliases (the console by default)")
    _add_config(run)
    _add_operator(run)
    run.add_argument("--headless", action="store_true", help="no UI; one JSON object per line")
    run.add_argument("--read-only", action="store_true", help="observe only; change nothing")
    run.add_argument("--theme", choices=("default", "projector"), help="console theme")
    run.add_argument("--no-mouse", action="store_true", help="leave the mouse to the terminal")

    demo = commands.add_parser(
        "demo",
        help="the console against a local sandbox, with snapshots arriving over time",
        description=(
            "Starts the bgtui sandbox (a Neo4j stand-in speaking Bolt on localhost), writes a "
            "demo config to a temporary folder, and drops realistic snapshots for a few "
            "customers over time: one promotes automatically, one waits for approval, one "
            "counts down, one fails validation."
        ),
    )
    demo.add_argument("--speed", type=float, default=1.0, help="time factor (2 = twice as fast)")
    demo.add_argument(
        "--customers",
        type=int,
        default=4,
        choices=range(1, 5),
        metavar="1-4",
        help="how many demo customers (default 4)",
    )
    demo.add_argument(
        "--size",
        choices=("tiny", "small", "medium", "large"),
        default="small",
        help="rows per snapshot: tiny ~100, small ~2k, medium ~25k, large ~250k",
    )
    demo.add_argument("--theme", choices=("default", "projector"), default="default")
    demo.add_argument("--headless", action="store_true", help="log JSON lines instead of the UI")
    demo.add_argument("--port", type=int, default=0, help="sandbox port (default: a free one)")
    demo.add_argument("--dir", metavar="PATH", help="demo folder (default: a new temporary one)")
    demo.add_argument("--no-mouse", action="store_true")
    _add_operator(demo)

    status = commands.add_parser("status", help="snapshots and aliases from the history")
    _add_config(status)
    status.add_argument("--json", action="store_true", help="machine-readable output")

    promote = commands.add_parser("promote", help="approve a snapshot awaiting approval")
    _add_config(promote)
    _add_operator(promote)
    promote.add_argument("customer")
    promote.add_argument("snapshot", nargs="?", help="timestamp folder (default: the one waiting)")
    promote.add_argument("--reason", default="approved from the command line")

    rollback = commands.add_parser("rollback", help="point a customer's alias back")
    _add_config(rollback)
    _add_operator(rollback)
    rollback.add_argument("customer")
    rollback.add_argument("--to", dest="database", help="database to return to (default: previous)")
    rollback.add_argument("--reason", default="rolled back from the command line")

    release = commands.add_parser(
        "release", help="let automatic promotion resume for a customer held after a rollback"
    )
    _add_config(release)
    _add_operator(release)
    release.add_argument("customer")
    release.add_argument("--reason", required=True, help="why (recorded with who)")

    check = commands.add_parser("check-config", help="validate a settings file and exit")
    _add_config(check)

    convert = commands.add_parser(
        "import-config", help="convert the old orchestrator's YAML into a bgtui settings file"
    )
    convert.add_argument("old", metavar="OLD.yaml")
    convert.add_argument("-o", "--output", metavar="NEW.yaml", help="write here (default: stdout)")

    serve = commands.add_parser("serve", help="the console in a browser (needs bgtui[serve])")
    _add_config(serve)
    serve.add_argument("--host", default="localhost")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="serve the demo instead of 'run'")
    return parser


def with_command(words: Sequence[str]) -> list[str]:
    """``bgtui --config FILE`` means ``bgtui run --config FILE``, as ``bgtui`` alone does."""
    if words and words[0].startswith("-") and words[0] not in {"-h", "--help"}:
        return ["run", *words]
    return list(words)


def main(argv: Sequence[str] | None = None) -> int:
    words = with_command(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(words)
    command = args.command or "run"
    if args.command is None:
        args = build_parser().parse_args(["run", *words])
    from bgtui.cli import actions

    handler = {
        "run": actions.run,
        "demo": actions.demo,
        "status": actions.status,
        "promote": actions.promote,
        "rollback": actions.rollback,
        "release": actions.release,
        "check-config": actions.check_config,
        "import-config": actions.import_config,
        "serve": actions.serve,
    }[command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        return EXIT_FAILED
    except CliError as exc:
        print(f"bgtui: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
