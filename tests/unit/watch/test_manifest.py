"""Manifest readiness: sizes and checksums verified, with the mismatching file named."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from bgtui.config.settings import ReadinessSettings
from bgtui.watch.manifest import CachingDigest, sha256_of
from bgtui.watch.readiness import check_readiness
from tests.helpers.watch import NOW, FakeClock, snapshot, write

AUTO = ReadinessSettings(settle=30.0)
MANIFEST = ReadinessSettings(require="manifest", settle=30.0)


def manifest_for(
    folder: Path, *names: str, **overrides: Mapping[str, object]
) -> list[dict[str, object]]:
    entries = []
    for name in names:
        data = (folder / name).read_bytes()
        entry: dict[str, object] = {
            "path": name,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        entry.update(overrides.get(name, {}))
        entries.append(entry)
    return entries


def write_manifest(folder: Path, entries: object, *, mtime: float = NOW) -> None:
    write(folder / "manifest.json", json.dumps({"files": entries}), mtime=mtime)


FILES = ("nodes/people.csv", "relationships/knows.csv")


def test_a_verified_manifest_makes_a_snapshot_ready(tmp_path: Path, clock: FakeClock) -> None:
    folder = snapshot(tmp_path)
    write_manifest(folder, manifest_for(folder, *FILES))
    verdict = check_readiness(folder, AUTO, clock=clock)
    assert verdict.ready
    assert verdict.reason == "manifest.json verified (2 files)"


def test_a_missing_file_is_waited_for(tmp_path: Path, clock: FakeClock) -> None:
    folder = snapshot(tmp_path)
    entries = manifest_for(folder, *FILES)
    entries.append({"path": "nodes/later.csv", "size": 3})
    write_manifest(folder, entries)
    verdict = check_readiness(folder, MANIFEST, clock=clock)
    assert (verdict.ready, verdict.problem) == (False, None)
    assert verdict.reason == "waiting for nodes/later.csv (listed in manifest.json)"


def test_a_short_file_is_waited_for_and_named(tmp_path: Path, clock: FakeClock) -> None:
    folder = snapshot(tmp_path)
    write_manifest(folder, manifest_for(folder, *FILES, **{"nodes/people.csv": {"size": 99}}))
    verdict = check_readiness(folder, MANIFEST, clock=clock)
    assert verdict.problem is None
    assert verdict.reason == "waiting for nodes/people.csv is 8 bytes, manifest.json says 99"


def test_a_checksum_mismatch_is_a_problem_naming_the_file(tmp_path: Path, clock: FakeClock) -> None:
    folder = snapshot(tmp_path)
    entries = manifest_for(folder, *FILES, **{"relationships/knows.csv": {"sha256": "0" * 64}})
    write_manifest(folder, entries)
    verdict = check_readiness(folder, AUTO, clock=clock)
    assert not verdict.ready
    assert verdict.problem == "relationships/knows.csv does not match its sha256 in manifest.json"


def test_a_manifest_beside_the_marker_is_verified_too(tmp_path: Path, clock: FakeClock) -> None:
    folder = snapshot(tmp_path)
    write(folder / "_SUCCESS", "")
    write_manifest(
        folder, manifest_for(folder, *FILES, **{"nodes/people.csv": {"sha256": "a" * 64}})
    )
    verdict = check_readiness(folder, AUTO, clock=clock)
    assert verdict.problem is not None
    assert "nodes/people.csv" in verdict.problem


def test_a_half_written_manifest_is_waited_for_then_refused(
    tmp_path: Path, clock: FakeClock
) -> None:
    folder = snapshot(tmp_path)
    write(folder / "manifest.json", '{"files": [{"path": "nod', mtime=NOW - 5)
    verdict = check_readiness(folder, AUTO, clock=clock)
    assert (verdict.ready, verdict.problem) == (False, None)
    assert verdict.recheck_after == pytest.approx(25.0, abs=0.1)
    clock.now += 26
    verdict = check_readiness(folder, AUTO, clock=clock)
    assert verdict.problem is not None
    assert "manifest.json is not valid JSON" in verdict.problem


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([], 'must hold a non-empty "files" list'),
        ([{"size": 3}], 'needs a "path"'),
        ([{"path": "../other/x.csv"}], "which is not inside the snapshot"),
        ([{"path": "/etc/passwd"}], "which is not inside the snapshot"),
        ([{"path": "nodes/people.csv", "size": "big"}], "is not a byte count"),
        ([{"path": "nodes/people.csv", "sha256": "abc"}], "is not 64 hex digits"),
    ],
)
def test_a_wrong_manifest_is_a_problem(
    tmp_path: Path, clock: FakeClock, entries: object, message: str
) -> None:
    folder = snapshot(tmp_path)
    write_manifest(folder, entries)
    verdict = check_readiness(folder, AUTO, clock=clock)
    assert verdict.problem is not None
    assert message in verdict.problem


def test_manifest_rule_waits_for_the_manifest(tmp_path: Path, clock: FakeClock) -> None:
    folder = snapshot(tmp_path)
    write(folder / "_SUCCESS", "")
    verdict = check_readiness(folder, MANIFEST, clock=clock)
    assert (verdict.ready, verdict.reason) == (False, "waiting for manifest.json")


def test_the_caching_digest_hashes_an_unchanged_file_once(tmp_path: Path) -> None:
    calls: list[Path] = []

    def counting(path: Path) -> str:
        calls.append(path)
        return sha256_of(path)

    digest = CachingDigest(counting)
    file = write(tmp_path / "a.csv", "abc")
    assert digest(file) == digest(file) == hashlib.sha256(b"abc").hexdigest()
    assert len(calls) == 1
    write(file, "abcd", mtime=NOW)  # size and mtime change: hashed again
    assert digest(file) == hashlib.sha256(b"abcd").hexdigest()
    assert len(calls) == 2
