"""Trigger arithmetic on fixed datetimes (issue #6): intervals and cron honoured in
Europe/Amsterdam, jitter bounded, first runs placed from the last stored run."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from tim.config.schedule import parse_schedule
from tim.scheduler.triggers import TZ, build_trigger, describe, first_run_time

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=TZ)


def test_interval_fires_every_interval_from_the_previous_fire():
    trigger = build_trigger(parse_schedule("every 6h"), 0, start=T0)
    assert trigger.get_next_fire_time(None, T0 - timedelta(hours=1)) == T0
    fires = [T0]
    for _ in range(4):
        fires.append(trigger.get_next_fire_time(fires[-1], fires[-1]))
    assert [b - a for a, b in itertools.pairwise(fires)] == [timedelta(hours=6)] * 4


def test_interval_after_downtime_resumes_on_its_grid():
    trigger = build_trigger(parse_schedule("every 30m"), 0, start=T0)
    now = T0 + timedelta(hours=2, minutes=10)
    assert trigger.get_next_fire_time(None, now) == T0 + timedelta(hours=2, minutes=30)


def test_cron_follows_amsterdam_wall_clock_across_dst():
    # 2025-03-30: clocks go from 02:00 to 03:00 CET -> CEST; 06:00 stays 06:00 local.
    trigger = build_trigger(parse_schedule("0 6 * * *"), 0)
    before = datetime(2025, 3, 29, 7, 0, tzinfo=TZ)
    first = trigger.get_next_fire_time(None, before)
    second = trigger.get_next_fire_time(first, first)
    assert (first.hour, first.day, second.hour, second.day) == (6, 30, 6, 31)
    assert first.astimezone(UTC).hour == 4 and second.astimezone(UTC).hour == 4  # CEST = UTC+2
    assert trigger.get_next_fire_time(None, datetime(2025, 1, 15, 5, 0, tzinfo=UTC)).astimezone(UTC).hour == 5


def test_cron_every_six_hours_and_weekdays():
    trigger = build_trigger(parse_schedule("15 */6 * * 1-5"), 0)
    friday_evening = datetime(2025, 3, 14, 19, 0, tzinfo=TZ)
    nxt = trigger.get_next_fire_time(None, friday_evening)
    assert nxt == datetime(2025, 3, 17, 0, 15, tzinfo=TZ)  # Monday 00:15, not the weekend


@pytest.mark.parametrize("schedule", ["every 1h", "0 */2 * * *"])
def test_jitter_is_bounded_and_really_random(schedule):
    parsed = parse_schedule(schedule)
    plain = build_trigger(parsed, 0, start=T0)
    jittered = build_trigger(parsed, 120, start=T0)
    now = T0 - timedelta(minutes=1)
    base = plain.get_next_fire_time(None, now)
    offsets = {(jittered.get_next_fire_time(None, now) - base).total_seconds() for _ in range(300)}
    assert min(offsets) >= 0 and max(offsets) <= 120
    assert len(offsets) > 250 and max(offsets) - min(offsets) > 60  # spread out, not constant


def test_first_run_of_a_new_interval_source_is_now_or_one_interval_after_its_last_run():
    every = parse_schedule("every 6h")
    now = T0.astimezone(UTC)
    assert first_run_time(every, 0, None, now) == now
    assert first_run_time(every, 0, now - timedelta(hours=2), now) == now + timedelta(hours=4)
    assert first_run_time(every, 0, now - timedelta(days=3), now) == now  # overdue: at once
    for _ in range(50):
        assert now <= first_run_time(every, 60, None, now) <= now + timedelta(seconds=60)


def test_first_run_of_a_cron_source_waits_for_its_cron_time():
    nightly = parse_schedule("0 3 * * *")
    assert first_run_time(nightly, 0, None, T0) == datetime(2025, 3, 11, 3, 0, tzinfo=TZ)


def test_fingerprint_changes_with_schedule_and_jitter():
    a = describe(parse_schedule("every 6h"), 300)
    assert a == describe(parse_schedule("every 360m"), 300)
    assert a != describe(parse_schedule("every 3h"), 300) and a != describe(parse_schedule("every 6h"), 60)


def test_cron_weekday_numbers_mean_what_crontab_means():
    # APScheduler 3 counts weekdays from Monday = 0; crontab from Sunday = 0. "1-5" is Mon-Fri.
    sunday = build_trigger(parse_schedule("0 9 * * 0"), 0)
    assert sunday.get_next_fire_time(None, T0).weekday() == 6  # T0 is a Monday
    every_other = build_trigger(parse_schedule("0 9 * * */2"), 0)  # Sun, Tue, Thu, Sat
    fire, days = T0, []
    for _ in range(4):
        fire = every_other.get_next_fire_time(fire, fire + timedelta(seconds=1))
        days.append(fire.strftime("%a"))
    assert days == ["Tue", "Thu", "Sat", "Sun"]


def test_cron_day_of_month_or_weekday_like_crontab():
    # crontab: "0 8 1 * 1" runs on the 1st of the month AND on every Monday.
    trigger = build_trigger(parse_schedule("0 8 1 * 1"), 0)
    fire, got = datetime(2025, 3, 25, 12, 0, tzinfo=TZ), []  # a Tuesday
    for _ in range(3):
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
        got.append(fire.date().isoformat())
    assert got == ["2025-03-31", "2025-04-01", "2025-04-07"]
