"""Dates in every form a source writes, and every broken one (issue 8: "dates in every broken
form"). Expected values are UTC; Europe/Amsterdam is +01:00 in winter, +02:00 in summer."""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tim.normalizers import order_range, parse_datetime, parse_datetime_range, parse_time_of_day

from .conftest import TESTDATA

UTC = timezone.utc
VALID = json.loads((TESTDATA / "dates_valid.json").read_text(encoding="utf-8"))
BROKEN = [
    "" if line == "<empty>" else line
    for line in (TESTDATA / "dates_broken.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]


@pytest.mark.parametrize(("raw", "start", "end"), VALID, ids=[v[0] for v in VALID])
def test_valid_strings(raw, start, end):
    got_start, got_end = parse_datetime_range(raw)
    assert got_start is not None and got_start.tzinfo is not None
    assert got_start.utcoffset() == timedelta(0)
    assert got_start.isoformat() == start
    assert (got_end.isoformat() if got_end else None) == end


@pytest.mark.parametrize("raw", BROKEN)
def test_broken_strings_give_none(raw):
    assert parse_datetime_range(raw) == (None, None)


BROKEN_OBJECTS = [None, True, False, float("nan"), float("inf"), -1, 0, 10**30, 2026,
                  [2026, 3, 12], {"date": "2026-03-12"}, object(), datetime(1, 1, 1),
                  date(9999, 12, 31), b"2026-03-12"]


# ids by position: repr(object()) holds an address, which differs between xdist workers
@pytest.mark.parametrize(
    "value", BROKEN_OBJECTS, ids=[f"{i}-{type(v).__name__}" for i, v in enumerate(BROKEN_OBJECTS)]
)
def test_broken_objects_give_none(value):
    assert parse_datetime(value) is None


def test_naive_datetime_is_amsterdam_time():
    winter, summer = datetime(2026, 3, 12, 19, 30), datetime(2026, 7, 12, 19, 30)
    assert parse_datetime(winter) == datetime(2026, 3, 12, 18, 30, tzinfo=UTC)
    assert parse_datetime(summer) == datetime(2026, 7, 12, 17, 30, tzinfo=UTC)


def test_aware_datetime_is_converted():
    ny = datetime(2026, 3, 12, 14, 30, tzinfo=ZoneInfo("America/New_York"))
    got = parse_datetime(ny)
    assert got == datetime(2026, 3, 12, 18, 30, tzinfo=UTC) and got.tzinfo is UTC


def test_date_is_local_midnight():
    assert parse_datetime(date(2026, 3, 12)) == datetime(2026, 3, 11, 23, 0, tzinfo=UTC)
    assert parse_datetime(date(2026, 7, 12)) == datetime(2026, 7, 11, 22, 0, tzinfo=UTC)


def test_struct_time_is_utc():
    # feedparser's *_parsed values are UTC struct_time
    parsed = time.strptime("2026-03-12 18:30:00", "%Y-%m-%d %H:%M:%S")
    assert parse_datetime(parsed) == datetime(2026, 3, 12, 18, 30, tzinfo=UTC)
    leap = time.struct_time((2026, 6, 30, 23, 59, 60, 1, 181, 0))
    assert parse_datetime(leap) == datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC)


def test_epoch_seconds_and_milliseconds():
    assert parse_datetime(1773340200) == datetime(2026, 3, 12, 18, 30, tzinfo=UTC)
    assert parse_datetime(1773340200.0) == datetime(2026, 3, 12, 18, 30, tzinfo=UTC)
    assert parse_datetime(1773340200000) == datetime(2026, 3, 12, 18, 30, tzinfo=UTC)


def test_never_invents_today():
    # A missing year, or a time without a day, must not be filled in from the clock.
    for raw in ("12 maart", "19:30", "zaterdag 10.00 uur", "maart 2026", "vandaag 19:30", "morgen"):
        assert parse_datetime(raw) is None, raw


def test_long_input_is_cut_and_cheap():
    started = time.perf_counter()
    assert parse_datetime("12 " * 1_000_000) is None
    long_tail = "12 maart 2026 " + "x" * 10_000_000
    assert parse_datetime(long_tail) == datetime(2026, 3, 11, 23, tzinfo=UTC)
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("21:00", (21, 0)), ("21.00 uur", (21, 0)), ("tot 21u30", (21, 30)), ("9pm", (21, 0)),
     ("9 pm", (21, 0)), ("21", None), ("25:00", None), ("21:75", None), ("", None), (None, None)],
)
def test_time_of_day(raw, expected):
    got = parse_time_of_day(raw)
    assert (None if got is None else (got.hour, got.minute)) == expected


def test_order_range():
    start = datetime(2026, 3, 12, 21, 0, tzinfo=UTC)  # 22:00 local
    # 01:00 local the same day: crosses midnight
    assert order_range(start, datetime(2026, 3, 12, 0, 0, tzinfo=UTC)) == (
        start, datetime(2026, 3, 13, 0, 0, tzinfo=UTC))
    # days before the start: dropped
    assert order_range(start, datetime(2026, 3, 10, 12, tzinfo=UTC)) == (start, None)
    assert order_range(start, start) == (start, start)
    assert order_range(None, start) == (None, start)
    assert order_range(start, None) == (start, None)
