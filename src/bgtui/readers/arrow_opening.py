"""Opening a snapshot folder as Arrow chunks, in the format its files are in."""

from __future__ import annotations

from pathlib import Path

from bgtui.readers.arrow_stream import ArrowSnapshotStream
from bgtui.readers.errors import SnapshotFormatError
from bgtui.readers.model import ImportOptions


def open_arrow_stream(path: Path, options: ImportOptions | None = None) -> ArrowSnapshotStream:
    """The Arrow reader for one snapshot folder, in the format its files are in.

    Raises:
        SnapshotFormatError: not a snapshot, or pyarrow missing (MissingExtraError).
    """
    from bgtui.readers.opening import DEFAULT_OPTIONS, detect_format

    options = options or DEFAULT_OPTIONS
    if not path.is_dir():
        raise SnapshotFormatError(f"{path} is not a folder")
    chosen = options.format if options.format != "auto" else detect_format(path)
    if chosen == "parquet":
        from bgtui.readers.parquet.arrow_stream import ParquetArrowStream

        return ParquetArrowStream(path)
    from bgtui.readers.csv.arrow_stream import CsvArrowStream

    return CsvArrowStream(path, options)
