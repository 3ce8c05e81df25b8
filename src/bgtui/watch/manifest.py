"""Checking a snapshot against the manifest its producer wrote: files, sizes, sha256.

The manifest is JSON: ``{"files": [{"path": "nodes/people.csv", "size": 1234, "sha256": "…"}]}``
with paths relative to the snapshot folder; ``size`` and ``sha256`` are each optional. A file that
is missing or has another size is still being written (wait); a checksum that differs once every
size matches is a broken snapshot (refuse), and the message names the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

Digest = Callable[[Path], str]

_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class ManifestUnreadable(ValueError):
    """The manifest is not (yet) valid JSON; it may still be being written."""


class ManifestInvalid(ValueError):
    """The manifest is valid JSON but not a manifest bgtui understands, or it lists unsafe paths."""


@dataclass(frozen=True)
class ManifestEntry:
    path: PurePosixPath
    size: int | None
    sha256: str | None


@dataclass(frozen=True)
class ManifestCheck:
    """The outcome: ``complete``, else ``waiting_for`` or ``problem`` says why not."""

    complete: bool
    waiting_for: str | None = None
    problem: str | None = None


def read_manifest(path: Path) -> list[ManifestEntry]:
    """The entries of the manifest at ``path``.

    Raises:
        ManifestUnreadable: not JSON (a half-written file looks like this).
        ManifestInvalid: JSON, but the wrong shape, or a path that leaves the folder.
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ManifestUnreadable(f"{path.name} is not valid JSON ({exc})") from None
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(files, list) or not files:
        raise ManifestInvalid(f'{path.name} must hold a non-empty "files" list')
    return [_entry(path.name, item) for item in files]


def _entry(name: str, item: object) -> ManifestEntry:
    if not isinstance(item, dict) or not isinstance(item.get("path"), str):
        raise ManifestInvalid(f'{name}: every entry of "files" needs a "path"')
    relative = PurePosixPath(item["path"])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ManifestInvalid(f"{name} lists {item['path']!r}, which is not inside the snapshot")
    size, sha = item.get("size"), item.get("sha256")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        raise ManifestInvalid(f"{name}: the size of {relative} is not a byte count")
    if sha is not None and (not isinstance(sha, str) or not _SHA256.match(sha)):
        raise ManifestInvalid(f"{name}: the sha256 of {relative} is not 64 hex digits")
    return ManifestEntry(relative, size, sha.lower() if isinstance(sha, str) else None)


def check_manifest(
    folder: Path, entries: list[ManifestEntry], manifest_name: str, digest: Digest = sha256_of
) -> ManifestCheck:
    """Compare ``folder`` with ``entries``: sizes first (cheap), checksums only when all fit."""
    for entry in entries:
        file = folder.joinpath(*entry.path.parts)
        if not file.is_file():
            return ManifestCheck(False, waiting_for=f"{entry.path} (listed in {manifest_name})")
        if entry.size is not None:
            size = file.stat().st_size
            if size != entry.size:
                return ManifestCheck(
                    False,
                    waiting_for=f"{entry.path} is {size} bytes, {manifest_name} says {entry.size}",
                )
    for entry in entries:
        if entry.sha256 is None:
            continue
        if digest(folder.joinpath(*entry.path.parts)) != entry.sha256:
            return ManifestCheck(
                False, problem=f"{entry.path} does not match its sha256 in {manifest_name}"
            )
    return ManifestCheck(True)


class CachingDigest:
    """``sha256_of`` that remembers files by (path, size, mtime), so a waiting snapshot is not
    hashed again on every look. Used by one watcher thread; not shared."""

    def __init__(self, digest: Digest = sha256_of) -> None:
        self._digest = digest
        self._known: dict[tuple[str, int, int], str] = {}

    def __call__(self, path: Path) -> str:
        info = path.stat()
        key = (str(path), info.st_size, info.st_mtime_ns)
        if key not in self._known:
            self._known[key] = self._digest(path)
        return self._known[key]

    def forget(self, folder: Path) -> None:
        """Drop what is known below ``folder`` (once its snapshot is reported ready)."""
        prefix = f"{folder}{os.sep}"
        self._known = {k: v for k, v in self._known.items() if not k[0].startswith(prefix)}
