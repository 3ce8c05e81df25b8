"""Snapshot folders written into tmp_path, file by file."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.helpers.readers import WriteFile


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    root = tmp_path / "acme" / "20240501T120000Z"
    root.mkdir(parents=True)
    return root


@pytest.fixture
def write(snapshot: Path) -> WriteFile:
    """Write ``lines`` to ``<snapshot>/<relative>`` (gzip when the name ends in .gz)."""

    def write_file(relative: str, *lines: str, newline: str = "\n") -> Path:
        path = snapshot / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(line + newline for line in lines)
        if path.name.endswith(".gz"):
            with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
                handle.write(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
        return path

    return write_file
