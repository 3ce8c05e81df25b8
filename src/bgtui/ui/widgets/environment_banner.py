"""The banner across the top: which environment, which Neo4j, the watcher, and the mode.

Production and read-only are classes (``-production``, ``-read-only``) styled in TCSS and
also spelled out in capitals, so neither depends on colour to be seen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label

from bgtui.ui.options import ConsoleOptions


class EnvironmentBanner(Horizontal):
    """Environment, connection, watcher state, lock holder and read-only badge."""

    address: reactive[str] = reactive("")
    watch_mode: reactive[str] = reactive("")
    base_path: reactive[str] = reactive("")
    paused: reactive[bool] = reactive(False)
    read_only: reactive[bool] = reactive(False)
    lock_holder: reactive[str | None] = reactive(None)
    _ready = False  # set once composed: watchers fire before the children exist

    def __init__(self, options: ConsoleOptions, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._options = options
        self.set_reactive(EnvironmentBanner.address, options.neo4j_address)
        self.set_reactive(EnvironmentBanner.read_only, options.read_only)
        self.set_reactive(EnvironmentBanner.lock_holder, options.lock_holder)

    def compose(self) -> ComposeResult:
        options = self._options
        name = options.environment_name or ("production" if options.production else "")
        if options.production:
            name = f"PRODUCTION {name.upper()}" if name.lower() != "production" else "PRODUCTION"
        classes = options.environment_class + (" -production" if options.production else "")
        yield Label(f" {name or 'bgtui'} ", id="env-name", classes=classes)
        yield Label(" READ-ONLY ", id="env-read-only")
        yield Label("", id="env-lock")
        yield Label("", id="env-connection")
        yield Label("", id="env-watcher")

    def on_mount(self) -> None:
        self._ready = True
        self._show_connection()
        self._show_watcher()
        self._show_mode()

    def watch_address(self) -> None:
        self._show_connection()

    def watch_watch_mode(self) -> None:
        self._show_watcher()

    def watch_base_path(self) -> None:
        self._show_watcher()

    def watch_paused(self) -> None:
        self._show_watcher()

    def watch_read_only(self) -> None:
        self._show_mode()

    def watch_lock_holder(self) -> None:
        self._show_mode()

    def _show_connection(self) -> None:
        if self._ready:
            self.query_one("#env-connection", Label).update(self.address or "no Neo4j address")

    def _show_watcher(self) -> None:
        if not self._ready:
            return
        label = self.query_one("#env-watcher", Label)
        if not self.base_path:
            label.update("watcher off")
        elif self.paused:
            label.update(f"⏸ PAUSED {self.base_path}")
        else:
            label.update(f"watching {self.base_path} ({self.watch_mode})")
        label.set_class(self.paused, "-paused")

    def _show_mode(self) -> None:
        if not self._ready:
            return
        self.query_one("#env-read-only", Label).display = self.read_only
        lock = self.query_one("#env-lock", Label)
        lock.update(f"observing: {self.lock_holder} holds the lock" if self.lock_holder else "")
        lock.display = bool(self.lock_holder)
        self.set_class(self.read_only, "-read-only")
