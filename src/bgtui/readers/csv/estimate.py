"""A cheap row count for a CSV snapshot's progress bar: file sizes and a sample of each group.

Exact for files smaller than the sample; otherwise total bytes divided by the sampled bytes
per line. Compressed sizes come from the archive (gzip's trailer, zip's directory), so no
file is decompressed beyond the sample.
"""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

from bgtui.readers.csv.groups import FileGroup

SAMPLE_BYTES = 64 * 1024


def csv_rows(groups: list[FileGroup]) -> int | None:
    """Estimated data rows (nodes plus relationships), or None when a file cannot be read."""
    total = 0
    try:
        for group in groups:
            total += _group_rows(group)
    except (OSError, EOFError, zipfile.BadZipFile):
        return None
    return total


def _group_rows(group: FileGroup) -> int:
    sizes = [_uncompressed_size(path) for path in group.files]
    total_bytes = sum(sizes)
    headers = sum(1 for size in sizes if size) if group.header_in_each_file else 1
    if total_bytes <= SAMPLE_BYTES:
        return max(0, _exact_lines(group) - headers)
    # Sample the largest file: a leading header-only file would say nothing about rows.
    largest = max(range(len(sizes)), key=sizes.__getitem__)
    sample = _sample(group.files[largest])
    lines = max(1, _lines(sample))
    return max(0, round(total_bytes * lines / len(sample)) - headers)


def _exact_lines(group: FileGroup) -> int:
    return sum(_lines(_sample(path)) for path in group.files)


def _lines(data: bytes) -> int:
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def _uncompressed_size(path: Path) -> int:
    name = path.name.lower()
    if name.endswith(".gz"):
        with path.open("rb") as handle:
            handle.seek(0, 2)
            if handle.tell() < 18:  # shorter than an empty gzip member
                return 0
            handle.seek(-4, 2)
            # ISIZE: the size modulo 2**32; good enough for an estimate.
            return int.from_bytes(handle.read(4), "little")
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist() if not info.is_dir())
    return path.stat().st_size


def _sample(path: Path) -> bytes:
    name = path.name.lower()
    if name.endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            return handle.read(SAMPLE_BYTES)
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if not members:
                return b""
            with archive.open(members[0]) as handle:
                return handle.read(SAMPLE_BYTES)
    with path.open("rb") as handle:
        return handle.read(SAMPLE_BYTES)
