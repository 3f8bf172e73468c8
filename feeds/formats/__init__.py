"""Renderers of bundled items into the feed formats: Atom (RFC 4287), JSON Feed 1.1, GeoJSON
(RFC 7946) and iCalendar (RFC 5545). Each takes already-inert items (``feeds.query.present``) and a
:class:`FeedMeta`, and returns bytes; none touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FeedMeta:
    """What a feed says about itself."""

    title: str
    feed_id: str
    """Stable, unique id of the feed (a ``tag:`` URI)."""
    self_url: str
    """Absolute URL of this feed document."""
    home_url: str
    """The page (or JSON list) the feed belongs to."""
    updated: datetime
    """Newest change among the entries (or of the store when there are none)."""
    description: str = ""
    next_url: str | None = None
    """Next page of the same feed, when there is one."""


def item_time(item: dict, key: str) -> datetime | None:
    """An item's ISO time field as an aware datetime (None when absent or malformed)."""
    value = item.get(key)
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def source_links(item: dict) -> list[tuple[str, str]]:
    """(name, url) of every source record of an item that has a usable URL, deduplicated."""
    out, seen = [], set()
    for s in item.get("sources") or []:
        url = s.get("url")
        if url and url not in seen:
            seen.add(url)
            out.append((str(s.get("name") or s.get("source_id") or "bron"), url))
    return out
