"""The ``bgtui`` command as an operator runs it: real processes, real files, the sandbox."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bgtui.cli.demo import demo_template, render_demo_config
from bgtui.sandbox.demo_data import SnapshotSize, write_snapshot
from tests.helpers.neo4j_target import Neo4jTarget

pytestmark = pytest.mark.integration
TINY = SnapshotSize.named("tiny")


def bgtui(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bgtui.cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def setup(tmp_path: Path, neo4j_target: Neo4jTarget) -> tuple[Path, dict[str, str]]:
    """A demo-style config against the test's Neo4j, and the environment with its password."""
    if not neo4j_target.is_sandbox:
        pytest.skip("the CLI tests create and drop demo customers; run them on the sandbox")
    config = tmp_path / "bgtui.yaml"
    config.write_text(render_demo_config(demo_template(), folder=tmp_path, uri=neo4j_target.uri))
    env = {**os.environ, "BGTUI_NEO4J_PASSWORD": neo4j_target.password}
    return config, env


class Headless:
    """``bgtui run --headless`` in the background, its JSON lines collected."""

    def __init__(self, config: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bgtui.cli.main", "run", "--headless", "--config", str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: list[dict[str, object]] = []

    def wait_for(self, predicate: object, timeout: float = 30.0) -> dict[str, object]:
        assert callable(predicate)
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError(
                    f"bgtui exited: {self.process.stderr.read() if self.process.stderr else ''}"
                )
            record = json.loads(line)
            self.lines.append(record)
            if predicate(record):
                return record
        raise AssertionError("no matching event in time")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


@pytest.fixture
def headless(setup: tuple[Path, dict[str, str]]) -> Iterator[Headless]:
    runner = Headless(*setup)
    yield runner
    if runner.process.poll() is None:
        runner.process.kill()


def promoted(customer: str) -> object:
    return lambda r: (
        r.get("event") == "notice"
        and r.get("title") == "Promoted"
        and str(r.get("message", "")).startswith(customer)
    )


def test_check_config_accepts_the_demo_and_names_the_line_of_a_mistake(
    setup: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    config, env = setup
    assert bgtui("check-config", "--config", str(config), env=env).returncode == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text(config.read_text().replace("policy: manual", "policy: sometimes"))
    result = bgtui("check-config", "--config", str(broken), env=env)
    assert result.returncode == 2
    assert "line" in result.stderr and "sometimes" in result.stderr


def test_import_config_converts_the_old_orchestrator_file(tmp_path: Path) -> None:
    old = Path(__file__).parents[2] / "config" / "legacy-orchestrator.example.yaml"
    new = tmp_path / "bgtui.yaml"
    env = {**os.environ, "NEO4J_PASSWORD": "secret"}
    result = bgtui("import-config", str(old), "-o", str(new), env=env)
    assert result.returncode == 0, result.stderr
    assert "secret" not in new.read_text()
    assert bgtui("check-config", "--config", str(new), env=env).returncode == 0


def test_headless_run_loads_promotes_and_survives_a_restart(
    setup: tuple[Path, dict[str, str]], headless: Headless
) -> None:
    config, env = setup
    base = config.parent / "snapshots"
    write_snapshot(base, "acme", 1714564800, TINY)
    headless.wait_for(promoted("acme"))
    assert headless.stop() == 0
    status = json.loads(bgtui("status", "--config", str(config), "--json", env=env).stdout)
    assert status["aliases"]["acme"] == "acme-1714564800"

    again = Headless(config, env)
    try:
        write_snapshot(base, "acme", 1714568400, TINY)
        again.wait_for(promoted("acme"))
        assert again.stop() == 0
    finally:
        if again.process.poll() is None:
            again.process.kill()
    status = json.loads(bgtui("status", "--config", str(config), "--json", env=env).stdout)
    states = {s["key"]: s["state"] for s in status["snapshots"]}
    assert states == {"acme/1714564800": "standby", "acme/1714568400": "live"}


def test_promote_and_rollback_from_the_command_line(
    setup: tuple[Path, dict[str, str]], headless: Headless
) -> None:
    config, env = setup
    base = config.parent / "snapshots"
    write_snapshot(base, "globex", 1714564800, TINY)  # globex waits for approval
    headless.wait_for(lambda r: r.get("title") == "Awaiting approval")
    result = bgtui("promote", "globex", "--config", str(config), "--operator", "ci", env=env)
    assert result.returncode == 0, result.stderr
    assert "handed to it" in result.stderr  # the running controller did it
    headless.wait_for(promoted("globex"))
    write_snapshot(base, "globex", 1714568400, TINY)
    headless.wait_for(lambda r: r.get("title") == "Awaiting approval")
    assert bgtui("promote", "globex", "--config", str(config), env=env).returncode == 0
    headless.wait_for(promoted("globex"))
    assert headless.stop() == 0

    # No controller now: the CLI takes the lock and does it itself.
    result = bgtui("rollback", "globex", "--config", str(config), "--reason", "test", env=env)
    assert result.returncode == 0, result.stderr
    status = json.loads(bgtui("status", "--config", str(config), "--json", env=env).stdout)
    assert status["aliases"]["globex"] == "globex-1714564800"
    refused = bgtui("rollback", "nobody", "--config", str(config), env=env)
    assert refused.returncode == 1 and "nobody" in refused.stderr
