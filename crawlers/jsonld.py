"""``jsonld``: schema.org JSON-LD (and microdata) on a site's pages, via extruct.

Pages come from a listing (``url``; ``follow`` selects detail links, ``next`` the next listing
page, both CSS) or from a sitemap (``sitemap`` + ``sitemap_pattern``). Without ``follow`` the
listing pages themselves carry the entities. A detail page that fails is a record error; a
listing page that fails after the first stops the walk and marks the crawl incomplete.
"""

from __future__ import annotations

from collections.abc import Iterator

from tim.errors import BlockedError, FetchError, RecordError
from tim.records import RawRecord

from .base import Crawler
from .listing import links
from .schemaorg import entities, entity_fields
from .sitemap import discover


class JsonLdCrawler(Crawler):
    """Yields one record per schema.org record entity on each detail page."""

    kind = "jsonld"

    def listing_pages(self) -> Iterator[tuple[str, str]]:
        """(url, html) of each listing page, following ``next`` up to ``max_pages``."""
        url, seen = self.source.url, set()
        for n in range(self.source.max_pages):
            seen.add(url)
            try:
                resp = self.http.fetch(url)
            except FetchError:
                if n == 0:
                    raise
                self.complete = False
                return
            yield resp.url, resp.text
            nxt = [u for u in links(resp.text, resp.url, self.source.next) if u not in seen]
            if not nxt:
                return
            url = nxt[0]
        self.complete = False

    def detail_urls(self) -> Iterator[str | tuple[str, str]]:
        """Detail page URLs, or (url, html) of listing pages that are their own details."""
        if self.source.sitemap:
            state: dict = {}
            yield from discover(self.source, self.http, state)
            if state.get("complete") is False:
                self.complete = False
            return
        seen: set[str] = set()
        for url, html in self.listing_pages():
            if not self.source.follow:
                yield url, html
                continue
            for link in links(html, url, self.source.follow):
                if link not in seen:
                    seen.add(link)
                    yield link

    def crawl(self) -> Iterator[RawRecord]:
        taken = 0
        for target in self.detail_urls():
            if isinstance(target, tuple):
                url, html = target
            else:
                try:
                    resp = self.http.fetch(target)
                except FetchError as exc:
                    if isinstance(exc, BlockedError) and "robots.txt" in str(exc):
                        continue  # a link robots.txt forbids is no failure
                    self.errors.append(RecordError(self.source.id, target,
                                                   RawRecord.hash_payload(target), str(exc)))
                    continue
                url, html = resp.url, resp.text
            for entity in entities(html, url):
                if taken >= self.source.max_items:
                    self.complete = False
                    return
                fields = entity_fields(entity, url)
                taken += 1
                yield self.record(fields.get("id"), fields, url, entity)
