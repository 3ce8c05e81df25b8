"""Why a snapshot cannot be read, in words an operator can act on.

Every problem the readers find is a ``SnapshotFormatError``, so the engine has one thing to
catch; the subclasses carry where the problem is (file, line, column) for the log and the UI.
"""

from __future__ import annotations

from pathlib import Path

#: Values quoted in messages are cut to this many characters.
_SHOWN_VALUE = 60


class SnapshotFormatError(Exception):
    """The snapshot's files cannot be read as the format they claim to be."""


class MissingExtraError(SnapshotFormatError):
    """The snapshot needs an optional dependency that is not installed."""


class CsvFormatError(SnapshotFormatError):
    """A header or data problem at a known place in a CSV file.

    Args:
        path: the file, relative to the snapshot folder.
        line: the 1-based physical line (the header is line 1 of the file that holds it).
        column: the 1-based column, when one column is at fault.
        column_name: the header token of that column as written, e.g. ``born:int``.
        problem: what was expected and what was found.
    """

    def __init__(
        self,
        path: Path,
        line: int,
        problem: str,
        column: int | None = None,
        column_name: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.column_name = column_name
        self.problem = problem
        super().__init__(str(self))

    def __str__(self) -> str:
        place = f"{self.path.as_posix()}, line {self.line}"
        if self.column is not None:
            place += f", column {self.column}"
            if self.column_name:
                place += f" ({self.column_name})"
        return f"{place}: {self.problem}"


class ParquetFormatError(SnapshotFormatError):
    """A layout or value problem in a Parquet file.

    Args:
        path: the file, relative to the snapshot folder.
        problem: what was expected and what was found.
        row: the 0-based row within the file, when one row is at fault.
        column_name: the Parquet column at fault, if any.
    """

    def __init__(
        self, path: Path, problem: str, row: int | None = None, column_name: str | None = None
    ) -> None:
        self.path = path
        self.row = row
        self.column_name = column_name
        self.problem = problem
        super().__init__(str(self))

    def __str__(self) -> str:
        place = self.path.as_posix()
        if self.row is not None:
            place += f", row {self.row}"
        if self.column_name is not None:
            place += f", column {self.column_name!r}"
        return f"{place}: {self.problem}"


def shown(value: str) -> str:
    """A value as quoted in a message: repr, cut short so one bad cell cannot flood a log."""
    if len(value) > _SHOWN_VALUE:
        return repr(value[:_SHOWN_VALUE]) + "…"
    return repr(value)
