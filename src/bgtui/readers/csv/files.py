"""Reading one CSV file as records, with the physical line each record starts and ends on.

Plain, gzip and single-member zip files are read directly (as neo4j-admin does), as a stream:
only the current record is ever in memory. Every problem of the file itself (not CSV, not
UTF-8, a broken archive) becomes a ``CsvFormatError`` at the line where it was noticed.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from bgtui.readers.errors import CsvFormatError, SnapshotFormatError
from bgtui.readers.model import ImportOptions

#: (first line, last line, fields); lines are 1-based and physical, so a quoted field that
#: spans lines makes last > first.
Record = tuple[int, int, list[str]]

_COMPRESSED = (".gz", ".zip")


@contextmanager
def open_text(path: Path, relative: Path) -> Iterator[IO[str]]:
    """Open a data file as UTF-8 text with universal newlines left to the csv module.

    A leading byte-order mark is dropped, so a header written by a spreadsheet still reads.
    """
    name = path.name.lower()
    try:
        if name.endswith(".gz"):
            with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
                yield handle
        elif name.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                members = [info for info in archive.infolist() if not info.is_dir()]
                if len(members) != 1:
                    raise SnapshotFormatError(
                        f"{relative.as_posix()}: a zip file must hold exactly one file, "
                        f"it holds {len(members)}"
                    )
                with archive.open(members[0]) as binary:
                    yield io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        else:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                yield handle
    except zipfile.BadZipFile as exc:
        raise SnapshotFormatError(
            f"{relative.as_posix()}: not a readable zip file ({exc})"
        ) from exc


def records(path: Path, relative: Path, options: ImportOptions) -> Iterator[Record]:
    """Every non-blank record of a file, streamed.

    Raises:
        CsvFormatError: the file is not CSV with these options, not UTF-8, or a broken archive.
    """
    last = 0
    with open_text(path, relative) as handle:
        reader = csv.reader(
            handle,
            delimiter=options.delimiter,
            quotechar=options.quote,
            doublequote=True,
            strict=True,
        )
        try:
            for fields in reader:
                first, last = last + 1, reader.line_num
                if fields:
                    yield first, last, fields
        except csv.Error as exc:
            raise CsvFormatError(relative, last + 1, f"not valid CSV: {_csv_problem(exc)}") from exc
        except UnicodeDecodeError as exc:
            raise CsvFormatError(
                relative, reader.line_num + 1, f"not UTF-8 text ({exc.reason})"
            ) from exc
        except (OSError, EOFError, zlib.error) as exc:
            raise CsvFormatError(
                relative, reader.line_num + 1, f"the file cannot be read: {exc}"
            ) from exc


def first_record(path: Path, relative: Path, options: ImportOptions) -> Record | None:
    """The first non-blank record (a header), or None for an empty file."""
    for record in records(path, relative, options):
        return record
    return None


def is_compressed(path: Path) -> bool:
    return path.name.lower().endswith(_COMPRESSED)


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return (
            f"a field is longer than {csv.field_size_limit():,} characters "
            "(often a quote that is never closed)"
        )
    if "unexpected end of data" in text:
        return "the file ends inside a quoted field (a quote that is never closed)"
    return text
