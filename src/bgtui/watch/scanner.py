"""One look at ``<base>/<customer>/<timestamp>``: which snapshot folders exist, which are refused.

Used at start-up, by the polling fallback, and after every debounced file event. Folders are
refused (``problem`` set) when they are symlinks leading outside the base path, unreadable, named
so that no valid Neo4j name can come of them, or when two customer folders (or two snapshot
folders of one customer) would share one Neo4j name. Names starting with ``.`` or ``_`` are
producers' staging areas (``.tmp-…``, ``_temporary``) and are skipped. Nothing here builds Cypher;
the names only ever reach Neo4j as parameters, through ``bgtui.graph``.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bgtui.config.settings import ReadinessSettings
from bgtui.domain.snapshot import SnapshotId
from bgtui.watch.discovery import Discovery
from bgtui.watch.manifest import Digest, sha256_of
from bgtui.watch.readiness import WallClock, check_readiness


@dataclass(frozen=True)
class SnapshotFolder:
    """A folder that looks like a snapshot, and why it can never load (None if it may)."""

    snapshot: SnapshotId
    path: Path
    problem: str | None = None


def is_staging_name(name: str) -> bool:
    """Producers write into ``.tmp`` or ``_temporary`` folders and rename when done."""
    return name.startswith((".", "_"))


def find_snapshot_folders(base_path: Path) -> list[SnapshotFolder]:
    """Every ``<customer>/<timestamp>`` folder under ``base_path``, sorted, with refusals.

    An absent base path yields nothing (the watcher waits for it to appear).
    """
    base = Path(base_path)
    if not base.is_dir():
        return []
    real_base = base.resolve()
    found: list[SnapshotFolder] = []
    for customer in _subfolders(base):
        escape = _escape(customer, real_base)
        if escape:
            found.append(SnapshotFolder(SnapshotId(customer.name, ""), customer, escape))
            continue
        try:
            timestamps = _subfolders(customer)
        except PermissionError:
            problem = f"cannot read customer folder {customer}: permission denied"
            found.append(SnapshotFolder(SnapshotId(customer.name, ""), customer, problem))
            continue
        found += [_judge(customer.name, folder, real_base) for folder in timestamps]
    return _refuse_collisions(found)


def find_snapshot_folder(
    base_path: Path, customer: str, timestamp: str, others: Iterable[SnapshotFolder] = ()
) -> SnapshotFolder | None:
    """One ``<customer>/<timestamp>`` folder judged as ``find_snapshot_folders`` would judge it,
    without listing the whole base path: a marker that lands is acted on at once, however many
    customers there are. ``others`` (the last full look) is what name collisions are checked
    against. None when the folder is gone or is not a snapshot folder.
    """
    base = Path(base_path)
    if is_staging_name(customer) or is_staging_name(timestamp):
        return None
    real_base = base.resolve()
    customer_path = base / customer
    folder = customer_path / timestamp
    if not folder.is_dir():
        return None
    escape = _escape(customer_path, real_base)
    if escape:
        return SnapshotFolder(SnapshotId(customer, ""), customer_path, escape)
    item = _judge(customer, folder, real_base)
    if item.problem is not None:
        return item
    alias, database = item.snapshot.alias, item.snapshot.database
    rivals = [
        other
        for other in others
        if other.problem is None
        and other.snapshot.key != item.snapshot.key
        and (
            (other.snapshot.customer != customer and other.snapshot.alias == alias)
            or other.snapshot.database == database
        )
    ]
    return _refuse_collisions([item, *rivals])[0] if rivals else item


def _subfolders(folder: Path) -> list[Path]:
    """Sub-folders (or links to folders) that are not staging areas, sorted by name."""
    with os.scandir(folder) as entries:
        names = [e.name for e in entries if e.is_dir() and not is_staging_name(e.name)]
    return [folder / name for name in sorted(names)]


def _escape(path: Path, real_base: Path) -> str | None:
    if not path.is_symlink():
        return None
    target = path.resolve()
    if target.is_relative_to(real_base):
        return None
    return f"{path} is a symlink to {target}, outside the base path {real_base}"


def _judge(customer: str, folder: Path, real_base: Path) -> SnapshotFolder:
    snapshot = SnapshotId(customer, folder.name)
    problem = _escape(folder, real_base) or _unreadable(folder) or snapshot.name_problem()
    return SnapshotFolder(snapshot, folder, problem)


def _unreadable(folder: Path) -> str | None:
    try:
        with os.scandir(folder):
            pass
    except PermissionError:
        return f"cannot read snapshot folder {folder}: permission denied"
    return None


def _refuse_collisions(found: list[SnapshotFolder]) -> list[SnapshotFolder]:
    """Refuse every folder whose Neo4j name another folder would also get."""
    by_alias: dict[str, set[str]] = defaultdict(set)
    by_database: dict[str, list[str]] = defaultdict(list)
    for item in found:
        if item.problem is None:
            by_alias[item.snapshot.alias].add(item.snapshot.customer)
            by_database[item.snapshot.database].append(item.snapshot.key)
    result = []
    for item in found:
        if item.problem is None:
            customers = sorted(by_alias[item.snapshot.alias])
            twins = by_database[item.snapshot.database]
            if len(customers) > 1:
                item = _refused(
                    item, _collision("customer folders", customers, "alias", item.snapshot.alias)
                )
            elif len(twins) > 1:
                item = _refused(
                    item, _collision("snapshot folders", twins, "database", item.snapshot.database)
                )
        result.append(item)
    return result


def _collision(what: str, names: Iterable[str], kind: str, name: str) -> str:
    listed = " and ".join(repr(n) for n in names)
    return f"{what} {listed} would all become {kind} {name!r}; rename all but one"


def _refused(item: SnapshotFolder, problem: str) -> SnapshotFolder:
    return SnapshotFolder(item.snapshot, item.path, problem)


def escaping_link_inside(folder: Path, base_path: Path) -> str | None:
    """A symlink below ``folder`` that leads outside ``base_path``, described; else None."""
    real_base = Path(base_path).resolve()
    for root, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            path = Path(root, name)
            if path.is_symlink() and not path.resolve().is_relative_to(real_base):
                return f"{path} is a symlink to {path.resolve()}, outside the base path"
    return None


def inspect(
    folder: SnapshotFolder,
    base_path: Path,
    rules: ReadinessSettings,
    *,
    clock: WallClock = time.time,
    digest: Digest = sha256_of,
) -> tuple[Discovery, float | None]:
    """Judge one folder completely: refusals first, then readiness.

    Returns the discovery and, when settle time is running, the seconds after which to look
    again even if no file event arrives.
    """
    if folder.problem:
        return Discovery(folder.snapshot, folder.path, False, folder.problem), None
    escape = escaping_link_inside(folder.path, base_path)
    if escape:
        return Discovery(folder.snapshot, folder.path, False, escape), None
    verdict = check_readiness(folder.path, rules, clock=clock, digest=digest)
    discovery = Discovery(
        folder.snapshot, folder.path, verdict.ready, verdict.problem, verdict.reason
    )
    return discovery, verdict.recheck_after


def scan(
    base_path: Path,
    rules: ReadinessSettings,
    *,
    clock: WallClock = time.time,
    digest: Digest = sha256_of,
) -> list[Discovery]:
    """Every snapshot folder under ``base_path``, judged now (start-up, ``bgtui status``)."""
    return [
        inspect(folder, base_path, rules, clock=clock, digest=digest)[0]
        for folder in find_snapshot_folders(base_path)
    ]
