"""Choosing the reader per snapshot, and the message when the Parquet extra is missing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bgtui.readers import (
    ImportOptions,
    MissingExtraError,
    SnapshotFormatError,
    detect_format,
    open_snapshot,
)
from tests.helpers.readers import WriteFile


def test_csv_files_make_a_csv_snapshot(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv.gz", ":ID")
    assert detect_format(snapshot) == "csv"
    assert open_snapshot(snapshot).format == "csv"


def test_label_folders_of_parquet_make_a_parquet_snapshot(snapshot: Path, write: WriteFile) -> None:
    pytest.importorskip("pyarrow")
    write("nodes/Person/part-0.parquet", "")
    assert detect_format(snapshot) == "parquet"


def test_an_empty_folder(snapshot: Path, write: WriteFile) -> None:
    write("_SUCCESS")
    (snapshot / "nodes").mkdir()
    with pytest.raises(SnapshotFormatError, match="holds no snapshot data: expected CSV files"):
        open_snapshot(snapshot)


def test_both_formats_at_once(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", ":ID")
    write("relationships/KNOWS/part-0.parquet", "")
    with pytest.raises(SnapshotFormatError, match="holds both CSV and Parquet files"):
        open_snapshot(snapshot)


def test_the_format_option_overrides_detection(snapshot: Path, write: WriteFile) -> None:
    write("nodes/people.csv", ":ID", "p1")
    write("nodes/Person/part-0.parquet", "")
    with pytest.raises(SnapshotFormatError, match=r"nodes/Person/ is a folder"):
        open_snapshot(snapshot, ImportOptions(format="csv"))


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(SnapshotFormatError, match="is not a folder"):
        open_snapshot(tmp_path / "missing")


def test_parquet_without_pyarrow_says_how_to_install_it(
    snapshot: Path, write: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("nodes/Person/part-0.parquet", "")
    for name in [name for name in sys.modules if name.split(".")[0] == "pyarrow"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes "import pyarrow" fail
    with pytest.raises(MissingExtraError) as error:
        open_snapshot(snapshot)
    assert str(error.value) == (
        "this snapshot is in Parquet, which needs pyarrow: pip install 'bgtui[parquet]'"
    )
