"""How numbers, durations, progress and countdowns read on screen.

Plain strings only (no styles), so every pane reads the same with or without colour.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bgtui.domain.snapshot import SnapshotState
from bgtui.engine.events import LoadProgress, SnapshotView

_BAR_FULL, _BAR_EMPTY = "█", "░"


def clock_text(seconds: float) -> str:
    """``0:42``, ``12:05`` or ``1:02:03``: the way an operator reads a countdown."""
    whole = max(0, int(seconds + 0.999))  # round up: "0:01" until it is really over
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def duration_text(seconds: float | None) -> str:
    return "-" if seconds is None else clock_text(seconds)


def count_text(value: int | None) -> str:
    """``12,400``; a dash when the count is not known yet."""
    return "-" if value is None else f"{value:,}"


def short_count_text(value: float) -> str:
    """``950``, ``12.4k``, ``3.1M``: for narrow columns."""
    for limit, suffix in ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.1f}{suffix}"
    return f"{value:.0f}"


def rate_text(progress: LoadProgress | None) -> str:
    if progress is None or progress.rows_per_second <= 0:
        return ""
    return f"{short_count_text(progress.rows_per_second)} rows/s"


def progress_bar(fraction: float | None, width: int = 10) -> str:
    """A text bar and percentage, ``████░░░░░░ 42%``; without a total, the rows done."""
    if fraction is None:
        return ""
    filled = round(fraction * width)
    return f"{_BAR_FULL * filled}{_BAR_EMPTY * (width - filled)} {fraction:4.0%}"


def progress_text(progress: LoadProgress | None, width: int = 10) -> str:
    if progress is None:
        return ""
    if progress.fraction is None:
        return f"{progress.phase} {short_count_text(progress.rows_done)} rows"
    return progress_bar(progress.fraction, width)


def rows_text(view: SnapshotView) -> str:
    """Nodes and relationships loaded, once known: ``1,200 n · 3,400 r``."""
    if view.nodes is None and view.relationships is None:
        return ""
    return f"{count_text(view.nodes)} n · {count_text(view.relationships)} r"


def shorten(text: str, limit: int = 80) -> str:
    """The first line of ``text``, cut to ``limit`` characters with an ellipsis."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def countdown_text(view: SnapshotView, now: datetime) -> str | None:
    """``promotes in 0:42`` or ``held`` for an ``auto_after`` countdown; None without one."""
    if view.state is not SnapshotState.AWAITING_APPROVAL or view.auto_promote_at is None:
        return None
    if view.held:
        return "held"
    remaining = (view.auto_promote_at - now).total_seconds()
    return f"promotes in {clock_text(remaining)}"


def note_text(view: SnapshotView, now: datetime, limit: int = 80) -> str:
    """The one thing to say about a row: its countdown, its error, or the last cause."""
    countdown = countdown_text(view, now)
    if countdown is not None:
        return countdown
    if view.error and view.state in {SnapshotState.FAILED, SnapshotState.REJECTED}:
        return shorten(view.error, limit)
    return shorten(view.detail, limit)


def state_label(state: SnapshotState) -> str:
    """Symbol and words, ``! awaiting approval``: readable without colour."""
    return f"{state.symbol} {state.value.replace('_', ' ')}"


def database_text(name: str, width: int, alias: str | None = None) -> str:
    """A database name that fits ``width`` without losing its timestamp (which tells
    snapshots apart): first the alias prefix becomes ``…``, then the middle is elided."""
    if len(name) <= width:
        return name
    if alias and name.startswith(f"{alias}-") and len(name) - len(alias) + 1 <= width:
        return "…" + name[len(alias) :]
    if width <= 1:
        return "…"[:width]
    head = max(1, (width - 1) // 3)
    tail = width - 1 - head
    return f"{name[:head]}…{name[len(name) - tail :]}"


def _when(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def snapshot_facts(view: SnapshotView) -> list[tuple[str, str]]:
    """Every fact about a snapshot, untruncated, for the details view (empty ones dropped)."""
    return [
        ("Snapshot", view.key),
        ("State", state_label(view.state)),
        ("Reason", view.error or ""),
        ("Last step", view.detail),
        ("Database", view.database or "(the folder name cannot become a database name)"),
        ("Alias", view.alias or ""),
        ("Format", view.snapshot_format or ""),
        ("Rows", rows_text(view)),
        ("Attempts", str(view.attempts) if view.attempts else ""),
        ("Started", _when(view.started_at)),
        ("Finished", _when(view.finished_at)),
        ("Promotes at", _when(view.auto_promote_at) + (" (held)" if view.held else "")),
    ]
