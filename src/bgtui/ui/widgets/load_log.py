"""The load log pane: the selected snapshot's log lines, streaming live.

Every snapshot keeps its own bounded buffer, so switching rows shows that snapshot's recent
lines at once, and a long-running console never grows without limit.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from datetime import UTC

from rich.text import Text
from textual.widgets import RichLog

from bgtui.engine.events import Level, LoadLogLine

LINES_PER_SNAPSHOT = 500
SNAPSHOTS_KEPT = 200


class LoadLog(RichLog):
    """Log lines of one snapshot at a time; times are UTC, as the engine records them."""

    COMPONENT_CLASSES = {f"load-log--{level.value}" for level in Level} | {"load-log--time"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, max_lines=LINES_PER_SNAPSHOT, min_width=20, wrap=True, markup=False)
        self._buffers: OrderedDict[str, deque[LoadLogLine]] = OrderedDict()
        self.shown_key: str | None = None

    def add(self, line: LoadLogLine) -> None:
        """Keep ``line`` in its snapshot's buffer; draw it if that snapshot is shown."""
        buffer = self._buffers.get(line.snapshot_key)
        if buffer is None:
            buffer = self._buffers[line.snapshot_key] = deque(maxlen=LINES_PER_SNAPSHOT)
            while len(self._buffers) > SNAPSHOTS_KEPT:
                self._buffers.popitem(last=False)
        self._buffers.move_to_end(line.snapshot_key)
        buffer.append(line)
        if line.snapshot_key == self.shown_key:
            self.write(self._render_line_text(line))

    def show_snapshot(self, key: str | None) -> None:
        """Show ``key``'s buffered lines (None: nothing selected)."""
        if key == self.shown_key:
            return
        self.shown_key = key
        self.clear()
        self.border_subtitle = key or ""
        for line in self._buffers.get(key or "", ()):
            self.write(self._render_line_text(line))

    def lines_of(self, key: str) -> list[LoadLogLine]:
        return list(self._buffers.get(key, ()))

    @property
    def last_line(self) -> LoadLogLine | None:
        """The newest line of the shown snapshot (what ``y`` copies from this pane)."""
        buffer = self._buffers.get(self.shown_key or "")
        return buffer[-1] if buffer else None

    def _render_line_text(self, line: LoadLogLine) -> Text:
        text = Text(no_wrap=False, end="")
        time_style = self.get_component_rich_style("load-log--time", partial=True)
        text.append(f"{line.at.astimezone(UTC):%H:%M:%S} ", style=time_style)
        level_style = self.get_component_rich_style(f"load-log--{line.level.value}", partial=True)
        text.append(f"{line.level.value.upper():<7}", style=level_style)
        text.append(line.message)
        return text


def plain_line(line: LoadLogLine) -> str:
    """A log line as text for the clipboard."""
    return f"{line.at.astimezone(UTC):%Y-%m-%d %H:%M:%SZ} {line.level.value.upper()} {line.message}"
