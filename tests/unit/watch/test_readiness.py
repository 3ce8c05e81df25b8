"""Readiness rules decided on real folders, with the clock given (no sleeping)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bgtui.config.settings import ReadinessSettings
from bgtui.watch.readiness import announces_completion, check_readiness, newest_change
from tests.helpers.watch import NOW, FakeClock, age_tree, snapshot, write

AUTO = ReadinessSettings(settle=30.0)


def test_a_marker_makes_a_snapshot_ready(tmp_path: Path, clock: FakeClock) -> None:
    folder = snapshot(tmp_path)
    write(folder / "_SUCCESS", "", mtime=NOW)  # just written: settle time says nothing here
    verdict = check_readiness(folder, AUTO, clock=clock)
    assert verdict.ready
    assert verdict.reason == "_SUCCESS present"


def test_marker_rule_waits_for_the_marker_however_old_the_files(
    tmp_path: Path, clock: FakeClock
) -> None:
    folder = snapshot(tmp_path)
    rules = ReadinessSettings(require="marker", marker="DONE")
    verdict = check_readiness(folder, rules, clock=clock)
    assert not verdict.ready
    assert verdict.reason == "waiting for DONE"
    assert verdict.recheck_after is None
    write(folder / "DONE", "")
    assert check_readiness(folder, rules, clock=clock).ready


def test_settle_time_makes_a_quiet_complete_snapshot_ready(
    tmp_path: Path, clock: FakeClock
) -> None:
    folder = snapshot(tmp_path)
    age_tree(folder, NOW - 31)
    assert check_readiness(folder, AUTO, clock=clock).ready


def test_settle_time_not_elapsed_says_when_to_look_again(tmp_path: Path, clock: FakeClock) -> None:
    folder = snapshot(tmp_path)
    write(folder / "nodes" / "more.csv", mtime=NOW - 10)
    verdict = check_readiness(folder, AUTO, clock=clock)
    assert not verdict.ready
    assert verdict.problem is None
    assert verdict.reason.startswith("no _SUCCESS yet; settling")
    assert verdict.recheck_after == pytest.approx(20.0, abs=0.1)
    clock.now += 20.1
    assert check_readiness(folder, AUTO, clock=clock).ready


def test_a_deeply_nested_change_restarts_settle_time(tmp_path: Path, clock: FakeClock) -> None:
    folder = snapshot(tmp_path)
    write(folder / "nodes" / "Person" / "part-0001.parquet", mtime=NOW - 1)
    assert newest_change(folder) == NOW - 1
    assert not check_readiness(folder, AUTO, clock=clock).ready


def test_a_removed_file_counts_as_a_change(tmp_path: Path, clock: FakeClock) -> None:
    folder = snapshot(tmp_path)
    write(folder / "nodes" / "tmp.csv")
    age_tree(folder, NOW - 3600)
    (folder / "nodes" / "tmp.csv").unlink()  # the folder's own mtime moves to the real now
    os.utime(folder / "nodes", (NOW - 2, NOW - 2))
    assert not check_readiness(folder, AUTO, clock=clock).ready


@pytest.mark.parametrize("empty", ["nodes", "relationships"])
def test_settle_time_needs_files_in_both_parts(
    tmp_path: Path, clock: FakeClock, empty: str
) -> None:
    folder = snapshot(tmp_path)
    for file in (folder / empty).iterdir():
        file.unlink()
    age_tree(folder, NOW - 3600)
    verdict = check_readiness(folder, ReadinessSettings(require="settle"), clock=clock)
    assert not verdict.ready
    assert verdict.reason == f"waiting for files in {empty}/"
    assert verdict.recheck_after is None


def test_hidden_files_do_not_count_as_content(tmp_path: Path, clock: FakeClock) -> None:
    folder = snapshot(tmp_path)
    for file in (folder / "nodes").iterdir():
        file.unlink()
    write(folder / "nodes" / ".people.csv.crc")
    age_tree(folder, NOW - 3600)
    assert not check_readiness(folder, AUTO, clock=clock).ready


def test_a_folder_that_vanishes_is_just_not_ready(tmp_path: Path, clock: FakeClock) -> None:
    verdict = check_readiness(tmp_path / "gone", ReadinessSettings(require="settle"), clock=clock)
    assert not verdict.ready
    assert verdict.problem is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder, so permissions are moot")
def test_an_unreadable_part_is_a_problem(tmp_path: Path, clock: FakeClock) -> None:
    folder = snapshot(tmp_path)
    (folder / "nodes").chmod(0)
    try:
        verdict = check_readiness(folder, AUTO, clock=clock)
    finally:
        (folder / "nodes").chmod(0o755)
    assert verdict.problem is not None
    assert "permission denied" in verdict.problem


@pytest.mark.parametrize(
    ("require", "files", "announced"),
    [
        ("auto", ["_SUCCESS"], True),
        ("auto", ["manifest.json"], True),
        ("auto", [], False),
        ("marker", ["manifest.json"], False),
        ("manifest", ["_SUCCESS"], False),
        ("manifest", ["manifest.json"], True),
        ("settle", ["_SUCCESS", "manifest.json"], False),
    ],
)
def test_which_files_announce_completion(
    tmp_path: Path, require: str, files: list[str], announced: bool
) -> None:
    folder = snapshot(tmp_path)
    for name in files:
        write(folder / name)
    assert announces_completion(folder, ReadinessSettings(require=require)) is announced
