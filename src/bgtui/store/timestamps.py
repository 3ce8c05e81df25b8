"""Datetimes as the history database stores them: UTC ISO-8601 text that sorts by time.

A fixed shape (always microseconds, always ``+00:00``) keeps text order equal to time order,
so SQLite can sort and compare timestamps without parsing them.
"""

from __future__ import annotations

from datetime import UTC, datetime


def to_text(moment: datetime) -> str:
    """UTC ISO-8601 text; a naive datetime is refused rather than guessed at."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"timestamp {moment.isoformat()} has no time zone; bgtui records UTC times only"
        )
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def optional_to_text(moment: datetime | None) -> str | None:
    return None if moment is None else to_text(moment)


def from_text(text: str) -> datetime:
    """A tz-aware datetime from stored text (older rows without an offset are read as UTC)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def optional_from_text(text: str | None) -> datetime | None:
    return None if text is None else from_text(text)
