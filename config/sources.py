"""``[[sources]]``: one platform the pipeline reads."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from tim.records import ITEM_KINDS, RAW_FIELDS

from .base import ConfigModel
from .http import HttpOverrides
from .schedule import Schedule, parse_duration, parse_schedule

ItemKind = Literal["vacancy", "event", "participation", "network", "initiative", "news"]
assert set(ItemKind.__args__) == set(ITEM_KINDS)  # type: ignore[attr-defined]

SOURCE_KINDS: tuple[str, ...] = ("rss", "ical", "json", "jsonld", "html", "decidim", "wordpress")
"""The crawler kinds a source may name. Configuration validates against this list without importing
the crawlers; ``tim.crawlers`` checks at import that its ``REGISTRY`` has exactly these keys."""


class Source(ConfigModel):
    """One source platform, as an operator configures it in ``sources.toml``."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    """Unique id: lowercase letters, digits and dashes. Part of every item id; never change it."""
    name: str | None = None
    """Human name of the platform, shown in feeds as the item's source."""
    kind: str
    """Crawler kind: rss, ical, json, jsonld, html, decidim or wordpress (``SOURCE_KINDS``)."""
    url: str | None = None
    """Start URL: the feed, calendar, API endpoint or listing page (wordpress: the site root)."""
    item_kind: ItemKind = "initiative"
    """What the records are: vacancy | event | participation | network | initiative | news."""
    schedule: str = "every 6h"
    """How often to crawl: ``"every 6h"`` or a 5-field cron expression."""
    gemeente: str = Field(default="GM0935", pattern=r"^GM[0-9]{4}$")
    """CBS code of the gemeente the source covers (``GM0935`` Maastricht): its items without a buurt
    belong to it; feeds, ``/buurten`` and exports filter by it."""
    enabled: bool = True
    """Disabled sources are listed and validated but never crawled."""
    allow_private_network: bool = False
    """Allow the source's own origins (``url``, ``sitemap``) to resolve to 127.0.0.1 or a private
    range; redirects and links to any other private host or port stay refused."""
    priority: int = 50
    """Which source's field wins in a bundled item: higher beats lower (primary platform > aggregator)."""
    licence: str | None = None
    """Licence or terms of the source's content, carried into exports."""
    attribution: str | None = None
    """Attribution text for the source, carried into exports."""

    # json
    items: str | None = None
    """json: dotted path to the list of records in each response (empty = the response itself)."""
    next: str | None = None
    """json: dotted path to the next page's URL; jsonld/html: CSS selector of the next listing page."""
    paging: Literal["next", "page", "offset"] | None = None
    """json: how pages are walked; default ``next`` when ``next`` is set, else a single page."""
    page_param: str = "page"
    """json paging=page: query parameter carrying the page number."""
    page_start: int = 1
    """json paging=page: number of the first page."""
    offset_param: str = "offset"
    """json paging=offset: query parameter carrying the offset."""
    limit_param: str | None = None
    """json paging=page|offset: query parameter carrying the page size, sent with ``page_size``."""
    page_size: int | None = None
    """json paging=offset: records per page (also sent as ``limit_param`` when set); wordpress:
    ``per_page`` of both APIs (default 50)."""
    headers: dict[str, str] = {}
    """Request headers; a value ``"env:NAME"`` is read from environment variable NAME at fetch time."""
    fields: dict[str, str] = {}
    """Canonical field -> where to find it in one record (dotted path for json, selector for html)."""

    # jsonld / html
    follow: str | None = None
    """jsonld/html: CSS selector of links from a listing page to detail pages."""
    sitemap: str | None = None
    """jsonld/html: a sitemap.xml URL to discover detail pages instead of a listing page."""
    sitemap_pattern: str | None = None
    """jsonld/html with sitemap: regular expression a URL must match to be crawled."""
    sitemap_lastmod: bool = True
    """jsonld/html with sitemap: trust a page's ``<lastmod>``: a detail page read after its lastmod
    (with ``LASTMOD_SLACK`` for clocks) is not fetched again; its stored items stand."""
    sitemap_recheck_days: float = Field(default=7.0, gt=0)
    """jsonld/html with sitemap: a page is fetched (conditionally) at least this often whatever its
    lastmod says, for sites whose lastmod is not kept up to date."""
    max_pages: int = Field(default=50, ge=1)
    """Listing / API pages fetched at most per run."""
    max_items: int = Field(default=5000, ge=1)
    """Records taken at most per run."""

    # wordpress
    events: bool = True
    """wordpress: read The Events Calendar's REST API (``/wp-json/tribe/events/v1/events``) as events."""
    posts: bool = True
    """wordpress: read the posts API (``/wp-json/wp/v2/posts``) as news."""

    # location strategy (see docs/geo.md): only for items with no place of their own
    area: str | None = None
    """A buurt or wijk (name, alias or CBS code) the source belongs to: its items with no place of
    their own are put there (method ``source_area``, below any place found in the item)."""
    venue: str | None = None
    """A venue name or an address where the source's items happen when they name no place
    themselves (method ``source_venue``); must resolve to a place in Maastricht."""
    online: bool = False
    """The source's items are online: city-wide, never placed in a buurt (method ``online``)."""

    # quality contract and health
    min_items: int = Field(default=1, ge=0)
    """A run returning fewer records fails (and expires nothing); 0 means empty is fine."""
    expected_kinds: list[ItemKind] = []
    """Item kinds the source must yield; a run yielding another kind fails the contract."""
    expected_update: str | None = None
    """Period (``"7d"``) within which something new should arrive, else the source is ``stale``."""
    http: HttpOverrides = HttpOverrides()
    """Per-source overrides of ``[settings]`` (delay, timeout, max_bytes, ...)."""

    @field_validator("schedule")
    @classmethod
    def _check_schedule(cls, value: str) -> str:
        parse_schedule(value)
        return value

    @field_validator("expected_update")
    @classmethod
    def _check_expected_update(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    @field_validator("fields")
    @classmethod
    def _check_fields(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(RAW_FIELDS))
        if unknown:
            raise ValueError(
                f"unknown canonical field(s) {', '.join(unknown)}; known: {', '.join(RAW_FIELDS)}"
            )
        return value

    @field_validator("kind")
    @classmethod
    def _check_kind(cls, value: str) -> str:
        if value not in SOURCE_KINDS:
            raise ValueError(f"unknown kind {value!r}; known kinds: {', '.join(sorted(SOURCE_KINDS))}")
        return value

    @field_validator("area")
    @classmethod
    def _check_area(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from .areas import resolve_area

        resolve_area(value)  # raises ValueError naming the known buurten
        return value.strip()

    @field_validator("venue")
    @classmethod
    def _check_venue(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("venue is empty")
        return value.strip() if value else value

    @model_validator(mode="after")
    def _check_url(self) -> "Source":
        if not self.url and not self.sitemap:
            raise ValueError("needs 'url' (or 'sitemap' for jsonld/html)")
        if self.online and (self.area or self.venue):
            raise ValueError("'online = true' cannot be combined with 'area' or 'venue'")
        if self.kind == "wordpress" and not (self.events or self.posts):
            raise ValueError("wordpress: 'events' and 'posts' are both false: nothing to read")
        return self

    @property
    def display_name(self) -> str:
        return self.name or self.id

    @property
    def parsed_schedule(self) -> Schedule:
        return parse_schedule(self.schedule)

    @property
    def expected_update_seconds(self) -> int | None:
        return parse_duration(self.expected_update) if self.expected_update else None
