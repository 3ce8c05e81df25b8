"""Snapshot folders for watcher tests: files with chosen ages, and a clock to match."""

from __future__ import annotations

import os
from pathlib import Path

NOW = 1_800_000_000.0  # a fixed "now" in epoch seconds


class FakeClock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def write(path: Path, text: str = "x", *, mtime: float = NOW - 3600) -> Path:
    """Write ``path`` and date it (and its new parent folders) at ``mtime``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    age_tree(path.parent, mtime)
    os.utime(path, (mtime, mtime))
    return path


def age_tree(folder: Path, mtime: float) -> None:
    """Give ``folder`` and everything below it the modification time ``mtime``."""
    for root, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            os.utime(os.path.join(root, name), (mtime, mtime))
    os.utime(folder, (mtime, mtime))


def snapshot(base: Path, customer: str = "acme", timestamp: str = "20240501T120000Z") -> Path:
    """A snapshot with one node file and one relationship file, all an hour old, no marker."""
    folder = base / customer / timestamp
    write(folder / "nodes" / "people.csv", "id:ID\n1\n")
    write(folder / "relationships" / "knows.csv", ":START_ID,:END_ID\n1,1\n")
    age_tree(folder, NOW - 3600)
    return folder
