"""Trajekt's buurtagenda as iCalendar (``/agenda/agenda.ics``) and an HTML page per activity.

VEVENTs use ``TZID=Europe/Amsterdam`` (with a VTIMEZONE), some UTC (``...Z``) and one whole day
(``VALUE=DATE``); LOCATION and GEO as the content's ``weergave`` says; one weekly RRULE with an
EXDATE. Text is escaped and lines are folded at 75 octets as RFC 5545 requires.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from tim.demo.catalog import TZ, Catalog, Entry
from tim.demo.httputil import conditional
from tim.demo.pages import dutch_when, esc, layout
from tim.demo.web import LocalWeb

ICS_PATH = "/agenda/agenda.ics"
SITE = "Buurtagenda Maastricht"

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Amsterdam
X-LIC-LOCATION:Europe/Amsterdam
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE""".splitlines()


def ical_escape(text: str) -> str:
    """Escape a TEXT value (backslash, semicolon, comma, newline)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold one content line at 75 octets without splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with a space
        if size + n > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += n
    out.append(current)
    return "\r\n ".join(out)


def _local(dt: datetime) -> str:
    return dt.astimezone(TZ).strftime("%Y%m%dT%H%M%S")


def _utc(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: datetime | date, notation: str) -> str:
    if not isinstance(value, datetime):
        return f"{name};VALUE=DATE:{value:%Y%m%d}"
    if notation == "utc":
        return f"{name}:{_utc(value)}"
    return f"{name};TZID=Europe/Amsterdam:{_local(value)}"


def uid_of(e: Entry) -> str:
    return f"{e.key}@buurtagenda.trajekt.nl"


def _location(e: Entry) -> str | None:
    p = e.place
    if e.mode == "geen":
        return e.data.get("locatie_tekst")
    if p is None or e.mode in ("tekst", "buurt"):
        return None
    if e.mode == "straat":
        return p.one_line(e.place_name, postcode=False)
    if e.mode == "postcode":
        return f"{p.postcode_display()} {p.plaats}"
    return p.one_line(e.place_name)


def _vevent(e: Entry, cat: Catalog, base: str) -> list[str]:
    text = e.description_text()
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid_of(e)}",
        f"DTSTAMP:{_utc(cat.generated_at)}",
        _when("DTSTART", e.starts_at, e.notation),
    ]
    if e.ends_at is not None:
        lines.append(_when("DTEND", e.ends_at, e.notation))
    rule = e.data.get("herhaling")
    if rule:
        lines.append(f"RRULE:FREQ={rule['freq']};COUNT={rule['count']}")
        skipped = [
            o for i, o in enumerate(_all_weekly(e, rule["count"])) if i in rule.get("vervalt", [])
        ]
        for s in skipped:
            lines.append(_when("EXDATE", s, e.notation))
        if rule.get("reden"):
            text += "\n" + rule["reden"]
    lines += [f"SUMMARY:{ical_escape(e.title)}", f"DESCRIPTION:{ical_escape(text)}"]
    loc = _location(e)
    if loc:
        lines.append(f"LOCATION:{ical_escape(loc)}")
    if e.place and (e.mode in ("adres+geo", "geo") or e.data.get("geo")):
        lines.append(f"GEO:{e.place.lat:.6f};{e.place.lon:.6f}")
    lines += [
        f"URL:{base}/agenda/activiteit/{e.key}",
        f"ORGANIZER;CN={ical_escape(e.organizer or 'Trajekt')}:mailto:agenda@example.org",
        "CATEGORIES:" + ",".join(ical_escape(c) for c in e.data.get("categorieen", [])),
        "STATUS:CONFIRMED",
        f"LAST-MODIFIED:{_utc(cat.generated_at)}",
        "END:VEVENT",
    ]
    return lines


def _all_weekly(e: Entry, count: int) -> list[datetime]:
    first = e.starts_at
    return [
        datetime.combine(first.date() + timedelta(weeks=i), first.timetz()) for i in range(count)
    ]


def render_ics(cat: Catalog, base: str) -> str:
    meta = cat.meta["agenda"]["kalender"]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Trajekt//Buurtagenda Maastricht 2.4//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_escape(meta['naam'])}",
        f"X-WR-CALDESC:{ical_escape(meta['omschrijving'])}",
        "X-WR-TIMEZONE:Europe/Amsterdam",
        *VTIMEZONE,
    ]
    for e in cat.site("agenda"):
        lines += _vevent(e, cat, base)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _activity_page(e: Entry) -> str:
    where = (
        _location(e) or (e.location_line() or "").removeprefix("Locatie: ") or "Zie beschrijving"
    )
    body = (
        f'<article class="activiteit"><h1>{esc(e.title)}</h1>'
        f'<p class="wanneer">{esc(dutch_when(e.starts_at, e.ends_at))}</p>'
        f'<p class="waar">{esc(where)}</p><div class="beschrijving">{e.description_html()}</div>'
        f'<p><a href="{ICS_PATH}">Zet de hele agenda in je digitale agenda</a></p></article>'
    )
    return layout(
        e.title, body, site=SITE, home="/agenda/", nav=[("Agenda", "/agenda/"), ("iCal", ICS_PATH)]
    )


def register(web: LocalWeb, cat: Catalog, base: str) -> None:
    """Routes: the .ics (conditional GET), an agenda page and a page per activity."""
    ics = render_ics(cat, base)
    web.route(
        ICS_PATH,
        lambda req: conditional(req, ics, "text/calendar; charset=utf-8", cat.generated_at),
    )
    lis = "".join(
        f'<li><a href="/agenda/activiteit/{esc(e.key)}">{esc(e.title)}</a> '
        f"<span>{esc(dutch_when(e.starts_at, e.ends_at))}</span></li>"
        for e in sorted(cat.site("agenda"), key=lambda e: (str(e.starts_at), e.key))
    )
    body = f'<h1>Buurtagenda</h1><p><a href="{ICS_PATH}">iCal-abonnement</a></p><ul>{lis}</ul>'
    web.route("/agenda/", layout("Agenda", body, site=SITE, home="/agenda/"))
    for e in cat.site("agenda"):
        web.route(f"/agenda/activiteit/{e.key}", _activity_page(e))
