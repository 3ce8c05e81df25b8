"""A keyboard rollback holds the customer: a newer snapshot arriving afterwards waits for a
person instead of going live over it, and the hold survives into ``bgtui release``."""

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

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
TINY = SnapshotSize.named("tiny")


def _bgtui(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bgtui.cli.main", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=60,
    )


def test_a_rollback_holds_the_customer_while_a_newer_snapshot_arrives(
    tmp_path: Path, neo4j_target: Neo4jTarget
) -> None:
    if not neo4j_target.is_sandbox:
        pytest.skip("creates and drops demo customers; run it on the sandbox")
    config = tmp_path / "bgtui.yaml"
    config.write_text(
        render_demo_config(demo_template(), folder=tmp_path, uri=neo4j_target.uri),
        encoding="utf-8",
    )
    env = {**os.environ, "BGTUI_NEO4J_PASSWORD": neo4j_target.password}
    base = tmp_path / "snapshots"
    write_snapshot(base, "acme", 1714564800, TINY)
    command = (
        f"BGTUI_NEO4J_PASSWORD={neo4j_target.password} TERM=xterm-256color "
        f"{sys.executable} -m bgtui.cli.main run --config {config} --operator dave"
    )
    terminal = Terminal(f"bgtui-e2e-hold-{os.getpid()}", 80, 24, command)
    try:
        terminal.wait_for(lambda s: any("● live" in r for r in rows_of(s, "acme")), timeout=30)
        write_snapshot(base, "acme", 1714651200, TINY)
        terminal.wait_for(lambda s: "acme/1714651200" in s and "○ standby" in s, timeout=30)
        terminal.press("b")
        terminal.wait_for(lambda s: "Roll back acme (customer acme)" in s, timeout=10)
        terminal.press("Enter", "Enter", "Enter")  # default target and reason, confirm
        terminal.wait_for(lambda s: "rolled back by dave" in s, timeout=15)
        write_snapshot(base, "acme", 1714737600, TINY)
        screen = terminal.wait_for(
            lambda s: any("acme/1714737600" in r and "! awaiting" in r for r in rows_of(s, "acme")),
            timeout=30,
        )
        assert "held after rollback by dave" in screen
        terminal.press("q")
        terminal.wait_for(lambda s: "bgtui" not in s or "Quit" in s, timeout=10)
    finally:
        terminal.close()

    status = json.loads(_bgtui(env, "status", "--json", "--config", str(config)).stdout)
    states = {s["key"]: s["state"] for s in status["snapshots"]}
    assert states["acme/1714737600"] == "awaiting_approval"
    assert status["aliases"]["acme"] == "acme-1714564800"
    # No controller runs now: the command takes the lock, recovers the hold from the history,
    # and releases it (it would refuse "not held" if the hold had not survived).
    released = _bgtui(
        env, "release", "acme", "--config", str(config), "--operator", "erin", "--reason", "ok"
    )
    assert released.returncode == 0, released.stderr
    assert "acme released" in released.stdout
