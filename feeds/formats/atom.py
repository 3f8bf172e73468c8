"""Atom 1.0 (RFC 4287) with xml.etree: one entry per bundled item, every source as a link."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from . import FeedMeta, item_time, source_links

ATOM = "http://www.w3.org/2005/Atom"
GEORSS = "http://www.georss.org/georss"
ET.register_namespace("", ATOM)
ET.register_namespace("georss", GEORSS)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _t(value) -> str:
    """Text fit for XML 1.0 (characters XML cannot carry are dropped)."""
    return _NOT_XML.sub("", str(value))


def _rfc3339(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _el(parent, tag: str, text=None, ns: str = ATOM, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ns}}}{tag}", {k: _t(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = _t(text)
    return el


def entry_id(feed_id: str, item_id: str) -> str:
    return feed_id.split(":feed:")[0] + f":item:{item_id}"


def render(items: list[dict], meta: FeedMeta) -> bytes:
    """The Atom document of ``items``."""
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "nl"})
    _el(feed, "id", meta.feed_id)
    _el(feed, "title", meta.title, type="text")
    if meta.description:
        _el(feed, "subtitle", meta.description, type="text")
    _el(feed, "updated", _rfc3339(meta.updated))
    _el(feed, "link", rel="self", type="application/atom+xml", href=meta.self_url)
    _el(feed, "link", rel="alternate", href=meta.home_url)
    if meta.next_url:
        _el(feed, "link", rel="next", type="application/atom+xml", href=meta.next_url)
    author = _el(feed, "author")
    _el(author, "name", "Thuis in Maastricht")
    _el(feed, "generator", "tim feeds")
    for item in items:
        _entry(feed, item, meta)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(feed: ET.Element, item: dict, meta: FeedMeta) -> None:
    e = _el(feed, "entry")
    _el(e, "id", entry_id(meta.feed_id, item["id"]))
    _el(e, "title", item.get("title") or "(zonder titel)", type="text")
    updated = item_time(item, "modified_at") or meta.updated
    _el(e, "updated", _rfc3339(updated))
    if item.get("organizer"):
        _el(_el(e, "author"), "name", item["organizer"])
    links = source_links(item)
    main = item.get("url") or (links[0][1] if links else None)
    if main:
        _el(e, "link", rel="alternate", type="text/html", href=main)
    for name, url in links:
        if url != main:
            _el(e, "link", rel="related", type="text/html", href=url, title=name)
    summary = _summary(item)
    if summary:
        _el(e, "summary", summary, type="text")
    if item.get("description_html"):
        _el(e, "content", item["description_html"], type="html")
    _el(e, "category", term=item.get("kind") or "item", label=item.get("kind"))
    if item.get("buurt_code"):
        _el(e, "category", term=item["buurt_code"], label=item.get("buurt_name"),
            scheme="https://www.cbs.nl/buurtcode")
    lat, lon = item.get("lat"), item.get("lon")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        _el(e, "point", f"{lat:.6f} {lon:.6f}", ns=GEORSS)


def _summary(item: dict) -> str:
    parts = []
    start = item_time(item, "starts_at")
    if start:
        from zoneinfo import ZoneInfo

        parts.append(start.astimezone(ZoneInfo("Europe/Amsterdam")).strftime("%d-%m-%Y %H:%M"))
    place = item.get("location_name") or item.get("address")
    if place:
        parts.append(str(place))
    text = str(item.get("description_text") or "")
    if len(text) > 500:
        text = text[:497].rsplit(" ", 1)[0] + "..."
    head = " · ".join(parts)
    return f"{head}\n{text}".strip() if head else text
