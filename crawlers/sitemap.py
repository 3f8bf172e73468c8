"""Sitemap discovery for ``jsonld`` (and the ``html`` spider): page URLs from a sitemap.xml.

Sitemap indexes are followed (each sitemap counts against ``max_pages``); gzipped sitemaps are
inflated with a size cap. Parsing is Scrapy's ``Sitemap`` (lxml, entities not resolved).
``sitemap_pattern`` is a regular expression a page URL must match (``re.search``).

A page's ``<lastmod>`` spares a fetch (``sitemap_lastmod``): a detail page read after the latest time
its lastmod can mean (:func:`read_since`; the crawler notes ``read_at`` with the page's
validators) stands for its stored items without a request, unless it was last read
``sitemap_recheck_days`` ago or more.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from tim.errors import SourceError

if TYPE_CHECKING:
    from tim.config import Source

    from .http import HttpClient


def sitemap_body(content: bytes, url: str, max_bytes: int) -> bytes:
    """The XML of a sitemap, inflating a ``.xml.gz`` body (capped at ``max_bytes``)."""
    if content[:2] == b"\x1f\x8b":
        return gunzip(content, max_size=max_bytes)
    return content


def parse_sitemap(body: bytes, url: str) -> tuple[str, list[tuple[str, str | None]]]:
    """(``"urlset"`` or ``"sitemapindex"``, the absolute ``loc`` URLs with their ``lastmod`` text
    or ``None``) of one sitemap."""
    sm = Sitemap(body)
    return sm.type, [(urljoin(url, d["loc"]), d.get("lastmod")) for d in sm if d.get("loc")]


#: Clock slack: a page counts as read after its lastmod only when read this long after it.
LASTMOD_SLACK = timedelta(minutes=10)


def lastmod_latest(text: str | None) -> datetime | None:
    """The latest instant a W3C datetime ``<lastmod>`` can mean, in UTC, or None (absent or not a
    date). A date alone is the end of that day anywhere on earth; a time without a zone is read as
    UTC-12 (its latest reading)."""
    if not text:
        return None
    text = text.strip()
    try:
        if len(text) == 10:  # YYYY-MM-DD
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=timezone.utc) + timedelta(days=1, hours=12)
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc) + timedelta(hours=12)
    return dt.astimezone(timezone.utc)


def read_since(lastmod: str | None, notes: dict | None, now: datetime, recheck_days: float) -> bool:
    """Whether the copy noted in ``notes`` (``read_at``, ISO UTC, when it was last read or found
    unchanged) is still the page per its sitemap ``lastmod``: read more than ``LASTMOD_SLACK``
    after the latest time lastmod can mean, and less than ``recheck_days`` ago."""
    latest = lastmod_latest(lastmod)
    if latest is None or not notes or not notes.get("read_at") or "count" not in notes:
        return False
    try:
        read_at = datetime.fromisoformat(notes["read_at"])
    except (TypeError, ValueError):
        return False
    if read_at.tzinfo is None:
        return False
    return latest + LASTMOD_SLACK <= read_at and now - read_at < timedelta(days=recheck_days)


def now_iso() -> str:
    """Now in UTC, as ``read_at`` is noted."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def discover(source: Source, http: HttpClient, state: dict) -> Iterator[tuple[str, str | None]]:
    """(page URL, its ``lastmod`` text or None) from ``source.sitemap``; sets
    ``state["complete"] = False`` when ``max_pages`` stopped it before every sitemap was read."""
    pattern = re.compile(source.sitemap_pattern) if source.sitemap_pattern else None
    queue, seen, fetched = [source.sitemap], set(), 0
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        if fetched >= source.max_pages:
            state["complete"] = False
            return
        seen.add(url)
        fetched += 1
        resp = http.fetch(url)
        try:
            kind, locs = parse_sitemap(sitemap_body(resp.content, resp.url, http.settings.max_bytes), resp.url)
        except Exception as exc:
            raise SourceError(source.id, f"{resp.url}: not a sitemap: {exc}") from exc
        if kind == "sitemapindex":
            queue.extend(loc for loc, _lastmod in locs)
            continue
        for loc, lastmod in locs:
            if pattern is None or pattern.search(loc):
                yield loc, lastmod
