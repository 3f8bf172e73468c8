"""WordPress sites as Maastricht's buurtplatforms run them: The Events Calendar and core's posts.

``register(web, cat, base, site, prefix)`` serves one content file (``demo/content/<site>.json``)
under ``prefix`` in the shapes of the real APIs:

- ``{prefix}/wp-json/tribe/events/v1/events``: The Events Calendar's REST API. ``per_page``
  (default 10, at most 50) and ``page``; answers ``{"events", "rest_url", "total", "total_pages"}``
  plus ``next_rest_url`` / ``previous_rest_url`` where there is such a page. Each event has
  ``title`` (a string, entities as WordPress's texturize makes them: ``&#8211;``), ``description``,
  ``start_date``/``end_date`` in the site's time zone and ``utc_start_date``/``utc_end_date`` in
  UTC (``"YYYY-MM-DD HH:MM:SS"``, no offset), ``timezone``, ``all_day``, ``venue`` (an object with
  ``venue``, ``address``, ``zip``, ``city``, ``country``, ``geo_lat``/``geo_lng``, or ``[]``),
  ``organizer`` (a list), ``categories`` (term objects) and ``url``.
- ``{prefix}/wp-json/wp/v2/posts`` (when ``posts``): core's posts controller. ``page`` and
  ``per_page`` (default 10, 1..100), ``X-WP-Total`` / ``X-WP-TotalPages`` headers, a ``Link``
  header, and 400 ``rest_post_invalid_page_number`` past the last page. A post has ``date`` (site
  time) and ``date_gmt``, ``title``/``content``/``excerpt`` as ``{"rendered": ...}``, ``link``, and
  with ``_embed`` the ``wp:term`` categories. Without ``posts`` the route answers core's 404
  ``rest_no_route``, as a site whose posts are not exposed does.
- every event and post page itself (``url`` / ``link``), as simple HTML.
"""

from __future__ import annotations

import html
import json
import zlib
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from tim.demo.catalog import TZ, Catalog, Entry
from tim.demo.pages import dutch_when, esc, layout
from tim.demo.web import LocalWeb, Request, Response

EVENTS_ROUTE = "/wp-json/tribe/events/v1/events"
POSTS_ROUTE = "/wp-json/wp/v2/posts"
JSON_TYPE = "application/json; charset=UTF-8"
TEC_DEFAULT_PER_PAGE, TEC_MAX_PER_PAGE = 10, 50
WP_DEFAULT_PER_PAGE, WP_MAX_PER_PAGE = 10, 100


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, content_type=JSON_TYPE,
                    headers=headers or {})


def wp_error(code: str, message: str, status: int) -> Response:
    """A WP_Error as the REST server serialises it."""
    return _json({"code": code, "message": message, "data": {"status": status}}, status)


def _stamp(dt: datetime, tz) -> str:
    return dt.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def _int_arg(req: Request, name: str, default: int) -> int | None:
    raw = req.arg(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        return None


class WordPressSite:
    """One demo WordPress site (one content file) under one path prefix."""

    def __init__(self, cat: Catalog, base: str, site: str, prefix: str, *, posts: bool = True,
                 plain_permalinks: bool = False):
        self.cat, self.site, self.prefix, self.with_posts = cat, site, prefix.rstrip("/"), posts
        self.plain = plain_permalinks  # REST URLs as ?rest_route=/... (a site without pretty permalinks)
        self.base = base.rstrip("/")
        self.root = self.base + self.prefix
        self.meta = cat.meta[site]["site"]
        entries = cat.site(site)
        self.events = sorted((e for e in entries if e.kind == "event"), key=_start_key)
        self.posts = sorted((e for e in entries if e.kind == "news"), key=lambda e: e.published_at, reverse=True)

    # -- URLs --------------------------------------------------------------------------------
    def api_url(self, route: str, **params: Any) -> str:
        """A REST URL in the site's form: ``/wp-json/<route>`` or ``/?rest_route=/<route>``."""
        if self.plain:
            return f"{self.root}/?" + urlencode({"rest_route": "/" + route.strip("/"), **params})
        return f"{self.root}/wp-json/{route.strip('/')}" + (f"?{urlencode(params)}" if params else "")

    def event_path(self, e: Entry) -> str:
        return f"{self.prefix}/evenement/{e.slug}/"

    def post_path(self, e: Entry) -> str:
        d = e.published_at.astimezone(TZ)
        return f"{self.prefix}/{d:%Y/%m}/{e.slug}/"

    # -- The Events Calendar -----------------------------------------------------------------
    def event_json(self, e: Entry) -> dict[str, Any]:
        created = self.cat.generated_at - timedelta(days=30)
        if e.all_day:
            day: date = e.starts_at  # type: ignore[assignment]
            last: date = (e.ends_at or day + timedelta(days=1)) - timedelta(days=1)  # type: ignore[operator]
            start = datetime.combine(day, time(0, 0), TZ)
            end = datetime.combine(last, time(23, 59, 59), TZ)
        else:
            start = e.starts_at  # type: ignore[assignment]
            end = e.ends_at or start + timedelta(hours=2)  # type: ignore[operator]
        data: dict[str, Any] = {
            "id": int(e.key), "global_id": f"{self.root.split('//', 1)[1]}?id={e.key}",
            "author": "1", "status": "publish",
            "date": _stamp(created, TZ), "date_utc": _stamp(created, UTC),
            "modified": _stamp(created, TZ), "modified_utc": _stamp(created, UTC),
            "url": self.base + self.event_path(e),
            "rest_url": self.api_url(f"tribe/events/v1/events/{e.key}"),
            "title": e.data.get("titel_html") or html.escape(e.title, quote=False),
            "description": e.description_html(), "excerpt": "", "slug": e.slug, "image": False,
            "all_day": e.all_day,
            "start_date": _stamp(start, TZ), "end_date": _stamp(end, TZ),
            "utc_start_date": _stamp(start, UTC), "utc_end_date": _stamp(end, UTC),
            "timezone": "Europe/Amsterdam", "timezone_abbr": start.astimezone(TZ).tzname(),
            "cost": "", "website": "", "show_map": True, "show_map_link": True,
            "hide_from_listings": False, "sticky": False, "featured": False,
            "categories": [{"name": c, "slug": c.lower().replace(" ", "-"), "taxonomy": "tribe_events_cat",
                            "id": 10 + i} for i, c in enumerate(e.data.get("categorieen", []))],
            "tags": [],
            "venue": self.venue_json(e),
            "organizer": [{"id": 900, "organizer": e.organizer, "slug": "organisator", "website": "",
                           "email": "", "phone": ""}] if e.organizer else [],
        }
        return data

    @staticmethod
    def venue_json(e: Entry) -> dict[str, Any] | list:
        p = e.place
        if p is None or e.mode not in ("adres", "adres+geo"):
            return []  # The Events Calendar sends an empty array for an event without a venue
        venue: dict[str, Any] = {
            "id": 700 + zlib.crc32(p.id.encode()) % 100, "venue": p.naam or "", "slug": p.id,
            "address": p.street_line() or "", "city": p.plaats, "zip": p.postcode_display() or "",
            "country": "Nederland" if p.land == "NL" else "België", "stateprovince": "", "phone": "",
            "website": "", "show_map": True, "show_map_link": True,
        }
        if e.mode == "adres+geo":
            venue["geo_lat"], venue["geo_lng"] = p.lat, p.lon
        return venue

    def events_api(self, req: Request) -> Response:
        per_page, page = _int_arg(req, "per_page", TEC_DEFAULT_PER_PAGE), _int_arg(req, "page", 1)
        if per_page is None or page is None or not 1 <= per_page <= TEC_MAX_PER_PAGE or page < 1:
            return wp_error("rest_invalid_param", "Invalid parameter(s): per_page, page", 400)
        total = len(self.events)
        pages = max(1, -(-total // per_page))
        if page > pages:
            return wp_error("event-archive-page-not-found", "The requested event archive page does not exist",
                            404)
        chunk = self.events[(page - 1) * per_page: page * per_page]

        def page_url(n: int) -> str:
            return self.api_url("tribe/events/v1/events/", per_page=per_page, page=n)

        body: dict[str, Any] = {"events": [self.event_json(e) for e in chunk], "rest_url": page_url(page),
                                "total": total, "total_pages": pages}
        if page < pages:
            body["next_rest_url"] = page_url(page + 1)
        if page > 1:
            body["previous_rest_url"] = page_url(page - 1)
        return _json(body, headers={"X-TEC-API-VERSION": "v1", "X-TEC-API-ORIGIN": self.root})

    # -- core posts --------------------------------------------------------------------------
    def post_json(self, e: Entry, embed: bool) -> dict[str, Any]:
        local, gmt = e.published_at.astimezone(TZ), e.published_at.astimezone(UTC)
        category = e.data.get("categorie") or "Nieuws"
        post: dict[str, Any] = {
            "id": int(e.key), "date": local.strftime("%Y-%m-%dT%H:%M:%S"),
            "date_gmt": gmt.strftime("%Y-%m-%dT%H:%M:%S"),
            "guid": {"rendered": f"{self.root}/?p={e.key}"},
            "modified": local.strftime("%Y-%m-%dT%H:%M:%S"), "modified_gmt": gmt.strftime("%Y-%m-%dT%H:%M:%S"),
            "slug": e.slug, "status": "publish", "type": "post",
            "link": self.base + self.post_path(e),
            "title": {"rendered": e.data.get("titel_html") or html.escape(e.title, quote=False)},
            "content": {"rendered": e.description_html() + "\n", "protected": False},
            "excerpt": {"rendered": f"<p>{html.escape(e.description_text()[:100])} [&hellip;]</p>\n",
                        "protected": False},
            "author": 1, "featured_media": 0, "comment_status": "closed", "ping_status": "closed",
            "sticky": False, "template": "", "format": "standard", "meta": [], "categories": [3],
            "tags": [],
        }
        if embed:
            post["_embedded"] = {
                "author": [{"id": 1, "name": self.meta["naam"], "slug": "redactie"}],
                "wp:term": [[{"id": 3, "link": f"{self.root}/category/{category.lower()}/", "name": category,
                              "slug": category.lower(), "taxonomy": "category"}], []],
            }
        return post

    def posts_api(self, req: Request) -> Response:
        if not self.with_posts:
            return wp_error("rest_no_route", "No route was found matching the URL and request method.", 404)
        per_page, page = _int_arg(req, "per_page", WP_DEFAULT_PER_PAGE), _int_arg(req, "page", 1)
        if per_page is None or not 1 <= per_page <= WP_MAX_PER_PAGE:
            return wp_error("rest_invalid_param", "Invalid parameter(s): per_page", 400)
        if page is None or page < 1:
            return wp_error("rest_invalid_param", "Invalid parameter(s): page", 400)
        total = len(self.posts)
        pages = -(-total // per_page)
        if page > pages and total > 0:
            return wp_error("rest_post_invalid_page_number",
                            "The page number requested is larger than the number of pages available.", 400)
        chunk = self.posts[(page - 1) * per_page: page * per_page]
        embed = req.arg("_embed") is not None
        links = []
        if page > 1:
            links.append(f'<{self.api_url("wp/v2/posts", per_page=per_page, page=page - 1)}>; rel="prev"')
        if page < pages:
            links.append(f'<{self.api_url("wp/v2/posts", per_page=per_page, page=page + 1)}>; rel="next"')
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages), "Allow": "GET"}
        if links:
            headers["Link"] = ", ".join(links)
        return _json([self.post_json(e, embed) for e in chunk], headers=headers)

    # -- pages -------------------------------------------------------------------------------
    def page(self, e: Entry) -> str:
        when = f"<p class=\"wanneer\">{esc(dutch_when(e.starts_at, e.ends_at))}</p>" if e.kind == "event" else ""
        body = f"<article><h1>{esc(e.title)}</h1>{when}{e.description_html()}</article>"
        return layout(e.title, body, site=self.meta["naam"], home=f"{self.prefix}/")

    def register(self, web: LocalWeb) -> None:
        web.route(self.prefix + EVENTS_ROUTE, self.events_api)
        web.route(self.prefix + EVENTS_ROUTE + "/", self.events_api)
        web.route(self.prefix + POSTS_ROUTE, self.posts_api)
        for e in self.events:
            web.route(self.event_path(e), self.page(e))
        for e in self.posts:
            web.route(self.post_path(e), self.page(e))
        items = "".join(f'<li><a href="{esc(self.event_path(e))}">{esc(e.title)}</a></li>' for e in self.events)
        web.route(self.prefix + "/", layout(self.meta["naam"], f"<h1>{esc(self.meta['naam'])}</h1><ul>{items}</ul>",
                                            site=self.meta["naam"], home=f"{self.prefix}/"))


def _start_key(e: Entry) -> datetime:
    s = e.starts_at
    return s if isinstance(s, datetime) else datetime.combine(s, time(0, 0), TZ)  # type: ignore[arg-type]


def register(web: LocalWeb, cat: Catalog, base: str, site: str, prefix: str, *, posts: bool = True) -> WordPressSite:
    """Serve the content file ``site`` as a WordPress site under ``prefix``; return it."""
    wp = WordPressSite(cat, base, site, prefix, posts=posts)
    wp.register(web)
    return wp
