"""Notices on one line instead of toasts: paced, merged in bursts, held while a dialog is open.

Toasts float over whatever is underneath (dialog buttons, the aliases pane, the selected row)
and two hundred of them bury the one that needs a person. Here a notice is a line of text
shown in the status line, so it covers nothing; notices of one kind that arrive together
become one ("12 promoted"). Plain Python: the pacing is tested without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

MIN_SHOW_SECONDS = 1.5
"""A notice stays at least this long before the next replaces it (a burst then merges)."""

HISTORY_LIMIT = 200


@dataclass(frozen=True)
class NoticeItem:
    """One notice; ``count`` grows when more of the same kind arrive before it is shown."""

    title: str
    message: str
    severity: str = "information"  # Textual's severities: information, warning, error
    needs_person: bool = False
    count: int = 1

    @property
    def text(self) -> str:
        if self.count > 1:
            return f"{self.count} {self.title.casefold()} · latest: {self.message}"
        return f"{self.title}: {self.message}" if self.title else self.message

    def merged(self, newer: NoticeItem) -> NoticeItem:
        return replace(
            newer,
            count=self.count + newer.count,
            needs_person=self.needs_person or newer.needs_person,
        )


class NoticeQueue:
    """What to show next, given when the current notice went up and whether a dialog is open."""

    def __init__(self) -> None:
        self._pending: list[NoticeItem] = []
        self.current: NoticeItem | None = None
        self._shown_at = float("-inf")
        self.held = False  # a dialog is open: nothing is shown until it closes
        self.history: list[NoticeItem] = []  # every notice as it arrived, newest last

    def add(self, item: NoticeItem) -> None:
        self.history.append(item)
        del self.history[:-HISTORY_LIMIT]
        for index, waiting in enumerate(self._pending):
            if waiting.title == item.title and waiting.severity == item.severity:
                self._pending[index] = waiting.merged(item)
                return
        self._pending.append(item)

    def next_due(self, now: float) -> float | None:
        """When ``take`` will have something to show (None: nothing is waiting)."""
        if not self._pending or self.held:
            return None
        return max(now, self._shown_at + MIN_SHOW_SECONDS)

    def take(self, now: float) -> NoticeItem | None:
        """The notice to show now, or None to leave the line as it is.

        A notice of the kind already on the line replaces it at once with the merged count,
        so a burst reads "12 promoted" instead of scrolling by one at a time.
        """
        if self.held or not self._pending:
            return None
        first = self._pending[0]
        same_kind = self.current is not None and first.title == self.current.title
        if not same_kind and now < self._shown_at + MIN_SHOW_SECONDS:
            return None
        self._pending.pop(0)
        if same_kind and self.current is not None and now < self._shown_at + MIN_SHOW_SECONDS:
            first = self.current.merged(first)
        else:
            self._shown_at = now
        self.current = first
        return first

    def touch(self, now: float) -> None:
        """Something else was just said on the line: the next notice waits its turn."""
        self.current = None
        self._shown_at = now

    @property
    def waiting(self) -> int:
        return sum(item.count for item in self._pending)
