"""The spider of the ``html`` kind: listing pages (``follow``/``next``) or a sitemap, detail pages
read with the source's ``fields`` selectors, JSON-LD/microdata filling what they left empty.

It only extracts and reports through ``emit`` (a callable taking one dict per event); it runs
inside the Scrapy service process (``crawlers.scrapy_runner``), one spider per job, several at once.
"""

from __future__ import annotations

import functools
import hashlib
import re
from datetime import datetime, timezone
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.spidermiddlewares.httperror import HttpError

from tim.config import Source
from tim.records import RawRecord

from .listing import links
from .schemaorg import entities, entity_fields
from .scrapy_middlewares import BlockedRequest
from .sitemap import now_iso, parse_sitemap, read_since, sitemap_body

URL_FIELDS = ("url", "image")


def extract(response: scrapy.http.TextResponse, selector: str, name: str) -> Any:
    """One canonical field by a CSS selector or an ``xpath:`` expression; raw strings."""
    nodes = response.xpath(selector[6:]) if selector.startswith("xpath:") else response.css(selector)
    values = [v.strip() for v in nodes.getall() if isinstance(v, str) and v.strip()]
    if not values:
        return None
    if name == "categories":
        return values
    if name in URL_FIELDS:
        return urljoin(response.url, values[0])
    return "\n".join(values) if name == "description" else " ".join(values)


def _guarded(callback: Callable) -> Callable:
    """A callback whose exception (a bug of ours, or a page nothing expected) ends that callback
    only, says so and makes the run incomplete: Scrapy would log it and walk on, and a run that
    passed for complete would expire the items it did not reach."""

    @functools.wraps(callback)
    def run(self, response):
        try:
            yield from callback(self, response)
        except CloseSpider:
            raise
        except Exception as exc:  # noqa: BLE001
            self.complete = False
            self.emit({"t": "error", "scope": "listing", "url": response.url,
                       "message": f"{type(exc).__name__}: {exc} (the run is incomplete)"})

    return run


class TimSpider(scrapy.Spider):
    """One source run; counts listing pages and items against the source's limits."""

    name = "tim"

    def __init__(self, source: Source, emit: Callable[[dict], None], validators: dict | None = None, **kw: Any):
        super().__init__(**kw)
        self.source, self.emit = source, emit
        self.validators: dict[str, dict] = validators or {}
        """URL -> what the last stored run kept of it (etag, last_modified, body_hash, meta)."""
        self.remember = validators is not None
        """The run is stored: send back the validators of the pages read (``validators`` events)."""
        self.pages = self.taken = 0
        self.complete = True
        self.seen: set[str] = set()

    # -- conditional requests -----------------------------------------------------------------
    def request(self, url: str, callback: Callable, errback: Callable, meta: dict | None = None,
                conditional: bool = True) -> scrapy.Request:
        """A request; conditional (If-None-Match / If-Modified-Since) when the last stored run
        noted how to walk on from this URL unread."""
        meta, headers = dict(meta or {}), {}
        kept = self.validators.get(url) if conditional else None
        if kept and kept.get("meta") is not None:
            if kept.get("etag"):
                headers["If-None-Match"] = kept["etag"]
            if kept.get("last_modified"):
                headers["If-Modified-Since"] = kept["last_modified"]
            meta["handle_httpstatus_list"] = [304]
            meta["tim_conditional"] = True
        return scrapy.Request(url, callback, errback=errback, meta=meta, headers=headers)

    def unchanged(self, response) -> dict | None:
        """The notes of a page that came back unchanged (304, or the body of the last run), else None."""
        if not response.meta.get("tim_conditional"):
            return None
        kept = self.validators[response.request.url]
        if response.status == 304:
            return kept["meta"]
        if kept.get("body_hash") and hashlib.sha256(response.body).hexdigest() == kept["body_hash"]:
            return kept["meta"]
        return None

    def keep(self, response, meta: dict) -> None:
        """Send the parent the validators of a page read now, with what to walk on next time (for a
        page from a sitemap also when it was read, ``read_at``, and its final URL)."""
        if not self.remember:
            return
        if response.meta.get("tim_sitemap"):
            meta = {**meta, "read_at": now_iso(), "url": response.url}

        def header(name: str) -> str | None:
            value = response.headers.get(name)
            return value.decode("latin-1") if value else None

        self.send_validators(response, header("ETag"), header("Last-Modified"),
                             hashlib.sha256(response.body).hexdigest(), meta)

    def send_validators(self, response, etag: str | None, last_modified: str | None, body_hash: str | None,
                        meta: dict) -> None:
        self.emit({"t": "validators", "url": response.request.url, "final_url": response.url,
                   "etag": etag, "last_modified": last_modified, "body_hash": body_hash, "meta": meta})

    async def start(self):
        src = self.source
        if src.sitemap:
            yield scrapy.Request(src.sitemap, self.parse_sitemap, errback=self.listing_failed,
                                 meta={"first": True})
        else:
            yield self.request(src.url, self.parse_listing, self.listing_failed, meta={"first": True},
                               conditional=bool(src.follow))

    # -- listing ------------------------------------------------------------------------------
    def _next_listing(self, url: str, callback: Callable) -> Iterator[scrapy.Request]:
        if url in self.seen:
            return
        if self.pages >= self.source.max_pages:
            self.complete = False
            return
        self.seen.add(url)
        yield self.request(url, callback, self.listing_failed, conditional=callback == self.parse_listing
                           and bool(self.source.follow))

    @_guarded
    def parse_listing(self, response):
        self.pages += 1
        self.seen.add(response.url)
        if not self.source.follow:  # the listing pages are the detail pages (read every time)
            yield from self.parse_detail(response)
            nxt = links(response.text, response.url, self.source.next)[:1]
        else:
            notes = self.unchanged(response)
            if notes is not None:  # walk on the links it had when it was read
                follow, nxt = list(notes.get("follow", [])), list(notes.get("next", []))
            else:
                follow = links(response.text, response.url, self.source.follow)
                nxt = links(response.text, response.url, self.source.next)[:1]
                self.keep(response, {"follow": follow, "next": nxt})
            for link in follow:
                if link not in self.seen:
                    self.seen.add(link)
                    yield self.request(link, self.parse_detail, self.detail_failed)
        for url in nxt:
            yield from self._next_listing(url, self.parse_listing)

    @_guarded
    def parse_sitemap(self, response):
        self.pages += 1
        kind, locs = parse_sitemap(sitemap_body(response.body, response.url,
                                                self.settings.getint("DOWNLOAD_MAXSIZE")), response.url)
        if kind == "sitemapindex":
            for loc, _lastmod in locs:
                yield from self._next_listing(loc, self.parse_sitemap)
            return
        pattern, src = self.source.sitemap_pattern, self.source
        now = datetime.now(timezone.utc)
        for loc, lastmod in locs:
            if (not pattern or re.search(pattern, loc)) and loc not in self.seen:
                self.seen.add(loc)
                kept = self.validators.get(loc) if (src.sitemap_lastmod and self.validators) else None
                if kept and read_since(lastmod, kept.get("meta"), now, src.sitemap_recheck_days):
                    self.replay(kept["meta"].get("url", loc), kept["meta"])  # read after its lastmod: no request
                    continue
                yield self.request(loc, self.parse_detail, self.detail_failed, meta={"tim_sitemap": True})

    def replay(self, url: str, notes: dict) -> None:
        """Tell the parent that the stored items of ``url`` stand (an unchanged detail page)."""
        count = int(notes.get("count", 0))
        if self.taken + count > self.source.max_items:
            self.complete = False
            raise CloseSpider("max_items")
        self.taken += count
        self.emit({"t": "replay", "url": url, "count": count, "failed": int(notes.get("failed", 0))})

    # -- detail -------------------------------------------------------------------------------
    @_guarded
    def parse_detail(self, response):
        notes = self.unchanged(response)
        if notes is not None:  # unchanged since the last stored run: its stored item stands
            self.replay(response.url, notes)
            if response.meta.get("tim_sitemap") and self.remember:  # found unchanged now: read_at moves on
                kept = self.validators[response.request.url]
                self.send_validators(response, kept.get("etag"), kept.get("last_modified"), kept.get("body_hash"),
                                     {**notes, "read_at": now_iso()})
            return
        conditional = bool(self.source.follow or self.source.sitemap)  # a detail page of its own
        if not isinstance(response, scrapy.http.TextResponse):
            if conditional:
                self.keep(response, {"count": 0, "failed": 1})
            self.emit({"t": "error", "scope": "record", "url": response.url, "message": "not an HTML page"})
            return
        fields: dict[str, Any] = {}
        for name, selector in self.source.fields.items():
            value = extract(response, selector, name)
            if value not in (None, "", []):
                fields[name] = value
        for entity in entities(response.text, response.url):
            for key, value in entity_fields(entity, response.url).items():
                fields.setdefault(key, value)
            break  # the page's main entity only
        fields.setdefault("url", response.url)
        if not fields.get("title"):
            if conditional:
                self.keep(response, {"count": 0, "failed": 1})
            self.emit({"t": "error", "scope": "record", "url": response.url,
                       "message": "no title found by the selectors or structured data"})
            return
        if self.taken >= self.source.max_items:
            self.complete = False
            raise CloseSpider("max_items")
        self.taken += 1
        if conditional:
            self.keep(response, {"count": 1})
        self.emit({"t": "record", "key": fields.get("id"), "fields": fields, "url": response.url,
                   "hash": RawRecord.hash_payload(fields)})
        return
        yield  # a generator, like the other callbacks

    # -- failures -----------------------------------------------------------------------------
    @staticmethod
    def describe(failure) -> dict:
        exc = failure.value
        event = {"message": f"{type(exc).__name__}: {exc}", "blocked": False, "robots": False,
                 "status": None}
        if isinstance(exc, HttpError):
            event["status"] = exc.response.status
            event["message"] = f"HTTP {exc.response.status}"
        elif isinstance(exc, BlockedRequest):
            event["blocked"] = True
            event["message"] = str(exc)
        elif type(exc).__name__ == "IgnoreRequest" and "robots" in str(exc):
            event["blocked"] = event["robots"] = True
            event["message"] = "disallowed by robots.txt"
        return event

    def listing_failed(self, failure):
        first = failure.request.meta.get("first", False)
        self.complete = False
        self.emit({"t": "error", "scope": "source" if first else "listing",
                   "url": failure.request.url, **self.describe(failure)})

    def detail_failed(self, failure):
        event = self.describe(failure)
        scope = "skip" if event["robots"] else "record"  # a link robots.txt forbids is no failure
        self.emit({"t": "error", "scope": scope, "url": failure.request.url, **event})
