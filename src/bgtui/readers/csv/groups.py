"""Which files form which node and relationship groups of a CSV snapshot.

neo4j-admin reads a group as one logical file whose first line is the header
(https://neo4j.com/docs/operations-manual/current/import/); bgtui finds the groups from file
names (docs/snapshot-format.md):

- ``people-header.csv`` holds the header of group ``people``; ``people.csv``,
  ``people-part1.csv``, ``people-part2.csv.gz`` … are its data, parts in numeric order.
- Without a header file, every file of the group starts with the same header line.
- ``manifest.json`` (or ``import.json``) in the snapshot root may list the groups instead.

Names starting with ``.`` or ``_`` (``_SUCCESS``, ``.part-0.csv.crc``) are not data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bgtui.readers.errors import SnapshotFormatError

KINDS = ("nodes", "relationships")
MANIFEST_NAMES = ("manifest.json", "import.json")
DATA_SUFFIXES = (".csv", ".tsv")
COMPRESSED_SUFFIXES = ("", ".gz", ".zip")

_HEADER = re.compile(r"(?P<group>.+?)[-_]header", re.IGNORECASE)
_PART = re.compile(r"(?P<group>.+?)[-_]part[-_]?(?P<number>\d+)", re.IGNORECASE)
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class FileGroup:
    """Files read as one logical file, with what the manifest adds.

    ``header_in_each_file`` is False when the first file's first line is the only header
    (a header file, or a manifest group: neo4j-admin's reading); True when every file
    starts with its own copy of the header.
    """

    kind: str  # "nodes" | "relationships"
    name: str
    files: tuple[Path, ...]  # absolute, in reading order
    header_in_each_file: bool
    labels: tuple[str, ...] = ()  # added to every node of the group
    type: str | None = None  # for rows without a :TYPE value


def data_stem(name: str) -> str | None:
    """The name without ``.csv``/``.tsv`` and a ``.gz``/``.zip`` after it, or None."""
    lower = name.lower()
    for compressed in COMPRESSED_SUFFIXES:
        for suffix in DATA_SUFFIXES:
            ending = suffix + compressed
            if lower.endswith(ending) and len(name) > len(ending):
                return name[: -len(ending)]
    return None


def is_marker(path: Path) -> bool:
    """Files that belong to the producer or the file system, never data."""
    return path.name.startswith((".", "_")) or path.name in MANIFEST_NAMES


def natural_key(name: str) -> list[str | int]:
    """``part10`` after ``part2``: digit runs compare as numbers."""
    return [int(piece) if piece.isdigit() else piece.lower() for piece in _DIGITS.split(name)]


def discover_groups(root: Path, kind: str) -> list[FileGroup]:
    """The file groups directly in ``<root>/<kind>/``, by name, each in reading order.

    Raises:
        SnapshotFormatError: a folder or a file that is not CSV where data is expected.
    """
    folder = root / kind
    if not folder.is_dir():
        return []
    headers: dict[str, Path] = {}
    members: dict[str, list[tuple[int, Path]]] = {}
    for path in sorted(folder.iterdir(), key=lambda item: natural_key(item.name)):
        if is_marker(path):
            continue
        relative = path.relative_to(root).as_posix()
        if path.is_dir():
            raise SnapshotFormatError(
                f"{relative}/ is a folder; CSV file groups are files directly in {kind}/ "
                "(folders per label are the Parquet layout)"
            )
        stem = data_stem(path.name)
        if stem is None:
            raise SnapshotFormatError(
                f"{relative} is not a CSV file (.csv or .tsv, optionally .gz or .zip); "
                "remove it, or start its name with '_' if it is not data"
            )
        header = _HEADER.fullmatch(stem)
        if header:
            group = header["group"]
            if group in headers:
                raise SnapshotFormatError(
                    f"group '{group}' in {kind}/ has two header files: "
                    f"{headers[group].name} and {path.name}"
                )
            headers[group] = path
            continue
        part = _PART.fullmatch(stem)
        group, number = (part["group"], int(part["number"])) if part else (stem, -1)
        members.setdefault(group, []).append((number, path))
    groups = []
    for name in sorted({*headers, *members}, key=natural_key):
        ordered = [path for _, path in sorted(members.get(name, []), key=_part_order)]
        if name in headers:
            groups.append(FileGroup(kind, name, (headers[name], *ordered), False))
        else:
            groups.append(FileGroup(kind, name, tuple(ordered), True))
    return groups


def _part_order(item: tuple[int, Path]) -> tuple[int, list[str | int]]:
    number, path = item
    return number, natural_key(path.name)
