"""Properties over generated data: typed values survive a write and a read, and no cell or
header, however broken, makes the reader raise anything but ``SnapshotFormatError``."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import neo4j.time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j.spatial import CartesianPoint, WGS84Point

from bgtui.readers import ImportOptions, SnapshotFormatError, open_snapshot

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Kind:
    """A column type, how to make its values, and how a producer writes them as text."""

    token: str
    values: st.SearchStrategy[Any]
    text: Callable[[Any], str] = str


def _text_without_nul(min_size: int = 1, exclude: str = "") -> st.SearchStrategy[str]:
    return st.text(
        st.characters(codec="utf-8", exclude_characters="\x00" + exclude),
        min_size=min_size,
        max_size=20,
    )


_offsets = st.integers(-18 * 60, 18 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
_naive = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30))
_coordinate = st.floats(-1e6, 1e6, allow_nan=False)

KINDS = [
    Kind("int", st.integers(-(2**31), 2**31 - 1)),
    Kind("long", st.integers(-(2**63), 2**63 - 1)),
    Kind("double", st.floats(allow_nan=False), repr),
    Kind("boolean", st.booleans(), lambda value: "true" if value else "false"),
    Kind("string", _text_without_nul()),
    Kind("char", st.characters(codec="utf-8", exclude_characters="\x00")),
    Kind("date", st.dates(), date.isoformat),
    Kind("localdatetime", _naive, datetime.isoformat),
    Kind(
        "datetime",
        st.builds(lambda at, zone: at.replace(tzinfo=zone), _naive, _offsets),
        datetime.isoformat,
    ),
    Kind(
        "duration",
        st.builds(
            lambda months, days, seconds, nanos: neo4j.time.Duration(
                months=months, days=days, seconds=seconds, nanoseconds=nanos
            ),
            st.integers(0, 10_000),
            st.integers(0, 10_000),
            st.integers(0, 10**9),
            st.integers(0, 999_999_999),
        ),
    ),
    Kind(
        "point",
        st.builds(lambda x, y: CartesianPoint((x, y)), _coordinate, _coordinate),
        lambda point: f"{{x:{point.x!r}, y:{point.y!r}}}",
    ),
    Kind(
        "point",
        st.builds(
            lambda lon, lat: WGS84Point((lon, lat)),
            st.floats(-180, 180),
            st.floats(-90, 90),
        ),
        lambda point: f"{{longitude:{point.longitude!r}, latitude:{point.latitude!r}}}",
    ),
    Kind(
        "long[]",
        st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1, max_size=4),
        lambda values: ";".join(map(str, values)),
    ),
    Kind("string[]", st.lists(_text_without_nul(exclude=";"), min_size=1, max_size=4), ";".join),
]


def _read_nodes(root: Path, options: ImportOptions | None = None) -> list[Any]:
    reader = open_snapshot(root, options or ImportOptions())
    reader.check()
    return [row for batch in reader.node_batches(7) for row in batch.rows]


@st.composite
def typed_tables(draw: st.DrawFn) -> tuple[list[Kind], list[list[Any]]]:
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=5))
    rows = draw(
        st.lists(st.tuples(*[kind.values for kind in kinds]).map(list), min_size=1, max_size=15)
    )
    return kinds, rows


@FAST
@given(typed_tables())
def test_written_typed_values_read_back_equal(table: tuple[list[Kind], list[list[Any]]]) -> None:
    kinds, rows = table
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "nodes").mkdir()
        with (root / "nodes" / "Thing.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([":ID", *[f"c{i}:{kind.token}" for i, kind in enumerate(kinds)]])
            for number, row in enumerate(rows):
                writer.writerow(
                    [
                        f"n{number}",
                        *[kind.text(value) for kind, value in zip(kinds, row, strict=True)],
                    ]
                )
        read = _read_nodes(root)
    assert [node.id for node in read] == [f"n{number}" for number in range(len(rows))]
    for node, row in zip(read, rows, strict=True):
        assert node.labels == ("Thing",)
        assert node.properties == {f"c{i}": value for i, value in enumerate(row)}
        for i, value in enumerate(row):
            if isinstance(value, datetime):
                assert node.properties[f"c{i}"].utcoffset() == value.utcoffset()


_TYPE_TOKENS = [
    "",
    ":int",
    ":long",
    ":short",
    ":byte",
    ":float",
    ":boolean",
    ":char",
    ":date",
    ":localtime",
    ":time",
    ":localdatetime",
    ":datetime",
    ":duration",
    ":point",
    ":point{crs:WGS-84}",
    ":datetime{timezone:Europe/Stockholm}",
    ":int[]",
    ":date[]",
    ":point[]",
    ":duration[]",
]
_nasty_text = st.text(
    st.sampled_from(list("0123456789-+:.,;\"'{}[]()TZPWQ \n\r\tabcxyzé\x00")) | st.characters(),
    max_size=30,
)


@FAST
@given(
    st.lists(st.sampled_from(_TYPE_TOKENS), min_size=1, max_size=5),
    st.lists(st.lists(_nasty_text, min_size=0, max_size=7), min_size=1, max_size=6),
    st.sampled_from([ImportOptions(), ImportOptions(id_type="integer", trim_strings=True)]),
)
def test_bad_cells_raise_only_snapshot_format_errors(
    types: list[str], cells: list[list[str]], options: ImportOptions
) -> None:
    header = ",".join([":ID", *[f"c{i}{token}" for i, token in enumerate(types)]])
    body = "\n".join(",".join(row) for row in cells)
    _must_read_or_explain(header + "\n" + body + "\n", options)


@FAST
@given(_nasty_text, st.lists(_nasty_text, max_size=3))
def test_bad_headers_raise_only_snapshot_format_errors(header: str, cells: list[str]) -> None:
    _must_read_or_explain(header + "\n" + ",".join(cells) + "\n", ImportOptions())


@FAST
@given(st.binary(max_size=200))
def test_bad_bytes_raise_only_snapshot_format_errors(data: bytes) -> None:
    _must_read_or_explain(b":ID,name:int,:LABEL\n" + data, ImportOptions())


def _must_read_or_explain(content: str | bytes, options: ImportOptions) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "nodes").mkdir()
        path = root / "nodes" / "things.csv"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogatepass", newline="")
        try:
            _read_nodes(root, options)
        except SnapshotFormatError as error:
            assert str(error)  # every error explains itself
