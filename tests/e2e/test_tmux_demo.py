"""The real app in a real terminal: tmux runs ``bgtui demo``, keys are typed, the screen read.

This is what an operator over SSH does: wait for a snapshot to go live, then roll the alias
back by keyboard alone, in an 80x24 terminal.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Terminal:
    """One tmux session of a given size, with helpers to type and to read the screen."""

    def __init__(self, name: str, width: int, height: int, command: str) -> None:
        self.name = name
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        ).stdout

    def press(self, *keys: str, pause: float = 0.4) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(pause)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)
        time.sleep(0.4)

    def wait_for(self, found: Callable[[str], bool], timeout: float = 45.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if found(screen):
                return screen
            time.sleep(0.3)
        raise AssertionError(f"not on screen after {timeout}s:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], check=False)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    folder = tmp_path / "demo"
    name = f"bgtui-e2e-{os.getpid()}"
    command = (
        f"{sys.executable} -m bgtui.cli.main demo --customers 1 --speed 5 --size tiny "
        f"--dir {folder} --operator e2e"
    )
    terminal = Terminal(name, 80, 24, f"TERM=xterm-256color {command}")
    try:
        yield terminal, folder
    finally:
        terminal.close()


def rows_of(screen: str, customer: str) -> list[str]:
    """Snapshot rows of a customer (the customer column folds into the key at 80 columns)."""
    return [
        line for line in screen.splitlines() if f" {customer} " in line or f"{customer}/" in line
    ]


def test_a_snapshot_goes_live_and_is_rolled_back_by_keyboard(
    demo: tuple[Terminal, Path],
) -> None:
    terminal, folder = demo
    # Two acme snapshots: the second goes live, the first stands by for rollback.
    terminal.wait_for(
        lambda s: (
            any("● live" in r for r in rows_of(s, "acme"))
            and any("○ standby" in r for r in rows_of(s, "acme"))
        )
    )
    terminal.press("/")
    terminal.type("acme")
    terminal.press("Enter")
    terminal.press("b")
    dialog = terminal.wait_for(lambda s: "Roll back acme" in s, timeout=10)
    assert "→" in dialog
    terminal.press("Enter", "Enter", "Enter")  # default target, default reason, confirm
    terminal.wait_for(lambda s: "rolled back acme to" in s or "↩ rolled back" in s, timeout=15)
    terminal.press("q")
    time.sleep(1)
    if "Quit" in terminal.screen():  # a load may be running: the app asks first
        terminal.press("Enter")

    status = subprocess.run(
        [
            sys.executable,
            "-m",
            "bgtui.cli.main",
            "status",
            "--json",
            "--config",
            str(folder / "bgtui.yaml"),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BGTUI_NEO4J_PASSWORD": "unused-by-status"},
    )
    states = [s["state"] for s in json.loads(status.stdout)["snapshots"]]
    assert "rolled_back" in states
