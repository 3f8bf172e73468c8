"""``jsonld``: schema.org JSON-LD (and microdata) on a site's pages, via extruct.

Pages come from a listing (``url``; ``follow`` selects detail links, ``next`` the next listing
page, both CSS) or from a sitemap (``sitemap`` + ``sitemap_pattern``). Without ``follow`` the
listing pages themselves carry the entities. A detail page that fails is a record error; a
listing page that fails after the first stops the walk and marks the crawl incomplete.

Listing and detail pages are fetched conditionally. A listing page that comes back unchanged is
walked on its noted links; a detail page that comes back unchanged is a ``Replay``: its stored
items stand, nothing is parsed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import NamedTuple

from tim.errors import BlockedError, FetchError, RecordError
from tim.records import RawRecord, Replay

from .base import Crawler
from .listing import links
from .schemaorg import entities, entity_fields
from .sitemap import discover, now_iso, read_since


class SitemapPage(NamedTuple):
    url: str
    lastmod: str | None


class JsonLdCrawler(Crawler):
    """Yields one record per schema.org record entity on each detail page."""

    kind = "jsonld"

    def listing_pages(self) -> Iterator[tuple[str, str | None, list[str], list[str]]]:
        """(url, html, detail links, next links) of each listing page, following ``next`` up to
        ``max_pages``; ``html`` is ``None`` for a page that came back unchanged (its links are the
        ones noted when it was read)."""
        url, seen = self.source.url, set()
        for n in range(self.source.max_pages):
            seen.add(url)
            try:
                resp = self.http.fetch(url, conditional=True, notes=True)
            except FetchError:
                if n == 0:
                    raise
                self.complete = False
                return
            if resp.not_modified:
                html, follow, nxt = None, list(resp.meta.get("follow", [])), list(resp.meta.get("next", []))
            else:
                html = resp.text
                follow = links(html, resp.url, self.source.follow) if self.source.follow else []
                nxt = links(html, resp.url, self.source.next)
                self.http.note(url, {"follow": follow, "next": nxt})
            yield resp.url, html, follow, nxt
            nxt = [u for u in nxt if u not in seen]
            if not nxt:
                return
            url = nxt[0]
        self.complete = False

    def detail_urls(self) -> Iterator[str | SitemapPage | tuple[str, str | None]]:
        """Detail page URLs (from a sitemap with their lastmod), or (url, html) of listing pages
        that are their own details (html ``None``: unchanged)."""
        if self.source.sitemap:
            state: dict = {}
            yield from (SitemapPage(url, lastmod) for url, lastmod in discover(self.source, self.http, state))
            if state.get("complete") is False:
                self.complete = False
            return
        seen: set[str] = set()
        for url, html, follow, _next in self.listing_pages():
            if not self.source.follow:
                yield url, html
                continue
            for link in follow:
                if link not in seen:
                    seen.add(link)
                    yield link

    def crawl(self) -> Iterator[RawRecord]:
        taken = 0
        now = datetime.now(timezone.utc)
        for target in self.detail_urls():
            from_sitemap = isinstance(target, SitemapPage)
            kept = None
            if from_sitemap:
                target, lastmod = target
                kept = self.http.kept(target) if self.source.sitemap_lastmod else None
                if kept is not None and not read_since(lastmod, kept.meta, now, self.source.sitemap_recheck_days):
                    kept = None
            if kept is not None:  # read after its lastmod: its stored items stand, no request
                url, html, meta = kept.meta.get("url", target), None, kept.meta
            elif isinstance(target, tuple):
                (url, html), meta = target, None
            else:
                try:
                    resp = self.http.fetch(target, conditional=True, notes=True)
                except FetchError as exc:
                    if isinstance(exc, BlockedError) and "robots.txt" in str(exc):
                        continue  # a link robots.txt forbids is no failure
                    self.errors.append(RecordError(self.source.id, target,
                                                   RawRecord.hash_payload(target), str(exc)))
                    continue
                url, html, meta = resp.url, (None if resp.not_modified else resp.text), resp.meta
                if from_sitemap and html is None:  # found unchanged now: read_at moves on
                    self.http.renote(target, {"read_at": now_iso()})
            if html is None:  # unchanged since it was read: its stored items stand
                count = int((meta or {}).get("count", 0))
                if taken + count > self.source.max_items:
                    self.complete = False
                    return
                taken += count
                yield Replay(url, count, int((meta or {}).get("failed", 0)))  # type: ignore[misc]
                continue
            found = list(entities(html, url))
            notes = {"count": len(found)}
            if from_sitemap:  # when it was read, and where from, for the lastmod of the next run
                notes.update(read_at=now_iso(), url=url)
            self.http.note(target if isinstance(target, str) else url, notes)
            for entity in found:
                if taken >= self.source.max_items:
                    self.complete = False
                    return
                fields = entity_fields(entity, url)
                taken += 1
                yield self.record(fields.get("id"), fields, url, entity)
