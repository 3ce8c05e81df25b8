"""Opening a snapshot folder: which format it is in, and the reader for it.

The format is decided per snapshot, so a customer can move from the replaced Parquet
pipeline to neo4j-admin CSV (or back) from one snapshot to the next.
"""

from __future__ import annotations

from pathlib import Path

from bgtui.readers.csv.groups import KINDS, data_stem, discover_groups, is_marker
from bgtui.readers.csv.manifest import manifest_groups
from bgtui.readers.csv.reader import CsvSnapshotReader
from bgtui.readers.errors import SnapshotFormatError
from bgtui.readers.model import ImportOptions, SnapshotReader

DEFAULT_OPTIONS = ImportOptions()


def open_snapshot(path: Path, options: ImportOptions = DEFAULT_OPTIONS) -> SnapshotReader:
    """The reader for one snapshot folder, in the format its files are in.

    Nothing is read beyond file names (and a manifest) until ``check`` or the batches.

    Raises:
        SnapshotFormatError: the folder holds neither CSV nor Parquet snapshot files, or both.
        MissingExtraError: it is Parquet and pyarrow is not installed.
    """
    if not path.is_dir():
        raise SnapshotFormatError(f"{path} is not a folder")
    chosen = options.format if options.format != "auto" else detect_format(path)
    if chosen == "parquet":
        from bgtui.readers.parquet.reader import ParquetSnapshotReader

        return ParquetSnapshotReader(path)
    groups = manifest_groups(path)
    if groups is None:
        groups = {kind: discover_groups(path, kind) for kind in KINDS}
    if not groups["nodes"] and not groups["relationships"]:
        raise SnapshotFormatError(f"{path} holds no CSV files in nodes/ or relationships/")
    return CsvSnapshotReader(path, groups, options)


def detect_format(path: Path) -> str:
    """``csv`` or ``parquet``, from the files under ``nodes/`` and ``relationships/``.

    Raises:
        SnapshotFormatError: neither kind of file, or both.
    """
    found_csv = manifest_groups(path) is not None
    found_parquet = False
    for kind in KINDS:
        folder = path / kind
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if is_marker(entry):
                continue
            if entry.is_dir():
                found_parquet = found_parquet or any(
                    item.name.lower().endswith(".parquet") for item in entry.iterdir()
                )
            elif data_stem(entry.name) is not None:
                found_csv = True
            elif entry.name.lower().endswith(".parquet"):
                found_parquet = True
    if found_csv and found_parquet:
        raise SnapshotFormatError(
            f"{path} holds both CSV and Parquet files; keep one format per snapshot "
            "(or set the reader's format option)"
        )
    if found_parquet:
        return "parquet"
    if found_csv:
        return "csv"
    raise SnapshotFormatError(
        f"{path} holds no snapshot data: expected CSV files in nodes/ and relationships/ "
        "(neo4j-admin format) or Parquet files in nodes/<Label>/ and relationships/<TYPE>/"
    )
