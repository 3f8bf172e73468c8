"""Bounding recurrence expansion before recurring-ical-events does it.

dateutil walks a rule from DTSTART, so a ``FREQ=SECONDLY`` rule from years ago costs tens of
millions of steps before the first occurrence inside any window. :func:`estimated_steps` gives
an upper estimate of those steps from the rule itself, so a too-dense series can be refused
before it is expanded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

_PERIOD = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600, "DAILY": 86400, "WEEKLY": 604800,
           "MONTHLY": 28 * 86400, "YEARLY": 365 * 86400}
#: The unit each BY-part selects, as a period in seconds; a part finer than FREQ multiplies.
_BY_UNIT = {"BYSECOND": 1, "BYMINUTE": 60, "BYHOUR": 3600, "BYDAY": 86400, "BYMONTHDAY": 86400,
            "BYYEARDAY": 86400, "BYWEEKNO": 604800, "BYMONTH": 28 * 86400}


def _aware(value: date | datetime) -> datetime:
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def estimated_steps(rrule: dict, dtstart: date | datetime, until: datetime) -> int:
    """Upper estimate of the rule steps from ``dtstart`` to ``until`` (or the rule's own end)."""
    freq = (rrule.get("FREQ") or ["DAILY"])[0]
    period = _PERIOD.get(str(freq).upper(), 1)
    interval = max(1, int((rrule.get("INTERVAL") or [1])[0]))
    end = _aware(until)
    if rrule.get("UNTIL"):
        end = min(end, _aware(rrule["UNTIL"][0]))
    span = max(0.0, (end - _aware(dtstart)).total_seconds())
    steps = span / (period * interval) + 1
    for part, unit in _BY_UNIT.items():
        if unit < period and rrule.get(part):
            steps *= len(rrule[part])
    if rrule.get("COUNT"):
        steps = min(steps, int(rrule["COUNT"][0]))
    return int(steps)
