"""Cypher's temporal text forms: dates, times, date-times, zones, nanoseconds, durations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import neo4j.time
import pytest

from bgtui.readers.temporal import (
    parse_date,
    parse_datetime,
    parse_duration,
    parse_local_datetime,
    parse_local_time,
    parse_time,
)
from bgtui.readers.value_problem import ValueProblem

PLUS_TWO = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    "text",
    [
        "2015-07-21",
        "20150721",
        "2015-W30-2",
        "2015W302",
        "2015-Q3-21",
        "2015Q321",
        "2015-202",
        "2015202",
    ],
)
def test_every_date_form_names_the_same_day(text: str) -> None:
    assert parse_date(text) == date(2015, 7, 21)


@pytest.mark.parametrize(
    ("text", "day"),
    [("2015-07", date(2015, 7, 1)), ("2015", date(2015, 1, 1)), ("2015-W30", date(2015, 7, 20))],
)
def test_partial_dates_start_at_the_first_day(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    "text", ["2015-02-30", "2015-13-01", "2015-366", "2015-Q5-01", "2015-Q1-91", "21-07-2015", ""]
)
def test_dates_that_do_not_exist(text: str) -> None:
    with pytest.raises(ValueProblem, match="expected a date"):
        parse_date(text)


def test_local_times() -> None:
    assert parse_local_time("21:40:32.142") == time(21, 40, 32, 142000)
    assert parse_local_time("214032") == time(21, 40, 32)
    assert parse_local_time("21") == time(21)
    with pytest.raises(ValueProblem, match="no offset"):
        parse_local_time("21:40+01:00")


def test_times_take_the_written_offset_or_the_default() -> None:
    assert parse_time("21:40:32+0200", UTC) == time(21, 40, 32, tzinfo=PLUS_TWO)
    assert parse_time("21:40:32", PLUS_TWO) == time(21, 40, 32, tzinfo=PLUS_TWO)
    assert parse_time("21:40Z", PLUS_TWO) == time(21, 40, tzinfo=UTC)
    with pytest.raises(ValueProblem, match="not a zone name"):
        parse_time("21:40[Europe/Paris]", UTC)


@pytest.mark.parametrize("text", ["24:00", "12:60", "12:30:61", "1230:5", "noon"])
def test_times_that_do_not_exist(text: str) -> None:
    with pytest.raises(ValueProblem):
        parse_local_time(text)


def test_date_times_with_offsets_zones_and_defaults() -> None:
    expected = datetime(2015, 7, 21, 21, 40, 32, 142000, tzinfo=timezone(timedelta(hours=1)))
    assert parse_datetime("2015-07-21T21:40:32.142+0100", UTC) == expected
    assert parse_datetime("2015-07-21T21:40:32.142", timezone(timedelta(hours=1))) == expected
    london = parse_datetime("2015-07-21T21:40:32.142[Europe/London]", UTC)
    assert london == expected and str(london.tzinfo) == "Europe/London"
    assert parse_datetime("2015-07-21", UTC) == datetime(2015, 7, 21, tzinfo=UTC)
    assert parse_datetime("2015-W30-2T2140Z", PLUS_TWO) == datetime(2015, 7, 21, 21, 40, tzinfo=UTC)


def test_an_offset_must_match_its_zone() -> None:
    value = parse_datetime("2015-07-21T21:40-04:00[America/New_York]", UTC)
    assert value.utcoffset() == timedelta(hours=-4)
    with pytest.raises(ValueProblem, match="offset that America/New_York has"):
        parse_datetime("2015-07-21T21:40-05:00[America/New_York]", UTC)


def test_the_repeated_hour_of_a_daylight_saving_change_follows_the_offset() -> None:
    first = parse_datetime("2024-11-03T01:30-04:00[America/New_York]", UTC)
    second = parse_datetime("2024-11-03T01:30-05:00[America/New_York]", UTC)
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)


def test_local_date_times_refuse_offsets() -> None:
    assert parse_local_datetime("20150721T214032") == datetime(2015, 7, 21, 21, 40, 32)
    with pytest.raises(ValueProblem, match="no offset"):
        parse_local_datetime("2015-07-21T21:40Z")


def test_an_unknown_zone() -> None:
    with pytest.raises(ValueProblem, match="known time zone"):
        parse_datetime("2015-07-21T21:40[Nowhere/Special]", UTC)


def test_nanoseconds_are_kept_with_the_drivers_types() -> None:
    value = parse_datetime("2015-07-21T21:40:32.123456789Z", UTC)
    assert isinstance(value, neo4j.time.DateTime)
    assert (value.nanosecond, value.utcoffset()) == (123456789, timedelta(0))
    zoned = parse_datetime("2015-07-21T21:40:32.000000001[Europe/Stockholm]", UTC)
    assert zoned.utcoffset() == timedelta(hours=2)
    assert parse_local_time("00:00:00.000000005") == neo4j.time.Time(0, 0, 0, 5)
    assert isinstance(parse_local_time("00:00:00.123000000"), time)  # microseconds suffice


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P14DT16H12M", neo4j.time.Duration(days=14, hours=16, minutes=12)),
        ("P1Y2M", neo4j.time.Duration(months=14)),
        ("PT0.75M", neo4j.time.Duration(seconds=45)),
        ("P0.5D", neo4j.time.Duration(hours=12)),
        ("P1.5W", neo4j.time.Duration(days=10, hours=12)),
        ("P1.5M", neo4j.time.Duration(months=1, days=15, hours=5, minutes=14, seconds=33)),
        ("PT1.000000001S", neo4j.time.Duration(seconds=1, nanoseconds=1)),
        ("-P1DT1H", neo4j.time.Duration(days=-1, hours=-1)),
        (
            "P2012-02-02T14:37:21.545",
            neo4j.time.Duration(
                months=2012 * 12 + 2, days=2, hours=14, minutes=37, seconds=21, milliseconds=545
            ),
        ),
    ],
)
def test_durations(text: str, expected: neo4j.time.Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["P", "PT", "P1DT", "1D", "P1H", "P1.5.5D", "P1D2Y"])
def test_not_durations(text: str) -> None:
    with pytest.raises(ValueProblem, match="expected a duration"):
        parse_duration(text)
