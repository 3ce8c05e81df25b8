"""An optional manifest naming a CSV snapshot's file groups, as neo4j-admin's command line would.

``manifest.json`` (or ``import.json``) in the snapshot root::

    {"nodes": [{"files": ["nodes/people-header.csv", "nodes/people-*.csv"],
                "labels": ["Person"]}],
     "relationships": [{"files": ["relationships/knows.csv"], "type": "KNOWS"}]}

Paths are relative to the snapshot root; ``*``/``?``/``[…]`` patterns expand in numeric
order. The first file's first line is the group's header, as with ``--nodes=a.csv,b.csv``.
A JSON file without ``nodes`` or ``relationships`` keys (for example a list of checksums for
the readiness check) is not a group manifest and is left alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bgtui.domain.names import identifier_problem
from bgtui.readers.csv.groups import KINDS, MANIFEST_NAMES, FileGroup, data_stem, natural_key
from bgtui.readers.errors import SnapshotFormatError

_GROUP_KEYS = {
    "nodes": {"files", "labels", "label", "name"},
    "relationships": {"files", "type", "name"},
}


def find_manifest(root: Path) -> Path | None:
    """The manifest file in the snapshot root, if there is one."""
    for name in MANIFEST_NAMES:
        if (root / name).is_file():
            return root / name
    return None


def manifest_groups(root: Path) -> dict[str, list[FileGroup]] | None:
    """The groups a manifest lists, per kind, or None when there is no group manifest.

    Raises:
        SnapshotFormatError: the manifest is not valid JSON, has an unexpected shape, names
            a file that does not exist or lies outside the snapshot, or a bad label or type.
    """
    path = find_manifest(root)
    if path is None:
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SnapshotFormatError(f"{path.name} cannot be read as JSON: {exc}") from exc
    if not isinstance(document, dict) or not any(kind in document for kind in KINDS):
        return None
    unknown = sorted(set(document) - set(KINDS))
    if unknown:
        raise SnapshotFormatError(
            f"{path.name}: unexpected key {unknown[0]!r} (expected nodes and relationships)"
        )
    groups: dict[str, list[FileGroup]] = {}
    for kind in KINDS:
        entries = document.get(kind, [])
        if not isinstance(entries, list):
            raise SnapshotFormatError(f"{path.name}: '{kind}' must be a list of groups")
        groups[kind] = [
            _group(root, path.name, kind, position, entry)
            for position, entry in enumerate(entries, start=1)
        ]
    return groups


def _group(root: Path, manifest: str, kind: str, position: int, entry: Any) -> FileGroup:
    where = f"{manifest}: {kind} group {position}"
    if not isinstance(entry, dict):
        raise SnapshotFormatError(f"{where} must be an object with a 'files' list")
    unknown = sorted(set(entry) - _GROUP_KEYS[kind])
    if unknown:
        expected = ", ".join(sorted(_GROUP_KEYS[kind]))
        raise SnapshotFormatError(f"{where}: unexpected key {unknown[0]!r} (expected {expected})")
    patterns = entry.get("files")
    if (
        not patterns
        or not isinstance(patterns, list)
        or not all(isinstance(item, str) and item for item in patterns)
    ):
        raise SnapshotFormatError(f"{where} needs 'files', a list of paths")
    files = [file for pattern in patterns for file in _expand(root, where, pattern)]
    if len(set(files)) != len(files):
        raise SnapshotFormatError(f"{where} lists a file twice")
    labels = _names(where, "labels", entry.get("labels", []))
    if "label" in entry:
        labels = (*labels, *_names(where, "label", [entry["label"]]))
    rel_type = None
    if "type" in entry:
        rel_type = _names(where, "type", [entry["type"]])[0]
    name = entry.get("name")
    if name is None:
        name = data_stem(files[0].name) or files[0].name
        name = name.removesuffix("-header").removesuffix("_header")
    if not isinstance(name, str) or not name:
        raise SnapshotFormatError(f"{where}: 'name' must be a non-empty string")
    return FileGroup(kind, name, tuple(files), False, labels, rel_type)


def _expand(root: Path, where: str, pattern: str) -> list[Path]:
    if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
        raise SnapshotFormatError(f"{where}: {pattern!r} must be a path inside the snapshot folder")
    if any(char in pattern for char in "*?["):
        found = [path for path in root.glob(pattern) if path.is_file()]
        if not found:
            raise SnapshotFormatError(f"{where}: no file matches {pattern!r}")
        found.sort(key=lambda path: natural_key(path.relative_to(root).as_posix()))
    else:
        found = [root / pattern]
        if not found[0].is_file():
            raise SnapshotFormatError(f"{where}: {pattern} does not exist")
    inside = root.resolve()
    for path in found:
        if not path.resolve().is_relative_to(inside):
            raise SnapshotFormatError(
                f"{where}: {path.relative_to(root).as_posix()} leads outside the snapshot folder"
            )
    return found


def _names(where: str, key: str, values: Any) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise SnapshotFormatError(f"{where}: '{key}' must be a list of names")
    for value in values:
        problem = identifier_problem(value)
        if problem:
            raise SnapshotFormatError(
                f"{where}: {value[:80]!r} is not an allowed {key.rstrip('s')} name ({problem})"
            )
    return tuple(values)
