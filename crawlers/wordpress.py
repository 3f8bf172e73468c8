"""``wordpress``: a WordPress site through its REST API (``url`` is the site root).

Two parts, each switched off by ``events = false`` / ``posts = false``:

- **events** from The Events Calendar's REST API, ``/wp-json/tribe/events/v1/events``: a JSON object
  ``{"events": [...], "total", "total_pages", "rest_url", "next_rest_url"}``, paged by following
  ``next_rest_url`` (absent on the last page). An event's ``title`` is a string that may hold HTML
  entities (``&#8211;``); ``utc_start_date``/``utc_end_date`` are ``"YYYY-MM-DD HH:MM:SS"`` in UTC
  (no offset: we add it, so the normaliser does not read them as local time); an ``all_day`` event
  is taken by its local dates (``start_date``/``end_date``), the end made exclusive as in iCal.
  ``venue`` is an object (``venue``, ``address``, ``zip``, ``city``, ``country``, ``geo_lat``,
  ``geo_lng``) or an empty list when the event has none; ``organizer`` is a list of objects
  (``organizer``, ``website``); ``categories`` a list of terms (``name``); ``image`` an object
  with ``url`` or ``false``.
- **posts** (news) from WordPress core, ``/wp-json/wp/v2/posts``: a JSON list, paged with
  ``page``/``per_page`` until the ``X-WP-TotalPages`` header's count (core answers 400
  ``rest_post_invalid_page_number`` past the last page). ``title``/``content``/``excerpt`` are
  objects with ``rendered`` HTML; ``date_gmt`` is UTC without an offset; ``link`` the permalink;
  ``_embed`` brings the terms (``wp:term``) and the author (``author``) by name.

The API lives at ``{url}/wp-json/``; when neither part answers there, the API root the site itself
announces (the ``Link: <...>; rel="https://api.w.org/"`` header of its home page, e.g.
``/?rest_route=/`` on a site without pretty permalinks) is tried. A part whose endpoint answers 404
(plugin not installed, REST route missing) is skipped with a note in the log and in ``notes``;
both parts missing is a ``SourceError``. Records go through the
one HTTP policy (``crawlers.http``); fields are raw, the normaliser sanitises and decodes.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

from w3lib.url import add_or_replace_parameter

from tim.errors import FetchError, RecordError, SourceError
from tim.records import RawRecord

from .base import Crawler
from .paths import MAX_DEPTH, depth

log = logging.getLogger(__name__)

EVENTS_ROUTE = "tribe/events/v1/events"
POSTS_ROUTE = "wp/v2/posts"
_API_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?https://api\.w\.org/"?')
PER_PAGE = 50
"""Records asked per page (``page_size`` overrides it; The Events Calendar allows up to 50 by
default, core up to 100)."""


def site_root(url: str) -> str:
    """The site root with one trailing slash (a root in a subfolder keeps its folder)."""
    return url.split("?", 1)[0].split("#", 1)[0].rstrip("/") + "/"


def utc_text(value: Any) -> str | None:
    """``"2026-12-10 18:30:00"`` (UTC, no offset) -> ``"2026-12-10T18:30:00+00:00"``."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace(" ", "T", 1)
    if text.startswith("0000-00-00"):
        return None
    if text.endswith("Z") or "+" in text[10:] or text[10:].count("-") > 0:
        return text
    return text + "+00:00"


def _local_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _rendered(value: Any) -> str | None:
    """``{"rendered": "..."}`` (core) or a plain string (The Events Calendar)."""
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) and value.strip() else None


def _names(terms: Any, key: str = "name") -> list[str]:
    if not isinstance(terms, list):
        return []
    return [t[key] for t in terms if isinstance(t, dict) and isinstance(t.get(key), str) and t[key].strip()]


def _clean(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if v not in (None, "", [])}


class WordPressCrawler(Crawler):
    """The Events Calendar's events, then core's posts, of one WordPress site."""

    kind = "wordpress"

    def __init__(self, source, http):
        super().__init__(source, http)
        self.root = site_root(source.url)
        self.api_root = urljoin(self.root, "wp-json/")
        self.pages_fetched = 0
        self.taken = 0
        self.notes: list[str] = []
        self.missing: list[str] = []
        self.per_page = min(source.page_size or PER_PAGE, 100)

    # -- fetching -------------------------------------------------------------------------
    def _get(self, url: str) -> tuple[Any, Any]:
        """(parsed JSON, headers) of one API page; raises ``_Stop`` past ``max_pages``."""
        if self.pages_fetched >= self.source.max_pages:
            self.complete = False
            raise _Stop
        self.pages_fetched += 1
        resp = self.http.fetch(url, headers={"Accept": "application/json"})
        try:
            data = json.loads(resp.content)
        except RecursionError as exc:
            raise SourceError(self.source.id, f"{resp.url}: JSON nested too deeply") from exc
        except ValueError as exc:
            raise SourceError(self.source.id, f"{resp.url}: not JSON: {exc}") from exc
        if depth(data) > MAX_DEPTH:
            raise SourceError(self.source.id, f"{resp.url}: JSON nested deeper than {MAX_DEPTH}")
        return data, resp.headers

    def _first(self, part: str, url: str) -> tuple[Any, Any] | None:
        """The first page of a part, or None when its endpoint is missing (404/410)."""
        try:
            return self._get(url)
        except FetchError as exc:
            if exc.status in (404, 410):
                note = f"{part} endpoint {url} answered HTTP {exc.status}: skipped"
                self.notes.append(note)
                self.missing.append(part)
                log.warning("source=%s %s", self.source.id, note)
                return None
            raise

    def endpoint(self, route: str) -> str:
        """The URL of a REST route under the API root (pretty ``/wp-json/`` or ``?rest_route=``)."""
        if "rest_route=" in self.api_root:
            return add_or_replace_parameter(self.api_root, "rest_route", "/" + route)
        return urljoin(self.api_root, route)

    def discover(self) -> str | None:
        """The API root the home page announces in its ``Link`` header, or None."""
        if self.pages_fetched >= self.source.max_pages:
            return None
        self.pages_fetched += 1
        try:
            resp = self.http.fetch(self.root)
        except FetchError as exc:
            self.notes.append(f"home page {self.root} answered {exc}: no API root announced")
            return None
        for value in resp.headers.get_list("link"):
            m = _API_LINK.search(value)
            if m:
                return urljoin(resp.url, m.group(1).strip())
        return None

    def _take(self) -> None:
        if self.taken >= self.source.max_items:
            self.complete = False
            raise _Stop
        self.taken += 1

    # -- crawl ----------------------------------------------------------------------------
    def crawl(self) -> Iterator[RawRecord]:
        parts = [p for p, on in (("events", self.source.events), ("posts", self.source.posts)) if on]
        try:
            for part in parts:
                yield from (self._events() if part == "events" else self._posts())
            if parts and len(self.missing) == len(parts):
                announced = self.discover()
                if announced and announced != self.api_root:
                    self.notes.append(f"the site announces its REST API at {announced}")
                    self.api_root, self.missing = announced, []
                    for part in parts:
                        yield from (self._events() if part == "events" else self._posts())
        except _Stop:
            return
        if parts and len(self.missing) == len(parts):
            raise SourceError(self.source.id, f"{self.root}: no WordPress REST endpoint answered "
                                              f"({'; '.join(self.notes)})")

    def _events(self) -> Iterator[RawRecord]:
        url = add_or_replace_parameter(self.endpoint(EVENTS_ROUTE), "per_page", str(self.per_page))
        first = self._first("events", url)
        if first is None:
            return
        data, _headers = first
        seen = {url}
        while True:
            if not isinstance(data, dict) or not isinstance(data.get("events"), list):
                raise SourceError(self.source.id, f"{url}: not an Events Calendar answer (no 'events' list)")
            yield from self._records(data["events"], url, "event", self._event_fields)
            nxt = data.get("next_rest_url")
            if not isinstance(nxt, str) or not nxt.strip():
                return
            url = urljoin(url, nxt.strip())
            if url in seen:
                return
            seen.add(url)
            data, _headers = self._get(url)

    def _records(self, objects: list, url: str, what: str, to_fields) -> Iterator[RawRecord]:
        """One record per JSON object of a page; anything else is a record error naming ``url``."""
        for obj in objects:
            if not isinstance(obj, dict):
                self.errors.append(RecordError(self.source.id, None, RawRecord.hash_payload(obj),
                                               f"{url}: {what} is not a JSON object"))
                continue
            self._take()
            fields = to_fields(obj)
            yield self.record(fields.get("id"), fields, url, obj)

    def _posts(self) -> Iterator[RawRecord]:
        base = add_or_replace_parameter(self.endpoint(POSTS_ROUTE), "per_page", str(self.per_page))
        base = add_or_replace_parameter(base, "_embed", "1")
        page = 1
        url = add_or_replace_parameter(base, "page", "1")
        first = self._first("posts", url)
        if first is None:
            return
        data, headers = first
        total = _int(headers.get("x-wp-totalpages"))
        while True:
            if not isinstance(data, list):
                raise SourceError(self.source.id, f"{url}: not a WordPress posts answer (no JSON list)")
            yield from self._records(data, url, "post", self._post_fields)
            if not data or (total is not None and page >= total) or (total is None and len(data) < self.per_page):
                return
            page += 1
            url = add_or_replace_parameter(base, "page", str(page))
            try:
                data, headers = self._get(url)
            except FetchError as exc:
                if exc.status == 400 and total is None:  # rest_post_invalid_page_number: past the end
                    return
                raise

    # -- records --------------------------------------------------------------------------
    def _event_fields(self, ev: dict) -> dict:
        fields: dict[str, Any] = {
            "id": f"event/{ev.get('id')}" if ev.get("id") is not None else None,
            "kind": "event",
            "title": _rendered(ev.get("title")),
            "description": _rendered(ev.get("description")) or _rendered(ev.get("excerpt")),
            "url": ev.get("url") if isinstance(ev.get("url"), str) else None,
            "categories": _names(ev.get("categories")),
            "published_at": utc_text(ev.get("date_utc")),
            "updated_at": utc_text(ev.get("modified_utc")),
        }
        if ev.get("all_day"):
            start, end = _local_date(ev.get("start_date")), _local_date(ev.get("end_date"))
            fields["starts_at"] = start
            fields["ends_at"] = (end or start) + timedelta(days=1) if (end or start) else None
        else:
            fields["starts_at"] = utc_text(ev.get("utc_start_date"))
            fields["ends_at"] = utc_text(ev.get("utc_end_date"))
        venue = ev.get("venue")
        if isinstance(venue, dict) and venue:
            fields["location_name"] = venue.get("venue") if isinstance(venue.get("venue"), str) else None
            fields["street"] = venue.get("address") if isinstance(venue.get("address"), str) else None
            fields["postcode"] = venue.get("zip") if isinstance(venue.get("zip"), str) else None
            fields["city"] = venue.get("city") if isinstance(venue.get("city"), str) else None
            lat, lng = venue.get("geo_lat"), venue.get("geo_lng")
            if lat not in (None, "") and lng not in (None, ""):
                fields["lat"], fields["lon"] = lat, lng
        organizers = _names(ev.get("organizer"), "organizer")
        if organizers:
            fields["organizer"] = organizers[0]
        image = ev.get("image")
        if isinstance(image, dict) and isinstance(image.get("url"), str):
            fields["image"] = image["url"]
        return _clean(fields)

    def _post_fields(self, post: dict) -> dict:
        embedded = post.get("_embedded") if isinstance(post.get("_embedded"), dict) else {}
        terms = [t for group in embedded.get("wp:term") or [] if isinstance(group, list) for t in group]
        categories = [t["name"] for t in terms if isinstance(t, dict) and t.get("taxonomy") == "category"
                      and isinstance(t.get("name"), str) and t["name"] != "Uncategorized"]
        media = embedded.get("wp:featuredmedia") or []
        image = media[0].get("source_url") if media and isinstance(media[0], dict) else None
        fields = {
            "id": f"post/{post.get('id')}" if post.get("id") is not None else None,
            "kind": "news",
            "title": _rendered(post.get("title")),
            "description": _rendered(post.get("content")) or _rendered(post.get("excerpt")),
            "url": post.get("link") if isinstance(post.get("link"), str) else None,
            "published_at": utc_text(post.get("date_gmt")),
            "updated_at": utc_text(post.get("modified_gmt")),
            "categories": categories,
            "image": image if isinstance(image, str) else None,
        }
        return _clean(fields)


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


class _Stop(Exception):
    """Internal: ``max_pages`` or ``max_items`` reached."""
