"""``[scheduler]``: how ``tim run`` schedules sources, isolates their runs and shuts down."""

from __future__ import annotations

from pydantic import Field, PositiveInt

from .base import ConfigModel


class SchedulerSettings(ConfigModel):
    """Settings of the long-running scheduler."""

    max_concurrent_runs: int = Field(default=2, ge=1)
    """Global cap on source runs at the same time (the size of the scheduler's worker pool)."""
    jitter_seconds: int = Field(default=300, ge=0)
    """Random delay, 0 up to this many seconds, added to each trigger so sources do not fire together."""
    run_deadline_seconds: int = Field(default=1800, ge=1)
    """Hard deadline of one source run; a run over it is killed and recorded as failed."""
    deadlines: dict[str, PositiveInt] = Field(default_factory=dict)
    """Per-source override of ``run_deadline_seconds``: ``source-id = seconds``."""
    misfire_grace_seconds: int = Field(default=3600, ge=1)
    """A run late by less than this still runs (late runs are coalesced into one); a later one is
    logged as missed and the source waits for its next trigger."""
    shutdown_grace_seconds: int = Field(default=60, ge=0)
    """On SIGTERM / Ctrl-C, seconds the running source runs get to finish before they are stopped
    (a stopped run writes nothing: its transaction is rolled back) and recorded as interrupted."""
    expire_after_missing_runs: int = Field(default=2, ge=1)
    """An item missing from this many consecutive complete runs of its source is expired."""

    def deadline_for(self, source_id: str) -> int:
        """The hard deadline in seconds of one run of ``source_id``."""
        return self.deadlines.get(source_id, self.run_deadline_seconds)


_DOW_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _crontab_days(part: str) -> list[str]:
    """One comma part of a crontab day-of-week field (0 or 7 = Sunday) as day names."""
    body, _, step_text = part.partition("/")
    step = int(step_text) if step_text else 1
    if body == "*":
        first, last = 0, 6
    elif "-" in body:
        a, b = body.split("-", 1)
        first, last = _dow_number(a), _dow_number(b)
    else:
        first = last = _dow_number(body)
        if step_text:
            last = 6
    if step < 1 or first > last:
        raise ValueError(f"day-of-week {part!r} is not a valid crontab range")
    return [_DOW_NAMES[n] for n in range(first, last + 1, step)]


def _dow_number(text: str) -> int:
    text = text.strip().lower()
    if text[:3] in _DOW_NAMES:
        return _DOW_NAMES.index(text[:3])
    n = int(text)
    if not 0 <= n <= 7:
        raise ValueError(f"day-of-week {text!r} is out of range 0-7")
    return n


def cron_trigger_fields(cron: str) -> list[dict[str, str]]:
    """A 5-field crontab expression as APScheduler 3 ``CronTrigger`` keyword sets, with crontab's
    meaning kept where APScheduler 3 differs: weekday numbers (crontab 0/7 = Sunday; APScheduler
    0 = Monday) are passed as names, and a restricted day-of-month *and* day-of-week fire on
    either (crontab) rather than both (APScheduler), as two triggers to combine with OR."""
    minute, hour, day, month, dow = cron.split()
    if dow != "*":
        names = [n for part in dow.split(",") for n in _crontab_days(part)]
        dow = ",".join(dict.fromkeys(names))
    base = {"minute": minute, "hour": hour, "month": month}
    if day != "*" and dow != "*":
        return [{**base, "day": day, "day_of_week": "*"}, {**base, "day": "*", "day_of_week": dow}]
    return [{**base, "day": day, "day_of_week": dow}]
