"""Is a snapshot folder complete? Pure decisions over the files, with the clock passed in.

Three rules: the producer's marker file; the producer's
manifest, verified; or settle time — nothing under the folder changed for ``settle`` seconds and
both ``nodes/`` and ``relationships/`` hold files. ``auto`` takes the marker if present, else the
manifest if present, else settle time; a manifest next to a marker is verified too, since a
producer that wrote checksums wants them checked.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bgtui.config.settings import ReadinessSettings
from bgtui.watch.manifest import (
    Digest,
    ManifestInvalid,
    ManifestUnreadable,
    check_manifest,
    read_manifest,
    sha256_of,
)

WallClock = Callable[[], float]
# Filesystems keep mtimes at coarse precision (ext4 ~ms, FAT 2 s); look again a little late.
_RECHECK_MARGIN = 0.05


@dataclass(frozen=True)
class Readiness:
    """The verdict on one folder.

    Args:
        ready: complete; load it.
        reason: what was decided or what it waits for, for the "seen" row in the UI.
        problem: it can never be loaded as it is (a broken manifest, an unreadable file).
        recheck_after: seconds after which the verdict may change without any file event
            (settle time running out); None when only a change on disk can change it.
    """

    ready: bool
    reason: str
    problem: str | None = None
    recheck_after: float | None = None


def check_readiness(
    folder: Path,
    rules: ReadinessSettings,
    *,
    clock: WallClock = time.time,
    digest: Digest = sha256_of,
) -> Readiness:
    """Decide whether ``folder`` is complete under ``rules`` at ``clock()`` (epoch seconds)."""
    try:
        return _decide(folder, rules, clock, digest)
    except PermissionError as exc:
        return Readiness(
            False, "unreadable", problem=f"cannot read {exc.filename}: permission denied"
        )
    except FileNotFoundError:
        return Readiness(False, "the folder changed while it was read")


def _decide(folder: Path, rules: ReadinessSettings, clock: WallClock, digest: Digest) -> Readiness:
    marker = folder / rules.marker
    manifest = folder / rules.manifest
    if rules.require == "marker":
        return marker_readiness(marker)
    if rules.require == "manifest":
        if not manifest.is_file():
            return Readiness(False, f"waiting for {rules.manifest}")
        return manifest_readiness(folder, manifest, rules.settle, clock, digest)
    if rules.require == "settle":
        return settle_readiness(folder, rules.settle, clock)
    if manifest.is_file():
        return manifest_readiness(folder, manifest, rules.settle, clock, digest)
    if marker.is_file():
        return marker_readiness(marker)
    verdict = settle_readiness(folder, rules.settle, clock)
    if verdict.ready:
        return verdict
    return replace(verdict, reason=f"no {rules.marker} yet; {verdict.reason}")


def announces_completion(folder: Path, rules: ReadinessSettings) -> bool:
    """True when ``folder`` holds a file that ``rules`` accept as the producer saying "done"
    (the marker, or a manifest to verify). Such a folder is judged at once, with no debounce:
    only snapshots judged by quiet time need to be left alone while files still change."""
    if rules.require == "settle":
        return False
    if rules.require in ("auto", "marker") and (folder / rules.marker).is_file():
        return True
    return rules.require in ("auto", "manifest") and (folder / rules.manifest).is_file()


def marker_readiness(marker: Path) -> Readiness:
    if marker.is_file():
        return Readiness(True, f"{marker.name} present")
    return Readiness(False, f"waiting for {marker.name}")


def manifest_readiness(
    folder: Path, manifest: Path, settle: float, clock: WallClock, digest: Digest
) -> Readiness:
    """Verify ``manifest``. An unparseable manifest is waited for, until it has sat still for
    ``settle`` seconds: then it is not being written any more, just broken."""
    try:
        entries = read_manifest(manifest)
    except ManifestInvalid as exc:
        return Readiness(False, "manifest refused", problem=str(exc))
    except ManifestUnreadable as exc:
        idle = clock() - manifest.stat().st_mtime
        if idle >= settle:
            return Readiness(False, "manifest refused", problem=str(exc))
        return Readiness(False, str(exc), recheck_after=settle - idle + _RECHECK_MARGIN)
    outcome = check_manifest(folder, entries, manifest.name, digest)
    if outcome.complete:
        return Readiness(True, f"{manifest.name} verified ({len(entries)} files)")
    if outcome.problem:
        return Readiness(False, "manifest mismatch", problem=outcome.problem)
    return Readiness(False, f"waiting for {outcome.waiting_for}")


def settle_readiness(folder: Path, settle: float, clock: WallClock) -> Readiness:
    """Complete when both parts hold files and nothing changed for ``settle`` seconds."""
    missing = [part for part in ("nodes", "relationships") if not holds_files(folder / part)]
    if missing:
        return Readiness(False, f"waiting for files in {' and '.join(f'{m}/' for m in missing)}")
    idle = clock() - newest_change(folder)
    if idle >= settle:
        return Readiness(True, f"no change for {idle:.0f}s")
    left = settle - idle
    return Readiness(
        False, f"settling: {left:.0f}s without changes to go", recheck_after=left + _RECHECK_MARGIN
    )


def holds_files(folder: Path) -> bool:
    """True when ``folder`` (a directory) has a regular file anywhere below it."""
    if not folder.is_dir():
        return False
    for _, _, files in os.walk(folder, onerror=_raise):
        if any(not name.startswith(".") for name in files):
            return True
    return False


def newest_change(folder: Path) -> float:
    """The newest modification time of ``folder`` or anything below it (links not followed).

    A folder's own mtime moves when an entry is added, removed or renamed, so this also sees
    files that were deleted or moved away.
    """
    newest = folder.lstat().st_mtime
    for root, dirs, files in os.walk(folder, onerror=_raise):
        for name in (*dirs, *files):
            newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
    return newest


def _raise(error: OSError) -> None:
    raise error
