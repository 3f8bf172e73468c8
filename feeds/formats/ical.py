"""iCalendar (RFC 5545) with the icalendar library: one VEVENT per bundled event with a start."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event, vUri

from . import FeedMeta, item_time, source_links


def render(items: list[dict], meta: FeedMeta) -> bytes:
    """A VCALENDAR of the events among ``items`` (items without a start are left out)."""
    cal = Calendar()
    cal.add("prodid", "-//Thuis in Maastricht//tim feeds//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", meta.title)
    cal.add("x-wr-calname", meta.title)
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for item in items:
        event = _event(item, meta)
        if event is not None:
            cal.add_component(event)
    return cal.to_ical()


def _event(item: dict, meta: FeedMeta) -> Event | None:
    start = item_time(item, "starts_at")
    if start is None:
        return None
    ev = Event()
    ev.add("uid", f"{item['id']}@thuisinmaastricht.nl")
    stamp = item_time(item, "modified_at") or meta.updated
    ev.add("dtstamp", stamp)
    ev.add("last-modified", stamp)
    ev.add("dtstart", start)
    end = item_time(item, "ends_at")
    if end is not None and end > start:
        ev.add("dtend", end)
    ev.add("summary", item.get("title") or "(zonder titel)")
    links = source_links(item)
    text = str(item.get("description_text") or "")
    if item.get("organizer"):
        text = f"Organisator: {item['organizer']}\n\n{text}"
    if links:
        text += "\n\n" + "\n".join(f"{name}: {url}" for name, url in links)
    if text.strip():
        ev.add("description", text.strip())
    place = ", ".join(str(p) for p in (item.get("location_name"), item.get("address")) if p)
    if place:
        ev.add("location", place)
    url = item.get("url") or (links[0][1] if links else None)
    if url:
        ev.add("url", vUri(url))
    lat, lon = item.get("lat"), item.get("lon")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        ev.add("geo", (float(lat), float(lon)))
    cats = [c for c in (item.get("kind"), item.get("buurt_name")) if c]
    if cats:
        ev.add("categories", cats)
    return ev
