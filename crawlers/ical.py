"""``ical``: an iCalendar agenda; one record per VEVENT occurrence inside a window.

icalendar parses (TZIDs and VTIMEZONEs honoured: start/end stay aware datetimes, floating times
stay naive, all-day events stay dates); recurring-ical-events expands recurrences, but only
inside :data:`WINDOW_BACK`..:data:`WINDOW_AHEAD` around now, and only series whose rule is not
too dense (``crawlers.recurrence``); each series yields at most :data:`MAX_PER_SERIES`
occurrences. The key of an occurrence of a recurring series is ``UID/<start>``, of a single
event its UID.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import icalendar
import recurring_ical_events

from tim.errors import RecordError, SourceError
from tim.records import RawRecord

from .base import Crawler
from .recurrence import estimated_steps

WINDOW_BACK = timedelta(days=30)
WINDOW_AHEAD = timedelta(days=365)
#: Occurrences taken at most from one series (a weekly activity has ~56 in the window).
MAX_PER_SERIES = 400
#: Rule steps a series may cost at most (an hourly rule from 10 years back is ~90k).
MAX_STEPS_PER_SERIES = 150_000
#: Rule steps the whole calendar may cost at most.
MAX_STEPS_TOTAL = 600_000


def _text(component, name: str) -> str | None:
    value = component.get(name)
    return str(value) if value not in (None, "") else None


def _dt(component, name: str) -> date | datetime | None:
    prop = component.get(name)
    return getattr(prop, "dt", None) if prop is not None else None


def _organizer(component) -> str | None:
    org = component.get("ORGANIZER")
    if org is None:
        return None
    return org.params.get("CN") or str(org).removeprefix("mailto:").removeprefix("MAILTO:")


def _categories(component) -> list[str] | None:
    props = component.get("CATEGORIES")
    if props is None:
        return None
    out: list[str] = []
    for prop in props if isinstance(props, list) else [props]:
        out += [str(c) for c in getattr(prop, "cats", [])]
    return out or None


def event_fields(ev) -> dict:
    """The raw canonical fields of one VEVENT (or occurrence)."""
    fields = {
        "id": _text(ev, "UID"),
        "title": _text(ev, "SUMMARY"),
        "description": _text(ev, "DESCRIPTION"),
        "url": _text(ev, "URL"),
        "starts_at": _dt(ev, "DTSTART"),
        "ends_at": _dt(ev, "DTEND"),
        "address": _text(ev, "LOCATION"),
        "organizer": _organizer(ev),
        "categories": _categories(ev),
        "updated_at": _dt(ev, "LAST-MODIFIED") or _dt(ev, "DTSTAMP"),
    }
    geo = ev.get("GEO")
    if geo is not None:
        fields["lat"], fields["lon"] = geo.latitude, geo.longitude
    return {k: v for k, v in fields.items() if v is not None}


class ICalCrawler(Crawler):
    """One calendar URL (``source.url``), fetched conditionally."""

    kind = "ical"

    def crawl(self) -> Iterator[RawRecord]:
        now = datetime.now(UTC)
        # the window moves daily: an unchanged calendar is still re-expanded once a day
        resp = self.http.fetch(self.source.url, conditional=True, salt=now.date().isoformat())
        if resp.not_modified:
            self.not_modified = True
            return
        try:
            cal = icalendar.Calendar.from_ical(resp.content)
        except ValueError as exc:
            raise SourceError(self.source.id, f"{resp.url}: not an iCalendar file: {exc}") from exc
        start, end = now - WINDOW_BACK, now + WINDOW_AHEAD
        recurring = self._drop_dense_series(cal, end, resp.url)
        try:
            occurrences = recurring_ical_events.of(cal, skip_bad_series=True).between(start, end)
        except Exception as exc:
            raise SourceError(self.source.id, f"{resp.url}: cannot expand events: {exc}") from exc
        per_series: Counter[str] = Counter()
        taken = 0
        for ev in occurrences:
            fields = event_fields(ev)
            uid = fields.get("id") or self._fallback_uid(fields)
            per_series[uid] += 1
            if per_series[uid] > MAX_PER_SERIES or taken >= self.source.max_items:
                self.complete = False
                continue
            key = uid
            if uid in recurring and fields.get("starts_at") is not None:
                key = f"{uid}/{fields['starts_at'].isoformat()}"
            taken += 1
            # the hash covers what was read of the occurrence (serialising the VEVENT back to
            # iCalendar text cost ~1 ms an event, more than the whole rest of its normalising)
            yield self.record(key, fields, resp.url, {"key": key, **fields})

    @staticmethod
    def _fallback_uid(fields: dict) -> str:
        seed = f"{fields.get('title')}|{fields.get('starts_at')}"
        return "nouid-" + hashlib.sha1(seed.encode()).hexdigest()[:16]

    def _drop_dense_series(self, cal: icalendar.Calendar, end: datetime, url: str) -> set[str]:
        """Remove series whose rules would cost too many steps; return the recurring UIDs."""
        recurring: set[str] = set()
        budget = MAX_STEPS_TOTAL
        refused: set[str] = set()
        for ev in cal.walk("VEVENT"):
            uid = _text(ev, "UID") or ""
            rules = ev.get("RRULE")
            if rules is None and ev.get("RDATE") is None and ev.get("RECURRENCE-ID") is None:
                continue
            recurring.add(uid)
            dtstart = _dt(ev, "DTSTART")
            for rule in (rules if isinstance(rules, list) else [rules] if rules else []):
                try:
                    steps = estimated_steps(rule, dtstart, end) if dtstart else 0
                except (TypeError, ValueError, OverflowError):
                    steps = MAX_STEPS_PER_SERIES + 1
                if steps > MAX_STEPS_PER_SERIES or steps > budget:
                    refused.add(uid)
                else:
                    budget -= steps
        if refused:
            for ev in list(cal.subcomponents):
                if ev.name == "VEVENT" and (_text(ev, "UID") or "") in refused:
                    cal.subcomponents.remove(ev)
            for uid in sorted(refused):
                self.errors.append(RecordError(self.source.id, uid, RawRecord.hash_payload(uid),
                                               f"{url}: recurrence too dense to expand; skipped"))
            self.complete = False
        return recurring
