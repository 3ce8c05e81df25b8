"""After a restart the console shows what waits for a person, and it can be approved by key.

A headless service brings two snapshots to "awaiting approval" and stops; then the console
starts in an 80x24 tmux window (as ``bgtui --config FILE``, the README's command) and the
operator approves one of them with the keyboard.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bgtui.cli.demo import demo_template, render_demo_config
from bgtui.sandbox.demo_data import SnapshotSize, write_snapshot
from tests.e2e.test_tmux_demo import Terminal, rows_of
from tests.helpers.neo4j_target import Neo4jTarget
from tests.integration.test_cli import Headless

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
TINY = SnapshotSize.named("tiny")


def _status(config: Path, env: dict[str, str]) -> dict[str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "bgtui.cli.main", "status", "--json", "--config", str(config)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return {s["key"]: s["state"] for s in json.loads(result.stdout)["snapshots"]}


def test_restart_with_two_snapshots_awaiting_approval_then_approve_one(
    tmp_path: Path, neo4j_target: Neo4jTarget
) -> None:
    if not neo4j_target.is_sandbox:
        pytest.skip("creates and drops demo customers; run it on the sandbox")
    config = tmp_path / "bgtui.yaml"
    text = render_demo_config(demo_template(), folder=tmp_path, uri=neo4j_target.uri)
    config.write_text(text.replace("  policy: auto ", "  policy: manual "), encoding="utf-8")
    env = {**os.environ, "BGTUI_NEO4J_PASSWORD": neo4j_target.password}
    base = tmp_path / "snapshots"
    write_snapshot(base, "acme", 1714564800, TINY)
    write_snapshot(base, "globex", 1714564800, TINY)

    service = Headless(config, env)
    try:
        waiting: set[str] = set()
        while len(waiting) < 2:
            record = service.wait_for(lambda r: r.get("title") == "Awaiting approval", 60)
            waiting.add(str(record.get("message", "")).split(" ")[0])
        assert service.stop() == 0
    finally:
        if service.process.poll() is None:
            service.process.kill()

    command = (
        f"BGTUI_NEO4J_PASSWORD={neo4j_target.password} TERM=xterm-256color "
        f"{sys.executable} -m bgtui.cli.main --config {config} --operator e2e"
    )
    terminal = Terminal(f"bgtui-e2e-restart-{os.getpid()}", 80, 24, command)
    try:
        screen = terminal.wait_for(
            lambda s: (
                any("! awaiting" in r for r in rows_of(s, "acme"))
                and any("! awaiting" in r for r in rows_of(s, "globex"))
            ),
            timeout=30,
        )
        assert "no snapshots yet" not in screen
        assert "need you" in screen  # the persistent counter, not only a toast
        terminal.press("/")
        terminal.type("acme")
        terminal.press("Enter")
        terminal.press("a")
        dialog = terminal.wait_for(lambda s: "Approve acme/1714564800" in s, timeout=10)
        assert "customer acme" in dialog
        terminal.press("BTab", "Enter")  # the dialog starts on Cancel: approving is deliberate
        terminal.wait_for(lambda s: any("● live" in r for r in rows_of(s, "acme")), timeout=20)
        terminal.press("q")
    finally:
        terminal.close()
    states = _status(config, env)
    assert states["acme/1714564800"] == "live"
    assert states["globex/1714564800"] == "awaiting_approval"
