"""A source's ``schedule`` as an APScheduler trigger, in Europe/Amsterdam, with a bounded jitter.

``"every 6h"`` becomes an ``IntervalTrigger``: each gap between two runs is the interval plus
0..jitter seconds (APScheduler adds the jitter to the previous, jittered, fire time, so fire
times drift later by jitter/2 per run on average; gaps stay within [interval, interval+jitter]).
A cron expression becomes a ``CronTrigger``: each run is 0..jitter seconds after its cron time.
Cron keeps crontab's meaning (``config.scheduler.cron_trigger_fields``): weekday 0 and 7 are
Sunday, 1 is Monday, and a restricted day-of-month and day-of-week fire on either.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from tim.config.schedule import Schedule
from tim.config.scheduler import cron_trigger_fields

TZ = ZoneInfo("Europe/Amsterdam")


def build_trigger(schedule: Schedule, jitter_seconds: int = 0, *, start: datetime | None = None) -> BaseTrigger:
    """The trigger of ``schedule``; ``start`` anchors an interval (default: now + interval)."""
    jitter = jitter_seconds or None
    if schedule.interval_seconds:
        return IntervalTrigger(seconds=schedule.interval_seconds, start_date=start, timezone=TZ, jitter=jitter)
    fields = cron_trigger_fields(schedule.cron)
    if len(fields) == 1:
        return CronTrigger(**fields[0], timezone=TZ, jitter=jitter)
    return OrTrigger([CronTrigger(**f, timezone=TZ) for f in fields], jitter=jitter)


def first_run_time(schedule: Schedule, jitter_seconds: int, last_started: datetime | None,
                   now: datetime) -> datetime:
    """When a newly scheduled source first runs.

    An interval source runs one interval after its last stored run, or at once (plus jitter)
    when it never ran or is overdue; a cron source waits for its next cron time (plus jitter).
    """
    jitter = timedelta(seconds=random.uniform(0, jitter_seconds)) if jitter_seconds else timedelta(0)
    if schedule.interval_seconds:
        due = now if last_started is None else max(now, last_started + timedelta(seconds=schedule.interval_seconds))
        return (due + jitter).astimezone(TZ)
    return build_trigger(schedule, jitter_seconds).get_next_fire_time(None, now)


def describe(schedule: Schedule, jitter_seconds: int) -> str:
    """A fingerprint of what the trigger is built from; a stored job with another one is rescheduled."""
    return f"{schedule} jitter={jitter_seconds}s"
