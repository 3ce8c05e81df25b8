"""``bgtui demo``: the sandbox, a demo config in a fresh folder, snapshots arriving, the console.

Nothing to set up: the sandbox listens on a free localhost port, the config is written next
to the snapshots (open it to see what the demo runs with), and the folder is left behind for
a look afterwards unless it was temporary and empty of interest.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from bgtui.sandbox.demo_data import SnapshotSize
from bgtui.sandbox.demo_scenario import DEMO_CUSTOMERS, DemoScenario, default_script

if TYPE_CHECKING:
    from bgtui.sandbox.arrow_flight import ArrowFlightServer
    from bgtui.sandbox.server import SandboxServer

DEMO_PASSWORD = "bgtui-demo"
PASSWORD_ENV = "BGTUI_NEO4J_PASSWORD"


def demo_template() -> str:
    """The shipped ``config/demo.yaml`` (package data when installed, the repo's otherwise)."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (
        package / "_data" / "config" / "demo.yaml",
        package.parent.parent / "config" / "demo.yaml",
    ):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise FileNotFoundError("config/demo.yaml is missing from this installation")


def render_demo_config(template: str, *, folder: Path, uri: str) -> str:
    """The demo config pointed at this run's folder and sandbox."""
    replacements = {
        r"^(\s*base_path:).*$": rf"\1 {folder / 'snapshots'}",
        r"^(state_dir:).*$": rf"\1 {folder / 'state'}",
        r"^(\s*uri:).*$": rf"\1 {uri}",
    }
    text = template
    for pattern, replacement in replacements.items():
        text, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
        if count != 1:
            raise ValueError(f"the demo template has no line matching {pattern!r}")
    return text


def start_arrow_endpoint(server: SandboxServer) -> ArrowFlightServer | None:
    """The GDS Arrow Flight stand-in beside the sandbox, on a free port; None without pyarrow."""
    try:
        from bgtui.sandbox.arrow_flight import ArrowFlightServer
    except ImportError:
        return None
    return ArrowFlightServer(server.dbms, server.host, 0).start()


def run_demo(args: argparse.Namespace) -> int:
    from bgtui.cli.headless import run_headless
    from bgtui.cli.launch import open_runtime, run_console, settings_from_args
    from bgtui.sandbox.server import SandboxServer

    folder = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="bgtui-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    server = SandboxServer(port=args.port, password=DEMO_PASSWORD)
    server.start()
    arrow = start_arrow_endpoint(server)
    os.environ[PASSWORD_ENV] = DEMO_PASSWORD
    config_path = folder / "bgtui.yaml"
    config_path.write_text(
        render_demo_config(demo_template(), folder=folder, uri=server.uri), encoding="utf-8"
    )
    args.config = str(config_path)
    settings = settings_from_args(args)
    runtime = open_runtime(settings, must_control=True)
    customers = DEMO_CUSTOMERS[: args.customers]
    scenario = DemoScenario(
        settings.snapshots.base_path,
        size=SnapshotSize.named(args.size),
        speed=args.speed,
        script=default_script(customers),
    )
    scenario.start()
    try:
        if args.headless:
            asyncio.run(run_headless(runtime.controller))
            return 0
        return run_console(settings, args, runtime)
    finally:
        scenario.stop()
        runtime.close()
        if arrow is not None:
            arrow.stop()
        server.stop()
        print(f"bgtui demo: config, snapshots and history are in {folder}")
