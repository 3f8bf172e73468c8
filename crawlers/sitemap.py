"""Sitemap discovery for ``jsonld`` (and the ``html`` spider): page URLs from a sitemap.xml.

Sitemap indexes are followed (each sitemap counts against ``max_pages``); gzipped sitemaps are
inflated with a size cap. Parsing is Scrapy's ``Sitemap`` (lxml, entities not resolved).
``sitemap_pattern`` is a regular expression a page URL must match (``re.search``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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


def parse_sitemap(body: bytes, url: str) -> tuple[str, list[str]]:
    """(``"urlset"`` or ``"sitemapindex"``, the absolute ``loc`` URLs) of one sitemap."""
    sm = Sitemap(body)
    return sm.type, [urljoin(url, d["loc"]) for d in sm if d.get("loc")]


def discover(source: Source, http: HttpClient, state: dict) -> Iterator[str]:
    """Page URLs from ``source.sitemap``; sets ``state["complete"] = False`` when ``max_pages``
    stopped it before every sitemap was read."""
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
            queue.extend(locs)
            continue
        for loc in locs:
            if pattern is None or pattern.search(loc):
                yield loc
