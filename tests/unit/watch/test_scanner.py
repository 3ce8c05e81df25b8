"""The start-up and polling scan: what it finds, and what it refuses and why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bgtui.config.settings import ReadinessSettings
from bgtui.domain.snapshot import SnapshotId
from bgtui.watch.scanner import SnapshotFolder, find_snapshot_folder, find_snapshot_folders, scan
from tests.helpers.watch import FakeClock, snapshot, write


def problems(base: Path) -> dict[str, str | None]:
    return {folder.snapshot.key: folder.problem for folder in find_snapshot_folders(base)}


def test_finds_customer_timestamp_folders_in_order(tmp_path: Path) -> None:
    snapshot(tmp_path, "globex", "1714564800")
    snapshot(tmp_path, "acme", "20240502T000000Z")
    snapshot(tmp_path, "acme", "20240501T000000Z")
    write(tmp_path / "README.txt")
    write(tmp_path / "acme" / "notes.txt")
    assert problems(tmp_path) == {
        "acme/20240501T000000Z": None,
        "acme/20240502T000000Z": None,
        "globex/1714564800": None,
    }


def test_staging_folders_are_skipped(tmp_path: Path) -> None:
    snapshot(tmp_path, "acme", ".tmp-20240501")
    snapshot(tmp_path, "acme", "_temporary")
    snapshot(tmp_path, ".trash", "20240501")
    assert problems(tmp_path) == {}


def test_a_missing_base_path_yields_nothing(tmp_path: Path) -> None:
    assert find_snapshot_folders(tmp_path / "not-yet") == []


def test_names_that_cannot_become_neo4j_names_are_refused(tmp_path: Path) -> None:
    snapshot(tmp_path, "---", "20240501")
    snapshot(tmp_path, "acme", "latest")
    found = problems(tmp_path)
    assert "cannot become a Neo4j alias" in (found["---/20240501"] or "")
    assert "is not a timestamp" in (found["acme/latest"] or "")


def test_two_customers_with_one_alias_are_both_refused(tmp_path: Path) -> None:
    snapshot(tmp_path, "Acme", "20240501")
    snapshot(tmp_path, "acme", "20240502")
    snapshot(tmp_path, "globex", "20240501")
    found = problems(tmp_path)
    expected = "customer folders 'Acme' and 'acme' would all become alias 'acme'"
    assert expected in (found["Acme/20240501"] or "")
    assert expected in (found["acme/20240502"] or "")
    assert found["globex/20240501"] is None


def test_a_dotted_customer_becomes_a_dashed_alias_and_clashes_are_refused(
    tmp_path: Path,
) -> None:
    """Dots would name an alias inside a composite database; they become dashes, and a
    folder that then shares its alias with another is refused before any Cypher is sent."""
    snapshot(tmp_path, "acme.eu", "20240501")
    snapshot(tmp_path, "acme-eu", "20240502")
    snapshot(tmp_path, "globex.us", "20240501")
    found = problems(tmp_path)
    expected = "customer folders 'acme-eu' and 'acme.eu' would all become alias 'acme-eu'"
    assert expected in (found["acme.eu/20240501"] or "")
    assert expected in (found["acme-eu/20240502"] or "")
    assert found["globex.us/20240501"] is None


def test_two_snapshots_with_one_database_name_are_both_refused(tmp_path: Path) -> None:
    snapshot(tmp_path, "acme", "2024-05-01T12:00:00Z")
    snapshot(tmp_path, "acme", "20240501T120000Z")
    found = problems(tmp_path)
    assert all(
        "would all become database 'acme-20240501t120000z'" in (p or "") for p in found.values()
    )
    assert len(found) == 2


def test_a_customer_symlink_leading_outside_is_refused_without_reading_it(
    tmp_path: Path,
) -> None:
    base, outside = tmp_path / "base", tmp_path / "outside"
    snapshot(outside, "elsewhere", "20240501")
    base.mkdir()
    (base / "evil").symlink_to(outside / "elsewhere")
    [folder] = find_snapshot_folders(base)
    assert folder.snapshot.key == "evil/"
    assert folder.problem is not None
    assert "is a symlink to" in folder.problem
    assert "outside the base path" in folder.problem


def test_a_snapshot_symlink_leading_outside_is_refused(tmp_path: Path) -> None:
    base, outside = tmp_path / "base", tmp_path / "outside"
    target = snapshot(outside, "x", "20240501")
    (base / "acme").mkdir(parents=True)
    (base / "acme" / "20240501").symlink_to(target)
    assert "outside the base path" in (problems(base)["acme/20240501"] or "")


def test_symlinks_that_stay_inside_the_base_are_fine(tmp_path: Path) -> None:
    target = snapshot(tmp_path, "acme", "20240501")
    (tmp_path / "acme" / "20240502").symlink_to(target)
    assert problems(tmp_path) == {"acme/20240501": None, "acme/20240502": None}


def test_a_file_symlink_inside_a_snapshot_leading_outside_is_refused(
    tmp_path: Path, clock: FakeClock
) -> None:
    base = tmp_path / "base"
    folder = snapshot(base)
    write(tmp_path / "secret.csv")
    (folder / "nodes" / "stolen.csv").symlink_to(tmp_path / "secret.csv")
    write(folder / "_SUCCESS", "")
    [discovery] = scan(base, ReadinessSettings(), clock=clock)
    assert not discovery.ready
    assert discovery.problem is not None
    assert "stolen.csv is a symlink to" in discovery.problem


def test_scan_judges_readiness(tmp_path: Path, clock: FakeClock) -> None:
    ready = snapshot(tmp_path, "acme", "20240501")
    write(ready / "_SUCCESS", "")
    snapshot(tmp_path, "acme", "20240502")
    found = {
        d.snapshot.key: (d.ready, d.detail)
        for d in scan(tmp_path, ReadinessSettings(require="marker"), clock=clock)
    }
    assert found == {
        "acme/20240501": (True, "_SUCCESS present"),
        "acme/20240502": (False, "waiting for _SUCCESS"),
    }


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder, so permissions are moot")
def test_unreadable_folders_are_refused(tmp_path: Path) -> None:
    snapshot(tmp_path, "acme", "20240501")
    snapshot(tmp_path, "globex", "20240501")
    (tmp_path / "acme" / "20240501").chmod(0)
    (tmp_path / "globex").chmod(0)
    try:
        found = problems(tmp_path)
    finally:
        (tmp_path / "acme" / "20240501").chmod(0o755)
        (tmp_path / "globex").chmod(0o755)
    assert "cannot read snapshot folder" in (found["acme/20240501"] or "")
    assert "cannot read customer folder" in (found["globex/"] or "")


def test_one_folder_is_judged_like_the_full_look(tmp_path: Path) -> None:
    snapshot(tmp_path, "acme", "20240501")
    snapshot(tmp_path, "acme", "latest")
    snapshot(tmp_path, "acme", ".tmp-20240502")
    assert find_snapshot_folder(tmp_path, "acme", "20240501") == SnapshotFolder(
        SnapshotId("acme", "20240501"), tmp_path / "acme" / "20240501"
    )
    latest = find_snapshot_folder(tmp_path, "acme", "latest")
    assert latest is not None and "is not a timestamp" in (latest.problem or "")
    assert find_snapshot_folder(tmp_path, "acme", ".tmp-20240502") is None
    assert find_snapshot_folder(tmp_path, "acme", "20240509") is None


def test_one_folder_is_refused_when_it_collides_with_the_last_full_look(
    tmp_path: Path,
) -> None:
    snapshot(tmp_path, "Acme", "20240501")
    others = find_snapshot_folders(tmp_path)
    snapshot(tmp_path, "acme", "20240502")
    snapshot(tmp_path, "acme", "20240503")
    folder = find_snapshot_folder(tmp_path, "acme", "20240502", others)
    assert folder is not None
    assert "would all become alias 'acme'" in (folder.problem or "")
    same_customer = find_snapshot_folders(tmp_path / "none")  # nothing else known
    assert find_snapshot_folder(tmp_path, "acme", "20240503", same_customer) is not None
