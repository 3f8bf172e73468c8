"""Spec checks of the feed formats (feedparser, icalendar, jsonschema with schemas written from the
specs) and the "nothing active survives" check of issue 8."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import icalendar
import jsonschema

SCHEMAS = Path(__file__).parent / "schemas"
_FORMAT = jsonschema.FormatChecker()


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def check_atom(body: bytes):
    """feedparser reads it as Atom 1.0 without a bozo flag."""
    d = feedparser.parse(body)
    assert not d.bozo, d.get("bozo_exception")
    assert d.version == "atom10"
    return d


def check_jsonfeed(body: bytes) -> dict:
    doc = json.loads(body)
    jsonschema.validate(doc, _schema("jsonfeed-1.1.schema.json"), format_checker=_FORMAT)
    return doc


def check_geojson(body: bytes) -> dict:
    doc = json.loads(body)
    jsonschema.validate(doc, _schema("geojson.schema.json"), format_checker=_FORMAT)
    return doc


def check_ics(body: bytes) -> list:
    """icalendar parses it; every VEVENT has UID, DTSTAMP and DTSTART (RFC 5545 3.6.1)."""
    cal = icalendar.Calendar.from_ical(body)
    assert cal.get("VERSION") == "2.0" and cal.get("PRODID")
    events = list(cal.walk("VEVENT"))
    for ev in events:
        assert ev.get("UID") and ev.get("DTSTAMP") and ev.get("DTSTART")
    return events


class _Active(HTMLParser):
    """Collects anything active in an HTML fragment: script-like tags, on* handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "svg", "style"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if value and re.match(r"\s*(javascript|data|vbscript):", value, re.IGNORECASE):
                self.found.append(f"{tag}[{name}={value}]")


def active_html(fragment: str) -> list[str]:
    p = _Active()
    p.feed(fragment)
    return p.found


ACTIVE = re.compile(rb"<script|javascript:|\bon[a-z]+\s*=|alert\(", re.IGNORECASE)


def assert_inert(body: bytes, what: str) -> None:
    """No ``<script``, ``on*=`` handler, ``javascript:`` URL (nor the payloads' ``alert(``) in ``body``."""
    m = ACTIVE.search(body)
    assert m is None, f"{what}: found {m.group(0)!r} near {body[max(0, m.start() - 80):m.end() + 80]!r}"
