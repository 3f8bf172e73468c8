"""The demo source sites on one LocalWeb, and a ``sources.toml`` that crawls them.

``build_demo_web()`` registers, under path prefixes of one server on 127.0.0.1:

=======================  ==========================================  ======================
source id                what                                        start URL
=======================  ==========================================  ======================
gemeente-nieuws          RSS 2.0 news of the gemeente                /gemeente/nieuws.rss
trajekt-agenda           iCal buurtagenda (TZID, GEO, RRULE)         /agenda/agenda.ics
maastrichtdoet           paged JSON vacancy API (next URL)           /api/vacatures?page=1
trajekt-buurtnetwerken   one-page JSON of buurtnetwerken/initiatives /buurtnetwerken/netwerken.json
uitagenda                JSON-LD agenda (listing + detail pages)     /uitagenda/
vrijwilligersbank        HTML vacancy bank (3 listing pages)         /vrijwilligersbank/
maastricht-denkt-mee     Decidim GraphQL (when demo/decidim.py is)   /decidim/api (POST)
buurtplatform-malberg    WordPress: Events Calendar + posts, paged   /wijkplatform/
buurtcentrum-tragos      WordPress agenda without addresses or posts /tragos/
=======================  ==========================================  ======================

plus ``/robots.txt`` (allows everything the demo crawls), the bank's sitemap and an index page at
``/``. Event dates are relative to ``today`` (default: today in Europe/Amsterdam).
"""

from __future__ import annotations

import importlib
import importlib.util
from datetime import date

from tim.demo import ical_site, json_sites, rss_site, uitagenda_site, vacaturebank_site, wordpress_site
from tim.demo.catalog import SOURCE_IDS, load_catalog
from tim.demo.pages import esc, layout
from tim.demo.web import LocalWeb

#: the four kinds the first crawler set has; html/decidim sources need their crawler kinds
BASE_KINDS = frozenset({"rss", "ical", "json", "jsonld"})
DECIDIM_SOURCE_ID = "maastricht-denkt-mee"
DECIDIM_PREFIX = "/decidim"
WIJKPLATFORM_PREFIX = "/wijkplatform"
BUURTCENTRUM_PREFIX = "/tragos"


def decidim_module():
    """``demo.decidim`` when it exists (written separately), else None."""
    if importlib.util.find_spec("tim.demo.decidim") is None:
        return None
    return importlib.import_module("tim.demo.decidim")


def robots_txt(base: str) -> str:
    return (
        "# Demosites van Thuis in Maastricht\n"
        "User-agent: *\n"
        "Disallow: /vrijwilligersbank/zoeken\n"
        "Disallow: /vrijwilligersbank/reageer\n"
        "Disallow: /intern/\n"
        "Allow: /\n"
        "\n"
        f"Sitemap: {base}{vacaturebank_site.SITEMAP_PATH}\n"
    )


def _index_page(decidim: bool) -> str:
    sites = [
        ("Gemeente Maastricht - nieuws (RSS)", rss_site.FEED_PATH),
        ("Buurtagenda Maastricht (iCal)", ical_site.ICS_PATH),
        ("MaastrichtDoet! vacatures (JSON-API)", f"{json_sites.API_PATH}?page=1"),
        ("Buurtnetwerken Maastricht (JSON)", json_sites.NETWORKS_PATH),
        ("Uit in Maastricht (JSON-LD agenda)", uitagenda_site.HOME),
        ("Vrijwilligersbank Zuid-Limburg (HTML)", vacaturebank_site.HOME),
        ("Vrijwilligersbank sitemap", vacaturebank_site.SITEMAP_PATH),
        ("Buurtplatform Malberg (WordPress)", f"{WIJKPLATFORM_PREFIX}/"),
        ("Buurtcentrum Tragos - agenda (WordPress)", f"{BUURTCENTRUM_PREFIX}/"),
    ]
    if decidim:
        sites.append(("Maastricht Denkt Mee (Decidim GraphQL, POST)", f"{DECIDIM_PREFIX}/api"))
    lis = "".join(f'<li><a href="{esc(href)}">{esc(name)}</a></li>' for name, href in sites)
    return layout(
        "Demosites",
        f"<h1>Demosites van Thuis in Maastricht</h1><ul>{lis}</ul>",
        site="Thuis in Maastricht demo",
        home="/",
    )


def build_demo_web(host: str = "127.0.0.1", port: int = 0, today: date | None = None) -> LocalWeb:
    """A LocalWeb (not yet started) serving every demo site; ``port=0`` picks a free port."""
    web = LocalWeb(host, port)
    base = web.url("")
    cat = load_catalog(today)
    rss_site.register(web, cat, base)
    ical_site.register(web, cat, base)
    json_sites.register(web, cat, base)
    uitagenda_site.register(web, cat, base)
    vacaturebank_site.register(web, cat, base)
    wordpress_site.register(web, cat, base, "wijkplatform", WIJKPLATFORM_PREFIX)
    wordpress_site.register(web, cat, base, "buurtcentrum", BUURTCENTRUM_PREFIX, posts=False)
    decidim = decidim_module()
    if decidim is not None:
        decidim.register(web, prefix=DECIDIM_PREFIX)
    web.route("/robots.txt", robots_txt(base), content_type="text/plain; charset=utf-8")
    web.route("/", _index_page(decidim is not None))
    return web


def available_kinds() -> frozenset[str]:
    """Crawler kinds in ``crawlers.REGISTRY`` (imported lazily; the base four if it fails)."""
    try:
        from tim.crawlers import REGISTRY
    except ImportError:
        return BASE_KINDS
    return frozenset(REGISTRY)


_HEADER = """\
# sources.toml for the demo sites of Thuis in Maastricht (generated by demo.sites.demo_config_text).
# Every source lives on 127.0.0.1, so each needs allow_private_network = true. Priorities: the
# primary platforms (gemeente, Trajekt, MaastrichtDoet!) beat the aggregators (uitagenda,
# vrijwilligersbank) when a bundled item's fields disagree.

[settings]
user_agent = "ThuisInMaastrichtBot/0.1 (+https://www.thuisinmaastricht.nl/over-tim) demo"
delay = 0.05
timeout = 15.0
connect_timeout = 5.0
retries = 1
backoff = 0.1
"""

_BASE_SOURCES = """
[[sources]]
id = "{news}"
name = "Gemeente Maastricht - nieuws (demo)"
kind = "rss"
url = "{base}/gemeente/nieuws.rss"
item_kind = "news"
schedule = "every 1h"
allow_private_network = true
priority = 80
min_items = 5
expected_kinds = ["news"]

[[sources]]
id = "{agenda}"
name = "Buurtagenda Maastricht - Trajekt (demo)"
kind = "ical"
url = "{base}/agenda/agenda.ics"
item_kind = "event"
schedule = "every 1h"
allow_private_network = true
priority = 70
min_items = 5
expected_kinds = ["event"]

[[sources]]
id = "{vacatures}"
name = "MaastrichtDoet! - vacatures (demo)"
kind = "json"
url = "{base}/api/vacatures?page=1"
item_kind = "vacancy"
schedule = "every 1h"
allow_private_network = true
priority = 70
min_items = 5
expected_kinds = ["vacancy"]
items = "data.results"
next = "data.next"
[sources.fields]
id = "id"
title = "titel"
description = "omschrijving"
url = "link"
starts_at = "periode.start"
ends_at = "periode.eind"
organizer = "organisatie.naam"
location_name = "locatie.naam"
address = "locatie.adres"
postcode = "locatie.postcode"
city = "locatie.plaats"
lat = "locatie.lat"
lon = "locatie.lon"
categories = "categorieen"
published_at = "gepubliceerd"

[[sources]]
id = "{netwerken}"
name = "Buurtnetwerken Maastricht - Trajekt (demo)"
kind = "json"
url = "{base}/buurtnetwerken/netwerken.json"
item_kind = "network"
schedule = "every 1h"
allow_private_network = true
priority = 60
min_items = 5
expected_kinds = ["network", "initiative"]
items = "netwerken"
[sources.fields]
id = "id"
title = "naam"
description = "omschrijving"
url = "website"
kind = "type"
location_name = "ontmoetingsplek.naam"
address = "ontmoetingsplek.adres"
postcode = "ontmoetingsplek.postcode"
city = "ontmoetingsplek.plaats"
lat = "ontmoetingsplek.lat"
lon = "ontmoetingsplek.lon"

[[sources]]
id = "{uitagenda}"
name = "Uit in Maastricht - agenda (demo)"
kind = "jsonld"
url = "{base}/uitagenda/"
item_kind = "event"
schedule = "every 1h"
allow_private_network = true
priority = 30
min_items = 5
expected_kinds = ["event"]
follow = "a.event"
next = "a.volgende"
max_pages = 10
"""

_HTML_FIELDS = """[sources.fields]
id = "xpath://article[@data-vacature-id]/@data-vacature-id"
title = "h1::text"
description = "div.omschrijving"
url = "link[rel=canonical]::attr(href)"
organizer = "dd.organisatie a::text"
address = "dd.adres::text"
starts_at = "dd.start time::attr(datetime)"
ends_at = "dd.eind time::attr(datetime)"
categories = "dd.categorie::text"
"""

_HTML_SOURCES = """
[[sources]]
id = "{bank}"
name = "Vrijwilligersbank Zuid-Limburg (demo)"
kind = "html"
url = "{base}/vrijwilligersbank/"
item_kind = "vacancy"
schedule = "every 1h"
allow_private_network = true
priority = 30
min_items = 5
expected_kinds = ["vacancy"]
follow = "a.vacature"
next = "a.volgende"
max_pages = 10
{fields}
# The same bank discovered through its sitemap instead of the listing pages. Disabled: it would
# crawl the same vacancies twice; enable it (and disable the one above) to try sitemap discovery.
[[sources]]
id = "{bank}-sitemap"
name = "Vrijwilligersbank Zuid-Limburg via sitemap (demo)"
kind = "html"
sitemap = "{base}/vrijwilligersbank/sitemap.xml"
sitemap_pattern = "/vrijwilligersbank/vacature/"
item_kind = "vacancy"
enabled = false
allow_private_network = true
priority = 30
{fields}"""

_WORDPRESS_SOURCES = """
# A buurtplatform on WordPress: three lines (id, kind, url) would do; area = "Malberg" puts its
# items that name no place of their own in Malberg. page_size = 4 only to show the paging.
[[sources]]
id = "{wijkplatform}"
name = "Buurtplatform Malberg (demo)"
kind = "wordpress"
url = "{base}{wijkplatform_prefix}/"
area = "Malberg"
item_kind = "event"
schedule = "every 1h"
allow_private_network = true
priority = 60
page_size = 4
min_items = 5
expected_kinds = ["event", "news"]

# A community centre's agenda: its activities name no address, they happen in the centre.
# The site has no posts API (404): the crawler skips that part with a note.
[[sources]]
id = "{buurtcentrum}"
name = "Buurtcentrum Tragos - agenda (demo)"
kind = "wordpress"
url = "{base}{buurtcentrum_prefix}/"
venue = "{venue}"
item_kind = "event"
schedule = "every 1h"
allow_private_network = true
priority = 60
min_items = 3
expected_kinds = ["event"]
"""

_DECIDIM_SOURCE = """
[[sources]]
id = "{id}"
name = "Maastricht Denkt Mee - Decidim (demo)"
kind = "decidim"
url = "{base}{prefix}/api"
item_kind = "participation"
schedule = "every 1h"
allow_private_network = true
priority = 60
min_items = 1
"""


def demo_config_text(base_url: str, kinds: frozenset[str] | set[str] | None = None) -> str:
    """A complete ``sources.toml`` for the demo sites at ``base_url`` (``http://127.0.0.1:PORT``).

    ``kinds`` defaults to the kinds in ``crawlers.REGISTRY``: the html sources are included only
    with an ``html`` crawler, the Decidim source only with a ``decidim`` crawler and
    ``demo/decidim.py`` present.
    """
    base = base_url.rstrip("/")
    kinds = available_kinds() if kinds is None else frozenset(kinds)
    ids = {
        "news": SOURCE_IDS["nieuws"],
        "agenda": SOURCE_IDS["agenda"],
        "vacatures": SOURCE_IDS["vacatures"],
        "netwerken": SOURCE_IDS["buurtnetwerken"],
        "uitagenda": SOURCE_IDS["uitagenda"],
    }
    text = _HEADER + _BASE_SOURCES.format(base=base, **ids)
    if "html" in kinds:
        text += _HTML_SOURCES.format(
            base=base, bank=SOURCE_IDS["vrijwilligersbank"], fields=_HTML_FIELDS
        )
    if "wordpress" in kinds:
        text += _WORDPRESS_SOURCES.format(
            base=base, wijkplatform=SOURCE_IDS["wijkplatform"], wijkplatform_prefix=WIJKPLATFORM_PREFIX,
            buurtcentrum=SOURCE_IDS["buurtcentrum"], buurtcentrum_prefix=BUURTCENTRUM_PREFIX,
            venue=load_catalog().meta["buurtcentrum"]["bron"]["venue"],
        )
    if "decidim" in kinds and decidim_module() is not None:
        text += _DECIDIM_SOURCE.format(id=DECIDIM_SOURCE_ID, base=base, prefix=DECIDIM_PREFIX)
    return text
