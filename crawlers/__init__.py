"""Crawlers: one adapter per source kind, and the registry that maps ``kind`` to its class.

Nothing else in the code base knows the list of kinds: ``sources.toml`` is validated against
``REGISTRY`` and the pipeline builds crawlers from it.
"""

from __future__ import annotations

from .base import Crawler
from .decidim import DecidimCrawler
from .html import HtmlCrawler
from .ical import ICalCrawler
from .json_api import JsonCrawler
from .jsonld import JsonLdCrawler
from .rss import RssCrawler

REGISTRY: dict[str, type[Crawler]] = {
    cls.kind: cls for cls in (RssCrawler, ICalCrawler, JsonCrawler, JsonLdCrawler, DecidimCrawler,
                           HtmlCrawler)
}

__all__ = ["REGISTRY", "Crawler"]
