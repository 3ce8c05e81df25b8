"""Where a batch's rows came from, as one short text for log lines and error messages."""

from __future__ import annotations

from pathlib import Path


class SourceSpans:
    """Collects consecutive (file, first, last) positions into ``a.csv lines 2-1001, …``.

    Args:
        unit: what positions count, "line" for CSV, "row" for Parquet.
    """

    def __init__(self, unit: str) -> None:
        self._unit = unit
        self._spans: list[list[Path | int]] = []

    def note(self, path: Path, first: int, last: int) -> None:
        """Add a row; the same path object as the previous row extends its span."""
        if self._spans and self._spans[-1][0] is path:
            self._spans[-1][2] = last
        else:
            self._spans.append([path, first, last])

    def text(self) -> str:
        parts = []
        for path, first, last in self._spans:
            assert isinstance(path, Path)
            if first == last:
                parts.append(f"{path.as_posix()} {self._unit} {first}")
            else:
                parts.append(f"{path.as_posix()} {self._unit}s {first}-{last}")
        return ", ".join(parts)
