"""What can go wrong with bgtui's own state files, in words for the operator."""

from __future__ import annotations


class HistoryError(Exception):
    """The history database could not be opened, read or written."""


class HistoryUnavailable(HistoryError):
    """There is no history to open (yet), or SQLite cannot open the file."""


class ReadOnlyHistory(HistoryError):
    """A read-only console tried to write; only the controller records history."""


class SchemaError(HistoryError):
    """The history file's schema version is one this bgtui cannot use as it is."""
