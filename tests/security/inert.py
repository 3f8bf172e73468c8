"""What "inert" means in the security tests, as checks with their reasons.

- ``ACTIVE`` finds active markup in raw bytes: a ``<script`` tag, a ``javascript:``/``vbscript:``
  URL, or an ``on*=`` handler inside a tag.
- ``html_problems`` audits an HTML fragment against the allow-list of ``normalizers.text``:
  allowed tags only, ``a`` with ``href``/``title``/``rel`` only, hrefs http(s)/mailto only.
- ``text_problems`` checks a plain-text value: no tag at all (so no ``<script``, no handler),
  so even a consumer that pastes it into a page as HTML creates no element.
- ``url_problems`` checks a URL value: absolute http(s), no script scheme anywhere.
- ``walk_json`` applies the three by key to any decoded JSON document.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tim.normalizers.text import ALLOWED_TAGS, LINK_REL

ACTIVE = re.compile(rb"<script|javascript:|vbscript:|<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
_TAG = re.compile(r"<[a-zA-Z!/?]")
_SCRIPT_URL = re.compile(r"(?:java|vb)script:|^\s*data:", re.IGNORECASE)
HTML_KEYS = frozenset({"description_html", "content_html"})
URL_KEYS = frozenset({"url", "image", "href", "external_url", "banner_image", "home_page_url", "feed_url",
                      "next_page_url", "next"})


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if tag != "a" or name not in {"href", "title", "rel"}:
                self.problems.append(f"attribute {tag}[{name}]")
            elif name == "rel" and value != LINK_REL:
                self.problems.append(f"rel {value!r}")
            elif name == "href" and not re.match(r"^(https?://[^\s/]|mailto:)", value or ""):
                self.problems.append(f"href {value!r}")


def html_problems(fragment: str) -> list[str]:
    audit = _Audit()
    audit.feed(fragment)
    audit.close()
    return audit.problems


def text_problems(value: str) -> list[str]:
    """A text value, even pasted into a page as HTML (innerHTML), creates no element."""
    out = []
    if _TAG.search(value):
        out.append(f"markup in text {value[:120]!r}")
    if re.search(r"(?:java|vb)script:", value, re.IGNORECASE):
        out.append(f"script URL in text {value[:120]!r}")
    return out


def url_problems(value: str) -> list[str]:
    if not re.match(r"^https?://[^\s/<>\"]", value) or _SCRIPT_URL.search(value) or "<" in value:
        return [f"unsafe URL {value[:120]!r}"]
    return []


def walk_json(doc, key: str | None = None) -> list[str]:
    """Problems anywhere in a decoded JSON document (HTML, URL and text values told by key)."""
    if isinstance(doc, dict):
        return [p for k, v in doc.items() for p in walk_json(v, k)]
    if isinstance(doc, list):
        return [p for v in doc for p in walk_json(v, key)]
    if not isinstance(doc, str):
        return []
    if key in HTML_KEYS:
        return [f"{key}: {p}" for p in html_problems(doc)]
    if key in URL_KEYS:
        return [f"{key}: {p}" for p in url_problems(doc)]
    if key == "provenance" or key == "bundled":
        return []  # JSON inside a string: decoded and walked by the caller
    return [f"{key}: {p}" for p in text_problems(doc)]


def active_in(body: bytes) -> str | None:
    """The first active fragment in ``body`` (with context), or None."""
    m = ACTIVE.search(body)
    return None if m is None else repr(body[max(0, m.start() - 80):m.end() + 80])


def atom_problems(body: bytes) -> list[str]:
    """Problems in an Atom document: entry titles are text, ``type="html"`` content is audited."""
    from defusedxml.ElementTree import fromstring

    ns = "{http://www.w3.org/2005/Atom}"
    out = []
    for entry in fromstring(body).iter(f"{ns}entry"):
        for el in entry:
            tag, value = el.tag.removeprefix(ns), el.text or ""
            if tag in ("content", "summary") and el.get("type") == "html":
                out += [f"atom {tag}: {p}" for p in html_problems(value)]
            elif tag == "link":
                out += [f"atom link: {p}" for p in url_problems(el.get("href") or "")]
            elif tag in ("title", "summary", "content"):
                out += [f"atom {tag}: {p}" for p in text_problems(value)]
    return out


def ical_problems(body: bytes) -> list[str]:
    """Problems in an iCalendar document: text properties hold no markup, URLs are http(s)."""
    import icalendar

    out = []
    for ev in icalendar.Calendar.from_ical(body).walk("VEVENT"):
        for name in ("SUMMARY", "DESCRIPTION", "LOCATION", "ORGANIZER", "CATEGORIES"):
            if ev.get(name) is not None:
                out += [f"ical {name}: {p}" for p in text_problems(str(ev.get(name)))]
        if ev.get("URL") is not None:
            out += [f"ical URL: {p}" for p in url_problems(str(ev.get("URL")))]
    return out
