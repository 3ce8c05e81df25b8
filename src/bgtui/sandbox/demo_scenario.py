"""The demo's script: snapshots arrive over time so a newcomer sees the whole life cycle.

acme promotes automatically, globex waits for approval, initech counts down (auto_after),
and umbrella's second snapshot fails validation. Delays shrink with ``speed``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bgtui.sandbox.demo_data import SnapshotSize, write_snapshot

DEMO_CUSTOMERS = ("acme", "globex", "initech", "umbrella")


@dataclass(frozen=True)
class Drop:
    after_seconds: float
    customer: str
    without_accounts: bool = False


def default_script(customers: tuple[str, ...] = DEMO_CUSTOMERS) -> list[Drop]:
    """First snapshots for everyone, then one of each interesting path, then steady arrivals."""
    script = [Drop(0.5 + index, customer) for index, customer in enumerate(customers)]
    extra = {
        "acme": Drop(10, "acme"),
        "globex": Drop(16, "globex"),
        "umbrella": Drop(22, "umbrella", without_accounts=True),
        "initech": Drop(28, "initech"),
    }
    script += [drop for name, drop in extra.items() if name in customers]
    script += [Drop(45 + 20 * round_, "acme") for round_ in range(3)]
    return sorted(script, key=lambda drop: drop.after_seconds)


class DemoScenario:
    """Writes the script's snapshots from a background thread; ``stop()`` ends it early."""

    def __init__(
        self,
        base_path: Path,
        *,
        size: SnapshotSize,
        speed: float = 1.0,
        script: list[Drop] | None = None,
        first_timestamp: int | None = None,
        on_drop: Callable[[Path], None] | None = None,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.base_path = base_path
        self.size = size
        self.speed = speed
        self.script = script if script is not None else default_script()
        self._timestamp = first_timestamp or int(time.time()) - 86_400
        self._on_drop = on_drop
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bgtui-demo", daemon=True)

    def start(self) -> None:
        self.base_path.mkdir(parents=True, exist_ok=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        started = time.monotonic()
        for drop in self.script:
            wait = drop.after_seconds / self.speed - (time.monotonic() - started)
            if wait > 0 and self._stop.wait(wait):
                return
            self._timestamp += 3_600  # an hour apart: folders sort like real exports
            folder = write_snapshot(
                self.base_path,
                drop.customer,
                self._timestamp,
                self.size,
                without_accounts=drop.without_accounts,
            )
            if self._on_drop is not None:
                self._on_drop(folder)
