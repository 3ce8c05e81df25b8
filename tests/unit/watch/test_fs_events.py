"""Which snapshot folder a file event belongs to."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtui.watch.fs_events import folder_key

BASE = Path("/data/snapshots")


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/data/snapshots", ("", "")),
        ("/data/snapshots/acme", ("acme", "")),
        ("/data/snapshots/acme/20240501", ("acme", "20240501")),
        ("/data/snapshots/acme/20240501/nodes/Person/part-0.parquet", ("acme", "20240501")),
        ("/data/snapshots/acme/20240501/_SUCCESS", ("acme", "20240501")),
        ("/data/snapshots/acme/.tmp-20240501/nodes/a.csv", None),
        ("/data/snapshots/_staging/20240501", None),
        ("/data/other/acme/20240501", None),
        ("/data", None),
    ],
)
def test_folder_key(path: str, key: tuple[str, str] | None) -> None:
    assert folder_key(BASE, path) == key
