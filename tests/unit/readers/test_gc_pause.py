"""The cycle collector is held off while batches are built, and always comes back on."""

from __future__ import annotations

import gc
from pathlib import Path

from bgtui.readers import SnapshotFormatError, open_snapshot
from bgtui.readers.gc_pause import CollectorPause


def test_overlapping_pauses_switch_the_collector_back_on_once_the_last_resumes() -> None:
    assert gc.isenabled()
    first, second = CollectorPause(), CollectorPause()
    first.pause()
    second.pause()
    first.pause()  # a second pause of the same holder counts once
    assert not gc.isenabled()
    first.resume()
    assert not gc.isenabled()
    second.resume()
    second.resume()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        pause = CollectorPause()
        pause.pause()
        pause.resume()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_reading_leaves_the_collector_on_even_when_a_row_is_refused(tmp_path: Path) -> None:
    (tmp_path / "nodes").mkdir()
    (tmp_path / "nodes" / "people.csv").write_text("id:ID,born:int\n1,1990\n2,soon\n")
    reader = open_snapshot(tmp_path)
    try:
        list(reader.node_batches(1))
    except SnapshotFormatError as exc:
        assert "line 3, column 2" in str(exc)
    else:
        raise AssertionError("the bad row was not refused")
    assert gc.isenabled()
