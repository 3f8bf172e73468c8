"""Parsing of a source's ``schedule``: ``"every 6h"`` / ``"every 30m"`` / ``"every 1d"`` or a
5-field cron expression (``"0 */6 * * *"``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_EVERY = re.compile(r"^\s*every\s+(\d+)\s*(s|sec|m|min|h|hour|hours|d|day|days|w|week|weeks)\s*$", re.I)
_UNIT = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "hours": 3600,
         "d": 86400, "day": 86400, "days": 86400, "w": 604800, "week": 604800, "weeks": 604800}
_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d|w)\s*$", re.I)


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule: either an interval in seconds or a cron expression."""

    interval_seconds: int | None = None
    cron: str | None = None

    def __str__(self) -> str:
        return f"every {self.interval_seconds}s" if self.interval_seconds else f"cron {self.cron}"


def parse_schedule(text: str) -> Schedule:
    """Parse ``"every 6h"`` or a 5-field cron expression; raise ``ValueError`` otherwise."""
    m = _EVERY.match(text)
    if m:
        seconds = int(m.group(1)) * _UNIT[m.group(2).lower()]
        if seconds < 60:
            raise ValueError(f"schedule {text!r} is more often than once a minute")
        return Schedule(interval_seconds=seconds)
    fields = text.split()
    if len(fields) == 5:
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(text, timezone="Europe/Amsterdam")
        except ValueError as exc:
            raise ValueError(f"schedule {text!r} is not a valid cron expression: {exc}") from exc
        return Schedule(cron=text)
    raise ValueError(f"schedule {text!r}: use 'every <n>m|h|d' or a 5-field cron expression")


def parse_duration(text: str) -> int:
    """Parse ``"36h"`` / ``"7d"`` into seconds; raise ``ValueError`` otherwise."""
    m = _DURATION.match(text)
    if not m:
        raise ValueError(f"duration {text!r}: use <n>s|m|h|d|w, e.g. '7d'")
    return int(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[m.group(2).lower()]
