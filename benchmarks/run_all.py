"""Run every benchmark in this folder, one after another, and print their figures.

Each ``bench_*.py`` is a standalone script that prints its own figures and ratios against a
baseline run side by side. Nothing here is a pass/fail test: the README records the figures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    failures = 0
    for script in sorted(here.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        result = subprocess.run([sys.executable, str(script)], check=False)
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
