"""Dates of Persian news: Jalali and Gregorian, Persian or Latin digits, and dates hidden in URLs.

Jalali is the calendar people read, Gregorian the one machines store; conversions go through
jdatetime. The main entry points:

- ``parse_date(text)`` -> ``ParsedDate`` or ``None``: ``1394/02/10 - 10:30``, ``۱۳۹۴-۰۲-۱۰``,
  ``2015-04-30T10:30``, ``۱۰ اردیبهشت ۱۳۹۴``, ``30 April 2015``...
- ``date_from_url(url)`` -> ``ParsedDate`` or ``None`` (Fars news numbers, ``/YYYY/MM/DD/`` paths;
  rules in ``data/loader/url_dates.csv``).
- ``to_jalali(ts)`` -> ``'YYYY-MM-DD'``; ``jalali_dates(series)``; ``jalali_month_name(m)``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

import jdatetime

from analysis._core.persian import latin_digits
from analysis._core.resources import read_rows


#: years below this are read as Jalali (Solar Hijri), the others as Gregorian
JALALI_YEAR_LIMIT = 1700
#: a day as a user types it: YYYY-MM-DD (or / or .), either calendar
_DAY = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*$")


class ParsedDate(NamedTuple):
    """A calendar date (and time when known) in both calendars (a named tuple: a loader makes one
    an article, and a tuple is made several times faster than a frozen dataclass)."""

    gregorian: datetime  # naive; midnight when the time is unknown
    jalali: str  # YYYY-MM-DD
    has_time: bool = False

    @property
    def timestamp(self) -> pd.Timestamp:
        import pandas as pd

        return pd.Timestamp(self.gregorian)


def make_date(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
              *, calendar: str | None = None, has_time: bool = False) -> ParsedDate | None:
    """Validate a date given in either calendar; ``None`` if it does not exist.

    ``calendar`` is 'jalali' or 'gregorian'; by default years below 1700 are Jalali.
    """
    if calendar is None:
        calendar = "jalali" if year < JALALI_YEAR_LIMIT else "gregorian"
    if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60):
        return None
    day_parts = _convert_day(calendar, year, month, day)
    if day_parts is None:
        return None
    greg, jalali = day_parts
    return ParsedDate(datetime(greg.year, greg.month, greg.day, hour, minute, second), jalali, has_time)


@lru_cache(maxsize=65536)
def _convert_day(calendar: str, year: int, month: int, day: int) -> tuple[date, str] | None:
    """(Gregorian date, Jalali 'YYYY-MM-DD') of a day in either calendar; None if it does not exist."""
    try:
        if calendar == "jalali":
            greg = jdatetime.date(year, month, day).togregorian()
            jalali = f"{year:04d}-{month:02d}-{day:02d}"
        else:
            greg = date(year, month, day)
            j = jdatetime.date.fromgregorian(date=greg)
            jalali = f"{j.year:04d}-{j.month:02d}-{j.day:02d}"
    except (ValueError, OverflowError):
        return None
    if not 1900 <= greg.year <= 2200:  # outside what a news corpus can hold: a misread number
        return None
    return greg, jalali


@lru_cache(maxsize=1)
def _month_numbers() -> dict[str, tuple[str, int]]:
    return {name.casefold(): (cal, int(month)) for cal, month, name in read_rows("loader/months.csv")}


_TIME = r"(?:[\sT\-–,،]+(?:ساعت\s*)?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
_NUMERIC_YMD = re.compile(r"(?P<y>\d{4})\s*[/\-.]\s*(?P<m>\d{1,2})\s*[/\-.]\s*(?P<d>\d{1,2})(?!\d)" + _TIME)
_NUMERIC_DMY = re.compile(r"(?<!\d)(?P<d>\d{1,2})\s*[/\-.]\s*(?P<m>\d{1,2})\s*[/\-.]\s*(?P<y>\d{4})" + _TIME)
_WORDS_DMY = re.compile(r"(?<!\d)(?P<d>\d{1,2})\s+(?P<name>[^\W\d_]+)\s+(?P<y>\d{4})" + _TIME)
_TIME_FIRST = re.compile(r"^\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?[\s\-–,،]+")


@lru_cache(maxsize=8192)  # bounded: date lines with a time are mostly distinct (the days are cached below)
def parse_date(text: str) -> ParsedDate | None:
    """The first date in ``text`` (Jalali or Gregorian, any digits), or ``None``.

    Understands ``Y/M/D``, ``Y-M-D``, ``D/M/Y`` with an optional ``HH:MM[:SS]`` after it (or before
    it), ISO timestamps and ``D <month name> Y`` with Persian or English month names. Years below
    1700 are Jalali. Impossible dates (1394/13/40) give ``None``. Memoised: a corpus repeats its
    date strings.
    """
    if not text:
        return None
    text = str(text)  # ``\d`` and ``int`` read Persian and Arabic-Indic digits as they are
    time_first = None  # a clock before the date, looked for only when the date has none after it
    for pattern in (_NUMERIC_YMD, _WORDS_DMY, _NUMERIC_DMY):
        found = pattern.search(text)
        if not found:
            continue
        calendar = None
        year, day, hour, minute, second = found.group("y", "d", "H", "M", "S")
        if pattern is _WORDS_DMY:
            named = _month_numbers().get(found["name"].casefold())
            if named is None:
                continue
            calendar, month = named
        else:
            month = int(found["m"])
        has_clock = bool(hour)
        if not has_clock:  # no clock after the date: one before it?
            if time_first is None:
                time_first = _TIME_FIRST.match(text) or False
            has_clock = bool(time_first)
            hour, minute, second = time_first.group("H", "M", "S") if time_first else (0, 0, 0)
        hour, minute, second = int(hour), int(minute), int(second or 0)
        has_time = has_clock and hour < 24 and minute < 60 and second < 60
        if not has_time:
            hour = minute = second = 0
        parsed = make_date(int(year), month, int(day), hour, minute, second,
                           calendar=calendar, has_time=has_time)
        if parsed is not None:
            return parsed
    return None


def parse_date_value(value) -> ParsedDate | None:
    """A date from a record field: a string, a datetime/Timestamp, or epoch seconds/milliseconds."""
    if value is None:
        return None
    if isinstance(value, str):  # the common case, without pandas (the loader's workers)
        return parse_date(value)
    if isinstance(value, ParsedDate):
        return value
    import pandas as pd

    if value is pd.NaT:
        return None
    if isinstance(value, (datetime, date)) and not isinstance(value, pd.Timestamp | datetime):
        value = datetime(value.year, value.month, value.day)
    if isinstance(value, pd.Timestamp | datetime):
        ts = pd.Timestamp(value)
        if ts is pd.NaT:
            return None
        if ts.tzinfo is not None:
            ts = ts.tz_convert("UTC").tz_localize(None)
        has_time = (ts.hour, ts.minute, ts.second) != (0, 0, 0)
        return make_date(ts.year, ts.month, ts.day, ts.hour, ts.minute, ts.second,
                         calendar="gregorian", has_time=has_time)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if value != value or value <= 0:  # NaN or nonsense
            return None
        seconds = value / 1000 if value > 1e11 else value
        try:
            ts = pd.Timestamp(seconds, unit="s")
        except (ValueError, OverflowError):
            return None
        return parse_date_value(ts.to_pydatetime())
    return parse_date(str(value))


@lru_cache(maxsize=1)
def _url_rules() -> list[tuple[str, re.Pattern, str, str, int]]:
    return [(domain, re.compile(pattern), calendar, century, int(since or 0))
            for domain, pattern, calendar, century, since in read_rows("loader/url_dates.csv")]


def date_from_url(url: str, domain: str | None = None) -> ParsedDate | None:
    """The publication date a URL encodes, or ``None``.

    Fars News numbers: ``/news/8707060255`` is 1387/07/06, ``/news/13911222000865/...`` is
    1391/12/22 (numbers that would date before the agency's founding in 1382 give None); any site: ``/1394/02/10/`` (Jalali) or ``/2015/04/30/`` (Gregorian). ``domain`` is
    the URL's registered domain (computed when not given).
    """
    if not url:
        return None
    if domain is None:
        from analysis.corpus.urls import registered_domain

        domain = registered_domain(url)
    rest = latin_digits(url.split("://", 1)[-1])
    rest = rest[rest.find("/"):] if "/" in rest else ""
    for rule_domain, pattern, calendar, century, since in _url_rules():
        if rule_domain != "*" and rule_domain != domain:
            continue
        found = pattern.search(rest)
        if not found:
            continue
        year = int((century or "") + found["y"])
        if year < since:  # a number of another scheme, not a date
            return None
        parsed = make_date(year, int(found["m"]), int(found["d"]), calendar=calendar)
        if parsed is not None:
            return parsed
    return None


def to_jalali(ts) -> str:
    """``'YYYY-MM-DD'`` Jalali date of a Gregorian timestamp/date ('' for NaT/None)."""
    import pandas as pd

    if ts is None or pd.isna(ts):
        return ""
    ts = pd.Timestamp(ts)
    return _jalali_of_day(ts.year, ts.month, ts.day)


def jalali_dates(timestamps: pd.Series) -> pd.Series:
    """Jalali ``'YYYY-MM-DD'`` strings of a Series of timestamps ('' where NaT), same index."""
    import pandas as pd

    days = pd.to_datetime(timestamps).dt.normalize()
    mapping = {day: to_jalali(day) for day in days.dropna().unique()}
    return days.map(mapping).fillna("").astype("string")


def jalali_parts(ts) -> tuple[int, int, int] | None:
    """(year, month, day) of a Gregorian timestamp in the Jalali calendar, ``None`` for NaT."""
    import pandas as pd

    if ts is None or pd.isna(ts):
        return None
    ts = pd.Timestamp(ts)
    j = jdatetime.date.fromgregorian(year=ts.year, month=ts.month, day=ts.day)
    return j.year, j.month, j.day


def gregorian_from_jalali(year: int, month: int, day: int) -> pd.Timestamp:
    """Gregorian timestamp of a Jalali date (ValueError if it does not exist)."""
    import pandas as pd

    return pd.Timestamp(jdatetime.date(year, month, day).togregorian())


@lru_cache(maxsize=65536)
def _jalali_of_day(year: int, month: int, day: int) -> str:
    j = jdatetime.date.fromgregorian(year=year, month=month, day=day)
    return f"{j.year:04d}-{j.month:02d}-{j.day:02d}"


@lru_cache(maxsize=1)
def _jalali_month_names() -> dict[int, str]:
    names: dict[int, str] = {}
    for cal, month, name in read_rows("loader/months.csv"):
        if cal == "jalali":
            names.setdefault(int(month), name)  # first spelling listed is the standard one
    return names


def jalali_month_name(month: int) -> str:
    """Persian name of a Jalali month (1 = فروردین ... 12 = اسفند)."""
    try:
        return _jalali_month_names()[int(month)]
    except KeyError:
        raise ValueError(f"a Jalali month is 1..12, not {month!r}") from None


def jalali_month_names() -> list[str]:
    """The twelve Jalali month names in order."""
    return [jalali_month_name(m) for m in range(1, 13)]


def parse_day(text: str) -> pd.Timestamp:
    """A day given as Jalali (``1402-01-01``, ``۱۴۰۲/۰۱/۰۱``) or Gregorian ISO (``2023-03-21``).

    Years before 1700 are read as Jalali. Raises ``ValueError`` naming the text when it is no date.
    """
    import pandas as pd

    match = _DAY.match(latin_digits(str(text)))
    if not match:
        raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD, Jalali or Gregorian)")
    year, month, day = (int(part) for part in match.groups())
    try:
        if year < JALALI_YEAR_LIMIT:
            return pd.Timestamp(jdatetime.date(year, month, day).togregorian())
        return pd.Timestamp(year=year, month=month, day=day)
    except ValueError as error:
        raise ValueError(f"not a valid day: {text!r} ({error})") from None
