"""Bytes the console writes to an 80x24 terminal, idle and while loads arrive.

Over SSH every byte the console draws crosses the network, so a screen that redraws when
nothing changed costs bandwidth all night. tmux runs ``bgtui demo`` at 80x24 and
``pipe-pane`` copies everything the program writes to the terminal into a file; the figure
is that file's growth per second over a window.

* loads: the demo's first ``--window`` seconds at speed 1 (snapshots arriving, loading,
  validating, promoting);
* idle: the demo at speed 8, left until every drop is done and the last load settled, then
  measured for ``--window`` seconds with nothing arriving;
* baseline, in the same run: a bare Textual app at 80x24 whose only change is a clock
  ticking once a second (as the console's countdowns do): the floor for a screen with one
  live value.

    python benchmarks/bench_terminal_output.py [--window 30] [--settle 40]

Needs tmux; prints the figures and the ratio to the baseline. Targets: idle <= 1 KB/s,
loads <= 20 KB/s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

IDLE_TARGET, LOADS_TARGET = 1_000, 20_000  # bytes per second

BASELINE_APP = textwrap.dedent(
    """
    from datetime import datetime

    from textual.app import App
    from textual.widgets import Footer, Static

    class Ticking(App):
        BINDINGS = [("q", "quit", "Quit")]

        def compose(self):
            yield Static(id="clock")
            yield Footer()

        def on_mount(self):
            self.set_interval(1.0, self.tick)

        def tick(self):
            self.query_one("#clock", Static).update(f"{datetime.now():%H:%M:%S}")

    Ticking().run()
    """
)


class PipedTerminal:
    """A detached 80x24 tmux session whose output is copied into ``log``."""

    def __init__(self, name: str, command: str, log: Path) -> None:
        self.name, self.log = name, log
        log.touch()
        # The command starts only after pipe-pane is on: nothing it writes is missed.
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                "80",
                "-y",
                "24",
                "sleep 0.5; " + command,
            ],
            check=True,
        )
        subprocess.run(["tmux", "pipe-pane", "-o", "-t", name, f"cat >> {log}"], check=True)

    def size(self) -> int:
        return self.log.stat().st_size

    def rate(self, window: float) -> float:
        """Bytes per second written during the next ``window`` seconds."""
        before = self.size()
        time.sleep(window)
        return (self.size() - before) / window

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], check=False)


def demo_command(folder: Path, speed: float) -> str:
    return (
        f"TERM=xterm-256color {sys.executable} -m bgtui.cli.main demo --speed {speed} "
        f"--size small --dir {folder} --operator bench"
    )


def measure(name: str, command: str, log: Path, wait: float, window: float) -> float:
    terminal = PipedTerminal(name, command, log)
    try:
        time.sleep(wait)
        return terminal.rate(window)
    finally:
        terminal.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=float, default=30.0, help="seconds measured")
    parser.add_argument("--settle", type=float, default=40.0, help="seconds before idle")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed: nothing measured")
        return 0
    tag = f"bgtui-bench-{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="bgtui-bench-out-") as tmp:
        folder = Path(tmp)
        bare_script = folder / "ticking.py"
        bare_script.write_text(BASELINE_APP, encoding="utf-8")
        baseline = measure(
            f"{tag}-bare",
            f"TERM=xterm-256color {sys.executable} {bare_script}",
            folder / "bare.out",
            wait=3.0,
            window=args.window,
        )
        loads = measure(
            f"{tag}-loads",
            demo_command(folder / "loads", 1.0),
            folder / "loads.out",
            wait=1.0,
            window=args.window,
        )
        idle = measure(
            f"{tag}-idle",
            demo_command(folder / "idle", 8.0),
            folder / "idle.out",
            wait=args.settle,
            window=args.window,
        )

    def line(label: str, value: float, target: float | None) -> str:
        ratio = value / baseline if baseline else float("inf")
        verdict = "" if target is None else ("  ok" if value <= target else "  OVER TARGET")
        limit = "" if target is None else f"  (target <= {target:,.0f} B/s)"
        return f"{label:<28}{value:>10,.0f} B/s  {ratio:>6.1f}x baseline{limit}{verdict}"

    print(f"terminal output at 80x24, {args.window:.0f} s windows")
    print(line("baseline: ticking clock", baseline, None))
    print(line("bgtui demo, idle", idle, IDLE_TARGET))
    print(line("bgtui demo, loads arriving", loads, LOADS_TARGET))
    return 0


if __name__ == "__main__":
    sys.exit(main())
