"""``rss``: RSS 0.9x/1.0/2.0 and Atom feeds, parsed by feedparser from the bytes we fetched.

feedparser never fetches (it gets a byte stream, never a URL or a string it could take for a
path); the XML is vetted by ``crawlers.safexml`` first. Values stay raw: dates as the feed's own
strings, descriptions as HTML (normalisers parse and sanitise).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import feedparser

from tim.errors import SourceError
from tim.records import RawRecord

from .base import Crawler
from .safexml import UnsafeXml, check_xml


def _entry_fields(e: feedparser.FeedParserDict) -> dict:
    content = e.get("content") or []
    description = content[0].get("value") if content else e.get("summary")
    fields = {
        "id": e.get("id"),
        "title": e.get("title"),
        "description": description,
        "url": e.get("link"),
        "published_at": dict.get(e, "published"),
        "updated_at": dict.get(e, "updated"),  # plain dict access: no feedparser fallback mapping
        "organizer": e.get("author"),
        "categories": [t.get("term") for t in e.get("tags") or [] if t.get("term")] or None,
    }
    where = e.get("where") or {}
    if where.get("type") == "Point" and len(where.get("coordinates") or ()) == 2:
        fields["lon"], fields["lat"] = where["coordinates"]  # GeoJSON order
    images = [m.get("url") for m in e.get("media_thumbnail") or e.get("media_content") or []]
    images += [x.get("href") for x in e.get("enclosures") or []
               if str(x.get("type", "")).startswith("image/")]
    if any(images):
        fields["image"] = next(i for i in images if i)
    return {k: v for k, v in fields.items() if v not in (None, "", [])}


class RssCrawler(Crawler):
    """One feed URL (``source.url``), fetched conditionally; one record per entry."""

    kind = "rss"

    def crawl(self) -> Iterator[RawRecord]:
        resp = self.http.fetch(self.source.url, conditional=True)
        if resp.not_modified:
            self.not_modified = True
            return
        try:
            check_xml(resp.content)
        except UnsafeXml as exc:
            raise SourceError(self.source.id, f"{resp.url}: {exc}") from exc
        feed = feedparser.parse(io.BytesIO(resp.content), response_headers={
            "content-location": resp.url, "content-type": resp.headers.get("content-type", ""),
        })
        if feed.bozo and not feed.entries:
            raise SourceError(self.source.id, f"{resp.url}: not a readable feed: "
                                              f"{feed.get('bozo_exception')}")
        if not feed.version and not feed.entries:
            raise SourceError(self.source.id, f"{resp.url}: not an RSS or Atom feed")
        for n, entry in enumerate(feed.entries):
            if n >= self.source.max_items:
                self.complete = False
                return
            fields = _entry_fields(entry)
            yield self.record(fields.get("id"), fields, resp.url, dict(entry))
