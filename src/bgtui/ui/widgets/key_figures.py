"""Big numbers for a projector: live aliases, loads running, snapshots needing a person.

Always composed; the default theme hides it and the projector theme shows it (CSS only).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Digits, Label


class KeyFigures(Horizontal):
    live: reactive[int] = reactive(0)
    running: reactive[int] = reactive(0)
    attention: reactive[int] = reactive(0)
    _ready = False  # set once composed: watchers fire before the children exist

    def compose(self) -> ComposeResult:
        for name, title in (
            ("live", "live aliases"),
            ("running", "loading"),
            ("attention", "need you"),
        ):
            with Vertical(classes=f"key-figure -{name}"):
                yield Digits("0", id=f"figure-{name}")
                yield Label(title)

    def watch_live(self, value: int) -> None:
        self._show("live", value)

    def watch_running(self, value: int) -> None:
        self._show("running", value)

    def watch_attention(self, value: int) -> None:
        self._show("attention", value)

    def _show(self, name: str, value: int) -> None:
        if self._ready:
            self.query_one(f"#figure-{name}", Digits).update(str(value))

    def on_mount(self) -> None:
        self._ready = True
        for name in ("live", "running", "attention"):
            self._show(name, getattr(self, name))
