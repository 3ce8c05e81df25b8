"""Cypher's temporal text forms (date, time, datetime, duration), as neo4j-admin reads them.

Values become ``datetime`` types when microseconds hold them, and the driver's ``neo4j.time``
types when a value carries nanoseconds, so no digit a producer wrote is lost. A value without
an offset or zone takes the column's ``{timezone:…}`` default, else UTC: neo4j-admin applies
``db.temporal.timezone``, whose default is ``Z`` (UNCONFIRMED;
https://neo4j.com/docs/operations-manual/current/import/).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import neo4j.time

from bgtui.readers.value_problem import ValueProblem

_YEAR = r"(?P<year>\d{4})"
_DATE_TAIL = (
    r"(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?"
    r"|W(?P<week>\d{2})(?:-(?P<weekday>\d))?"
    r"|Q(?P<quarter>\d)(?:-(?P<quarter_day>\d{2}))?"
    r"|(?P<ordinal>\d{3}))"
    r"|(?:(?P<cmonth>\d{2})(?P<cday>\d{2})"
    r"|W(?P<cweek>\d{2})(?P<cweekday>\d)?"
    r"|Q(?P<cquarter>\d)(?P<cquarter_day>\d{2})"
    r"|(?P<cordinal>\d{3})"
    r"|(?P<cmonth_only>\d{2})))?"
)
_TIME = (
    r"(?P<hour>\d{2})(?::?(?P<minute>\d{2})(?::?(?P<second>\d{2})"
    r"(?:[.,](?P<fraction>\d{1,9}))?)?)?"
)
_ZONE = r"(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?(?:\[(?P<zone>[^\]]+)\])?"

_DATE_RE = re.compile(_YEAR + _DATE_TAIL, re.ASCII | re.IGNORECASE)
_TIME_RE = re.compile(_TIME + _ZONE, re.ASCII | re.IGNORECASE)
_DATETIME_RE = re.compile(
    _YEAR + _DATE_TAIL + r"(?:T" + _TIME + r")?" + _ZONE, re.ASCII | re.IGNORECASE
)

_NUMBER = r"[+-]?\d+(?:[.,]\d+)?"
_DURATION_RE = re.compile(
    rf"(?P<sign>[+-])?P(?:(?P<years>{_NUMBER})Y)?(?:(?P<months>{_NUMBER})M)?"
    rf"(?:(?P<weeks>{_NUMBER})W)?(?:(?P<days>{_NUMBER})D)?"
    rf"(?:T(?:(?P<hours>{_NUMBER})H)?(?:(?P<minutes>{_NUMBER})M)?(?:(?P<seconds>{_NUMBER})S)?)?",
    re.ASCII | re.IGNORECASE,
)
_DURATION_ALTERNATIVE_RE = re.compile(
    r"(?P<sign>[+-])?P(?P<years>\d{4})-(?P<months>\d{2})-(?P<days>\d{2})"
    r"T(?P<hours>\d{2}):(?P<minutes>\d{2}):(?P<seconds>\d{2}(?:[.,]\d{1,9})?)",
    re.ASCII | re.IGNORECASE,
)
#: Cypher spreads a fraction of a month over this many days (365.2425 / 12).
_DAYS_PER_MONTH = Decimal("30.436875")
_ZERO = Decimal(0)
_SECONDS_PER_DAY = Decimal(86_400)

TimeValue = time | neo4j.time.Time
DateTimeValue = datetime | neo4j.time.DateTime


def parse_date(text: str) -> date:
    """``2015-07-21``, ``20150721``, ``2015-07``, ``2015-W30-2``, ``2015-Q3-21``, ``2015-202``."""
    stripped = text.strip()
    if len(stripped) == 10 and stripped[4] == "-" and stripped[7] == "-":
        try:  # the common form, parsed in C; anything odd falls through to the full grammar
            return date.fromisoformat(stripped)
        except ValueError:
            pass
    match = _DATE_RE.fullmatch(stripped)
    if match is None:
        raise ValueProblem("expected a date such as 2015-07-21")
    return _date_from(match)


def parse_local_time(text: str) -> TimeValue:
    """``21:40:32.142``, ``214032``, ``21:40``, ``21``; an offset is refused."""
    match = _TIME_RE.fullmatch(text.strip())
    if match is None or match["offset"] or match["zone"]:
        raise ValueProblem("expected a local time such as 21:40:32 (no offset)")
    return _time_from(match, None)


def parse_time(text: str, default_zone: tzinfo) -> TimeValue:
    """A time with an offset (``21:40:32+01:00``); without one it takes ``default_zone``."""
    match = _TIME_RE.fullmatch(text.strip())
    if match is None or match["zone"]:
        raise ValueProblem("expected a time such as 21:40:32+01:00 (an offset, not a zone name)")
    offset = _offset(match["offset"]) if match["offset"] else default_zone
    return _time_from(match, offset)


def parse_local_datetime(text: str) -> DateTimeValue:
    """``2015-07-21T21:40:32.142`` (any date form, then ``T`` and any time form)."""
    match = _DATETIME_RE.fullmatch(text.strip())
    if match is None or match["offset"] or match["zone"]:
        raise ValueProblem("expected a local date-time such as 2015-07-21T21:40:32 (no offset)")
    return _datetime_from(match, None)


def parse_datetime(text: str, default_zone: tzinfo) -> DateTimeValue:
    """``2015-07-21T21:40:32+01:00``, ``…Z``, ``…[Europe/London]``; else ``default_zone``."""
    match = _DATETIME_RE.fullmatch(text.strip())
    if match is None:
        raise ValueProblem("expected a date-time such as 2015-07-21T21:40:32+01:00")
    zone: tzinfo = default_zone
    if match["zone"]:
        zone = zone_named(match["zone"])
    elif match["offset"]:
        zone = _offset(match["offset"])
    value = _datetime_from(match, zone)
    if match["zone"] and match["offset"]:
        written = _offset(match["offset"]).utcoffset(None)
        if value.utcoffset() != written:
            # The other side of a daylight-saving fold, when the clock time happens twice.
            other = value.replace(fold=1) if isinstance(value, datetime) else value
            if other.utcoffset() != written:
                raise ValueProblem(f"expected an offset that {match['zone']} has at that time")
            value = other
    return value


def parse_duration(text: str) -> neo4j.time.Duration:
    """ISO 8601 durations as Cypher reads them.

    ``P1Y2M10DT2H30M``, ``PT0.75M`` (fractions spill into smaller units) or the alternative
    ``P0001-02-03T04:05:06``.
    """
    stripped = text.strip()
    match = _DURATION_RE.fullmatch(stripped) or _DURATION_ALTERNATIVE_RE.fullmatch(stripped)
    parts = {k: v for k, v in match.groupdict().items() if k != "sign" and v} if match else {}
    if match is None or not parts or stripped.upper().endswith("T"):
        raise ValueProblem("expected a duration such as P1Y2M10DT2H30M")
    try:
        amount = {key: Decimal(value.replace(",", ".")) for key, value in parts.items()}
    except InvalidOperation as exc:  # unreachable after the pattern, kept for safety
        raise ValueProblem("expected a duration such as P1Y2M10DT2H30M") from exc
    sign = -1 if match["sign"] == "-" else 1
    months = amount.get("years", _ZERO) * 12 + amount.get("months", _ZERO)
    # A fraction spills into the next smaller unit, as Cypher's duration() does: part of a
    # month becomes average days, part of a day becomes seconds.
    days = (
        amount.get("weeks", _ZERO) * 7
        + amount.get("days", _ZERO)
        + (months - int(months)) * _DAYS_PER_MONTH
    )
    seconds = (
        amount.get("hours", _ZERO) * 3600
        + amount.get("minutes", _ZERO) * 60
        + amount.get("seconds", _ZERO)
        + (days - int(days)) * _SECONDS_PER_DAY
    )
    whole_seconds = int(seconds)
    nanoseconds = int((seconds - whole_seconds) * 1_000_000_000)
    try:
        return neo4j.time.Duration(
            months=sign * int(months),
            days=sign * int(days),
            seconds=sign * whole_seconds,
            nanoseconds=sign * nanoseconds,
        )
    except (ValueError, OverflowError) as exc:
        raise ValueProblem("expected a duration Neo4j can hold (it is too long)") from exc


def zone_named(name: str) -> tzinfo:
    """An offset (``+02:00``, ``Z``) or an IANA zone (``Europe/Stockholm``)."""
    if re.fullmatch(r"Z|[+-]\d{2}(?::?\d{2})?", name, re.ASCII | re.IGNORECASE):
        return _offset(name)
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ValueProblem(f"expected a known time zone, {name!r} is not one") from exc


def zone_default(options: dict[str, str], column_type: str) -> tzinfo:
    """The ``{timezone:…}`` default of a time or datetime column, else UTC."""
    name = options.get("timezone")
    if name is None:
        return UTC
    zone = zone_named(name)
    if column_type == "time" and not isinstance(zone, timezone):
        raise ValueProblem(f"a time column takes an offset such as +02:00, not the zone {name!r}")
    return zone


def converter(column_type: str, options: dict[str, str]) -> Callable[[str], Any]:
    """The parser for one temporal column type, with the column's ``{timezone:…}`` bound."""
    if column_type == "time":
        time_zone = zone_default(options, "time")
        return lambda text: parse_time(text, time_zone)
    if column_type == "datetime":
        datetime_zone = zone_default(options, "datetime")
        return lambda text: parse_datetime(text, datetime_zone)
    parsers: dict[str, Callable[[str], Any]] = {
        "date": parse_date,
        "localtime": parse_local_time,
        "localdatetime": parse_local_datetime,
        "duration": parse_duration,
    }
    return parsers[column_type]


# --- building values -------------------------------------------------------------------------


def _offset(text: str) -> timezone:
    if text.upper() == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 18 or minutes > 59:
        raise ValueProblem(f"expected an offset between -18:00 and +18:00, got {text!r}")
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if text[0] == "-" else delta)


def _date_from(match: re.Match[str]) -> date:
    group = match.groupdict()
    year = int(group["year"])
    try:
        if group["week"] or group["cweek"]:
            week = int(group["week"] or group["cweek"])
            weekday = int(group["weekday"] or group["cweekday"] or 1)
            return date.fromisocalendar(year, week, weekday)
        if group["quarter"] or group["cquarter"]:
            quarter = int(group["quarter"] or group["cquarter"])
            quarter_day = int(group["quarter_day"] or group["cquarter_day"] or 1)
            if not 1 <= quarter <= 4 or quarter_day < 1:
                raise ValueError("no such quarter or day")
            first = date(year, 3 * quarter - 2, 1)
            value = first + timedelta(days=quarter_day - 1)
            if (value.month - 1) // 3 + 1 != quarter:
                raise ValueError("past the end of the quarter")
            return value
        if group["ordinal"] or group["cordinal"]:
            ordinal = int(group["ordinal"] or group["cordinal"])
            if not 1 <= ordinal <= (366 if _is_leap(year) else 365):
                raise ValueError("no such day of the year")
            return date(year, 1, 1) + timedelta(days=ordinal - 1)
        month = int(group["month"] or group["cmonth"] or group["cmonth_only"] or 1)
        day = int(group["day"] or group["cday"] or 1)
        return date(year, month, day)
    except (ValueError, OverflowError) as exc:
        raise ValueProblem(f"expected a date that exists ({exc})") from exc


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _clock(match: re.Match[str]) -> tuple[int, int, int, int]:
    """Hour, minute, second and nanosecond of a matched time."""
    hour = int(match["hour"] or 0)
    minute = int(match["minute"] or 0)
    second = int(match["second"] or 0)
    nanosecond = int((match["fraction"] or "").ljust(9, "0"))
    if hour > 23 or minute > 59 or second > 59:
        raise ValueProblem("expected a time of day that exists (hours 0-23, minutes 0-59)")
    return hour, minute, second, nanosecond


def _time_from(match: re.Match[str], zone: tzinfo | None) -> TimeValue:
    hour, minute, second, nanosecond = _clock(match)
    if nanosecond % 1000:
        return neo4j.time.Time(hour, minute, second, nanosecond, tzinfo=zone)
    return time(hour, minute, second, nanosecond // 1000, tzinfo=zone)


def _datetime_from(match: re.Match[str], zone: tzinfo | None) -> DateTimeValue:
    day = _date_from(match)
    hour, minute, second, nanosecond = _clock(match)
    if nanosecond % 1000 == 0:
        return datetime(
            day.year, day.month, day.day, hour, minute, second, nanosecond // 1000, tzinfo=zone
        )
    exact = neo4j.time.DateTime(day.year, day.month, day.day, hour, minute, second, nanosecond)
    if zone is None or isinstance(zone, timezone):
        return exact.replace(tzinfo=zone)
    # neo4j.time.DateTime crashes the interpreter with a zoneinfo zone (driver 6.4.1), so
    # nanosecond values in a named zone go through pytz, which the driver depends on.
    import pytz

    return pytz.timezone(str(zone)).localize(exact)
