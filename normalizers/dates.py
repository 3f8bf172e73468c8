"""Dates and times: anything a source writes -> an aware UTC ``datetime``, or ``None``.

Accepted: ``datetime`` (aware: converted; naive: Europe/Amsterdam), ``date`` (all day: midnight
Europe/Amsterdam), ``time.struct_time`` (feedparser: UTC), epoch seconds or milliseconds (int,
float or digit string), ISO 8601 (extended, basic, week dates, ``Z`` or offsets), RFC 2822 with
an explicit zone, and the forms Dutch sites write:

    12 maart 2026 19:30          zaterdag 14 maart 2026, 10.00 uur     14 mrt. 2026
    12-03-2026                   12/03/2026 19:30                      12.03.2026 om 19u30
    2026/03/12                   do 12 maart 2026 19:30 - 21:00        12 maart 2026 19:30 CET

A time range in one value ("19:30 - 21:00", "van 10.00 tot 16.00 uur") gives an end too
(``parse_datetime_range``). Month and weekday names come from ``data/date_words.csv``.

What is never done: guessing a missing year or day from today's date (``now()`` is never
invented), accepting an impossible date (month 13, 31 February, hour 25), or accepting a moment
outside ``EARLIEST``..``LATEST`` (year 0, epoch 0, huge numbers). All of those give ``None``;
nothing here raises on bad input.
"""

from __future__ import annotations

import math
import re
import time as _time
import unicodedata
import warnings
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_tz
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import parser as _du

from .vocab import load_table

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = timezone.utc
#: Moments outside this window are treated as broken input.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
#: A date string longer than this is cut before it is parsed.
MAX_DATE_CHARS = 200

_ZONE_OFFSETS = {"utc": 0, "gmt": 0, "z": 0, "ut": 0, "cet": 1, "met": 1, "cest": 2, "mest": 2}

_TIME_RE = re.compile(
    r"(?<![\d.:,])(?P<h>\d{1,2})\s?(?:[:.hu])\s?(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?![\d])"
    r"\s*(?P<ap>am|pm|a\.m\.|p\.m\.)?"
    r"|(?<![\d.:,])(?P<h2>\d{1,2})\s*(?P<ap2>uur|u(?![a-z])|h(?![a-z])|am|pm|a\.m\.|p\.m\.)"
)
_RANGE_SEP_RE = re.compile(
    r"^\s*(?:uur)?\s*(?:-|–|—|tot\s+en\s+met|tot|t/m|to|until|till)\s*(?:om\s+)?$"
)
_TZ_RE = re.compile(
    r"^\s*(?:uur\s*)?\(?(?:(?P<name>utc|gmt|ut|z|cet|cest|met|mest)(?![a-z])"
    r"|(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2})(?!\d))"
)
_RFC_ZONE_RE = re.compile(r"(?:[+-]\d{4}|\b(?:gmt|ut|utc|z|[ecmp][sd]t))\s*$")
_RFC_MONTH_RE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")
_ISO_RE = re.compile(r"^\d{4}-?(?:\d{2}-?\d{2}|W\d{2}-?\d?)(?:[T ]\d|$)", re.IGNORECASE)
_NUMBER_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_TIME_ONLY_RE = re.compile(
    r"^\s*(?:om|vanaf|tot|at|from|until|-|–)?\s*"
    r"(?P<h>\d{1,2})(?:\s?[:.hu]\s?(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?\s*"
    r"(?P<ap>uur|u|h|am|pm|a\.m\.|p\.m\.)?\s*$"
)


@lru_cache(maxsize=1)
def _words() -> tuple[dict[str, int], dict[str, int], tuple[str, ...]]:
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    skip: list[str] = []
    for _line, row in load_table("date_words.csv", ("word", "type", "value")):
        word = row["word"].lower()
        if row["type"] == "month":
            months[word] = int(row["value"])
        elif row["type"] == "weekday":
            weekdays[word] = int(row["value"])
        elif row["type"] == "skip":
            skip.append(word)
    return months, weekdays, tuple(skip)


@lru_cache(maxsize=1)
def _date_re() -> re.Pattern[str]:
    months, _weekdays, _skip = _words()
    month = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True))
    return re.compile(
        # 12 maart 2026, 14 mrt. 2026, 1e januari 2026, 12-mrt-2026
        rf"(?<![\d])(?P<ad>\d{{1,2}})(?:ste|de|e|st|nd|rd|th)?[\s\-./]*(?P<am>{month})(?![a-z])"
        rf"\.?(?:[\s,\-./]*(?P<ay>\d{{4}})(?!\d))?"
        # March 12, 2026
        rf"|(?<![a-z])(?P<bm>{month})(?![a-z])\.?\s*(?P<bd>\d{{1,2}})(?:st|nd|rd|th|e)?(?!\d)"
        rf",?\s+(?P<by>\d{{4}})(?!\d)"
        # 12-03-2026, 12/03/2026, 12.03.2026, 12-3-26
        rf"|(?<![\d.:/-])(?P<cd>\d{{1,2}})(?P<cs>[-/.])(?P<cm>\d{{1,2}})(?P=cs)"
        rf"(?P<cy>\d{{4}}|\d{{2}})(?!\d)"
        # 2026/03/12, 2026-3-12
        rf"|(?<![\d.:/-])(?P<dy>\d{{4}})(?P<ds>[-/.])(?P<dm>\d{{1,2}})(?P=ds)"
        rf"(?P<dd>\d{{1,2}})(?!\d)"
    )


# --- public API -------------------------------------------------------------------------------


def parse_datetime(value: Any) -> datetime | None:
    """An aware UTC datetime from a raw value, or ``None`` (see the module docstring)."""
    return parse_datetime_range(value)[0]


def parse_datetime_range(value: Any) -> tuple[datetime | None, datetime | None]:
    """``(start, end)`` from one raw value; ``end`` is set only when the value itself holds a
    range ("12 maart 2026 19:30 - 21:00", "12 maart 2026 t/m 14 maart 2026", ISO ``a/b``)."""
    try:
        if isinstance(value, str):
            return _parse_string(value)
        return _parse_object(value), None
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return None, None


def parse_time_of_day(value: Any) -> time | None:
    """A bare time of day ("21:00", "21.00 uur", "9pm", ``datetime.time``), or ``None``."""
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if not isinstance(value, str):
        return None
    match = _TIME_ONLY_RE.match(_prepare(value))
    if not match or (match.group("mi") is None and not match.group("ap")):
        return None
    parts = _hms(match.group("h"), match.group("mi"), match.group("s"), match.group("ap"))
    if parts is None or parts[0] == 24:
        return None
    return time(*parts)


def at_local_time(day: datetime, moment: time) -> datetime | None:
    """The UTC moment of ``moment`` (Europe/Amsterdam wall time) on ``day``'s local date."""
    local_day = day.astimezone(AMSTERDAM).date()
    return _in_window(datetime.combine(local_day, moment).replace(tzinfo=AMSTERDAM))


def order_range(
    start: datetime | None, end: datetime | None
) -> tuple[datetime | None, datetime | None]:
    """Make ``(start, end)`` sensible: an end before the start on the same local day is taken to
    cross midnight (22:00 - 01:00) and moved one day on; any other end before the start is
    dropped (``None``), because we cannot tell which of the two is wrong and the start is what
    residents act on. An end without a start is kept."""
    if start is None or end is None or end >= start:
        return start, end
    local_start = start.astimezone(AMSTERDAM)
    local_end = end.astimezone(AMSTERDAM)
    if local_end.date() == local_start.date():
        next_day = datetime.combine(
            local_end.date() + timedelta(days=1), local_end.time()
        ).replace(tzinfo=AMSTERDAM).astimezone(UTC)
        if next_day > start and next_day - start <= timedelta(hours=24):
            return start, next_day
    return start, None


# --- objects -----------------------------------------------------------------------------------


def _parse_object(value: Any) -> datetime | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, datetime):
        return _from_datetime(value)
    if isinstance(value, date):
        return _in_window(datetime.combine(value, time(0)).replace(tzinfo=AMSTERDAM))
    if isinstance(value, _time.struct_time) or (
        isinstance(value, tuple) and len(value) == 9 and all(isinstance(v, int) for v in value)
    ):
        year, month, day, hour, minute, second = tuple(value)[:6]
        return _in_window(datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC))
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    return None


def _from_datetime(value: datetime) -> datetime | None:
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        value = value.replace(tzinfo=AMSTERDAM)
    return _in_window(value.astimezone(UTC))


def _from_epoch(seconds: float) -> datetime | None:
    if not math.isfinite(seconds):
        return None
    if abs(seconds) >= 1e11:  # milliseconds (JavaScript)
        seconds /= 1000.0
    if abs(seconds) >= 1e11:
        return None
    return _in_window(datetime.fromtimestamp(seconds, UTC))


def _in_window(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    value = value.astimezone(UTC)
    return value if EARLIEST <= value < LATEST else None


# --- strings -----------------------------------------------------------------------------------


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[:MAX_DATE_CHARS])
    return re.sub(r"\s+", " ", text).strip().lower()


def _parse_string(raw: str) -> tuple[datetime | None, datetime | None]:
    text = _prepare(raw)
    if not text or not any(c.isdigit() for c in text):
        return None, None  # "", "TBA", "nader te bepalen", "n.t.b."
    if _NUMBER_RE.match(text):
        return _parse_number_string(text), None
    if _ISO_RE.match(text):
        iso = _parse_iso(text)
        if iso is not None:
            return iso
    if _RFC_ZONE_RE.search(text) and _RFC_MONTH_RE.search(text) and ":" in text:
        rfc = _parse_rfc2822(text)
        if rfc is not None:
            return rfc, None
    found, result = _parse_human(text)
    if found:
        return result
    return _parse_dateutil(text), None


def _parse_number_string(text: str) -> datetime | None:
    digits = text.lstrip("+")
    if re.fullmatch(r"\d{8}", digits):  # 20260312
        return _local(int(digits[:4]), int(digits[4:6]), int(digits[6:8]), None)
    if re.fullmatch(r"\d{12}|\d{14}", digits):  # 202603121930[00]
        hms = (int(digits[8:10]), int(digits[10:12]), int(digits[12:14] or 0))
        return _local(int(digits[:4]), int(digits[4:6]), int(digits[6:8]), hms)
    if re.fullmatch(r"-?\d{9,13}(?:\.\d+)?", digits):
        return _from_epoch(float(digits))
    return None


def _parse_iso(text: str) -> tuple[datetime | None, datetime | None] | None:
    halves = text.split("/")
    if len(halves) > 2:
        return None
    moments = []
    for half in halves:
        try:
            moments.append(_from_datetime(datetime.fromisoformat(half.strip().upper())))
        except ValueError:
            if len(halves) == 1:
                return None
            moments.append(None)
    if moments[0] is None:
        return (None, None) if len(halves) == 2 else None
    return moments[0], (moments[1] if len(moments) == 2 else None)


def _parse_rfc2822(text: str) -> datetime | None:
    parsed = parsedate_tz(text)
    if parsed is None:
        return None
    offset = parsed[9] or 0
    moment = datetime(*parsed[:5], min(parsed[5], 59), tzinfo=UTC) - timedelta(seconds=offset)
    return _in_window(moment)


def _parse_human(text: str) -> tuple[bool, tuple[datetime | None, datetime | None]]:
    """Dutch/European forms. Returns ``(found a date pattern, (start, end))``."""
    matches = list(_date_re().finditer(text))
    if not matches:
        return False, (None, None)
    first = matches[0]
    start_day, start_year_missing = _match_date(first)
    end_match = None
    end_day = None
    for later in matches[1:]:
        day, _missing = _match_date(later)
        if day is not None:
            end_match, end_day = later, day
            break
    if start_day is None and start_year_missing and end_day is not None:
        # "12 maart - 14 maart 2026": the start borrows the end's year.
        start_day = _borrow_year(first, end_day)
    if start_day is None:
        return True, (None, None)

    segment_end = end_match.start() if end_match else len(text)
    times = _times(text, first.end(), segment_end)
    last_pos = times[-1][1] if times else first.end()
    if times == []:
        times = _times(text, 0, first.start())  # "19:30 uur, 12 maart 2026"
    if times is None:
        return True, (None, None)
    start_time = times[0] if times else None
    end_time = times[1] if len(times) > 1 else None
    end_dt_time = None
    if end_match is not None:
        end_times = _times(text, end_match.end(), len(text))
        if end_times is None:
            return True, (None, None)
        end_dt_time = end_times[0] if end_times else None
        last_pos = end_times[0][1] if end_times else end_match.end()
    zone = _zone(text[last_pos:])
    if zone is _BAD_ZONE:
        return True, (None, None)  # "+25:00": an explicit but impossible zone

    start = _at(start_day, start_time, zone)
    if start is None:
        return True, (None, None)
    end = None
    if end_day is not None:
        end = _at(end_day, end_dt_time, zone)
    elif end_time is not None:
        end = _at(start_day, end_time, zone)
    return True, order_range(start, end)


def _match_date(match: re.Match[str]) -> tuple[date | None, bool]:
    """The date of one pattern match, and whether it lacked only its year."""
    months, _weekdays, _skip = _words()
    g = match.groupdict()
    try:
        if g["am"]:
            if not g["ay"]:
                return None, True
            return date(int(g["ay"]), months[g["am"]], int(g["ad"])), False
        if g["bm"]:
            return date(int(g["by"]), months[g["bm"]], int(g["bd"])), False
        if g["cd"]:
            year_text = g["cy"]
            if len(year_text) == 2:
                if g["cs"] == ".":
                    return None, False  # "19.30.00" is a time, not 19 March 2000
                year = 2000 + int(year_text) if int(year_text) < 70 else 1900 + int(year_text)
            else:
                year = int(year_text)
            return date(year, int(g["cm"]), int(g["cd"])), False
        if g["dy"]:
            return date(int(g["dy"]), int(g["dm"]), int(g["dd"])), False
    except (ValueError, KeyError, OverflowError):
        return None, False
    return None, False


def _borrow_year(match: re.Match[str], end_day: date) -> date | None:
    months, _weekdays, _skip = _words()
    try:
        day = date(end_day.year, months[match.group("am")], int(match.group("ad")))
    except (ValueError, KeyError):
        return None
    if day > end_day:
        try:
            day = day.replace(year=end_day.year - 1)
        except ValueError:
            return None
    return day


def _times(text: str, begin: int, end: int) -> list[tuple[tuple[int, int, int], int]] | None:
    """Up to two times in ``text[begin:end]``: the first, and a second only when a range
    separator ("-", "tot", "t/m") stands between them. Each with the position after it.
    ``None`` when the first time is impossible ("25:00")."""
    found: list[tuple[tuple[int, int, int], int]] = []
    prev_end = None
    for match in _TIME_RE.finditer(text, begin, end):
        g = match.groupdict()
        if g["h"] is not None:
            parts = _hms(g["h"], g["mi"], g["s"], g["ap"])
        else:
            parts = _hms(g["h2"], None, None, g["ap2"])
        if parts is None:
            if found:
                break
            return None  # "25:00": a broken time breaks the whole value
        if found:
            if prev_end is None or not _RANGE_SEP_RE.match(text[prev_end : match.start()]):
                break
            found.append((parts, match.end()))
            break
        found.append((parts, match.end()))
        prev_end = match.end()
    return found


def _hms(h: str, mi: str | None, s: str | None, ap: str | None) -> tuple[int, int, int] | None:
    hour, minute, second = int(h), int(mi or 0), int(s or 0)
    if ap and ap.startswith(("a", "p")):
        if not 1 <= hour <= 12:
            return None
        if ap.startswith("p") and hour != 12:
            hour += 12
        elif ap.startswith("a") and hour == 12:
            hour = 0
    if hour == 24 and minute == 0 and second == 0:
        return 24, 0, 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        return None
    return hour, minute, second


_BAD_ZONE = timezone(timedelta(0), "invalid")


def _zone(text: str) -> tzinfo | None:
    """The zone written right after the date/time, ``None`` when none, ``_BAD_ZONE`` when it is
    impossible."""
    match = _TZ_RE.match(text)
    if not match:
        return None
    if match.group("name"):
        return timezone(timedelta(hours=_ZONE_OFFSETS[match.group("name")]))
    minutes = int(match.group("oh")) * 60 + int(match.group("om"))
    if minutes > 14 * 60 or int(match.group("om")) > 59:
        return _BAD_ZONE
    sign = -1 if match.group("sign") == "-" else 1
    return timezone(sign * timedelta(minutes=minutes))


def _at(
    day: date, moment: tuple[tuple[int, int, int], int] | None, zone: tzinfo | None
) -> datetime | None:
    return _local(day.year, day.month, day.day, moment[0] if moment else None, zone)


def _local(
    year: int, month: int, day: int, hms: tuple[int, int, int] | None, zone: tzinfo | None = None
) -> datetime | None:
    try:
        base = date(year, month, day)
        hour, minute, second = hms or (0, 0, 0)
        if hour == 24:
            base, hour = base + timedelta(days=1), 0
        moment = datetime(base.year, base.month, base.day, hour, minute, second)
    except (ValueError, OverflowError):
        return None
    return _in_window(moment.replace(tzinfo=zone or AMSTERDAM))


@lru_cache(maxsize=1)
def _parserinfo() -> _du.parserinfo:
    months, weekdays, skip = _words()
    by_month: list[list[str]] = [[] for _ in range(12)]
    for word, number in months.items():
        by_month[number - 1].append(word)
    by_weekday: list[list[str]] = [[] for _ in range(7)]
    for word, number in weekdays.items():
        by_weekday[number].append(word)
    info_class = type(
        "DutchParserInfo",
        (_du.parserinfo,),
        {
            "MONTHS": [tuple(words) for words in by_month],
            "WEEKDAYS": [tuple(words) for words in by_weekday],
            "JUMP": list(_du.parserinfo.JUMP) + list(skip),
        },
    )
    return info_class(dayfirst=True)


def _parse_dateutil(text: str) -> datetime | None:
    """Last resort. Parsed twice with two different defaults: if the results differ, a part
    of the date was missing and dateutil filled it in, so the answer is ``None``."""
    zones = {name.upper(): hours * 3600 for name, hours in _ZONE_OFFSETS.items()}
    results = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for default in (datetime(2001, 1, 1), datetime(2002, 2, 2)):
            try:
                results.append(
                    _du.parse(text, parserinfo=_parserinfo(), default=default, tzinfos=zones)
                )
            except (ValueError, OverflowError, TypeError, ArithmeticError):
                return None
    if results[0] != results[1]:
        return None
    return _from_datetime(results[0])
