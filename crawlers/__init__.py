"""Crawlers: one adapter per source kind, and the registry that maps ``kind`` to its class.

Configuration names the kinds (``tim.config.sources.SOURCE_KINDS``) so that it can validate
``sources.toml`` without importing the crawlers; this module is where the two meet, and refuses to
import if the registry and that list disagree. The pipeline builds crawlers from ``REGISTRY``.
"""

from __future__ import annotations

from tim.config.sources import SOURCE_KINDS

from .base import Crawler
from .decidim import DecidimCrawler
from .html import HtmlCrawler
from .ical import ICalCrawler
from .json_api import JsonCrawler
from .jsonld import JsonLdCrawler
from .rss import RssCrawler
from .wordpress import WordPressCrawler

REGISTRY: dict[str, type[Crawler]] = {
    cls.kind: cls for cls in (RssCrawler, ICalCrawler, JsonCrawler, JsonLdCrawler, DecidimCrawler,
                           HtmlCrawler, WordPressCrawler)
}

if set(REGISTRY) != set(SOURCE_KINDS):  # a kind added on one side only
    raise ImportError(f"crawler registry {sorted(REGISTRY)} != config SOURCE_KINDS {sorted(SOURCE_KINDS)}")

__all__ = ["REGISTRY", "Crawler"]
