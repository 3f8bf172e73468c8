"""Realistic local sites for the crawler tests: a JSON-LD agenda and an HTML vacancy bank.

Each builder adds routes to a ``demo.web.LocalWeb`` and returns what the crawl should find.
"""

from __future__ import annotations

import gzip
import json

from tim.demo.web import LocalWeb, Response

EVENTS = [
    {"slug": "repair-cafe-wittevrouwenveld", "name": "Repair Café Wittevrouwenveld",
     "start": "2025-04-12T14:00:00+02:00", "end": "2025-04-12T17:00:00+02:00",
     "place": "Buurthuis Wittevrouwenveld", "street": "Burgemeester van Oppenstraat 107",
     "postcode": "6224 ER", "geo": (50.8532668, 5.7127396), "org": "Buurtnetwerk Wittevrouwenveld"},
    {"slug": "taalcafe-ceramique", "name": "Taalcafé Centre Céramique",
     "start": "2025-04-14T19:00:00+02:00", "end": "2025-04-14T20:30:00+02:00",
     "place": "Centre Céramique", "street": "Avenue Céramique 50", "postcode": "6221 KV",
     "geo": (50.8459909, 5.7010801), "org": "Centre Céramique"},
    {"slug": "buurtfeest-malberg", "name": "Buurtfeest Malberg", "start": "2025-06-21",
     "end": None, "place": "Medisch Centrum Caberg (plein)", "street": "Clavecymbelstraat 39",
     "postcode": "6217 CR", "geo": None, "org": "Buurtplatform Malberg"},
    {"slug": "lezing-landbouwbelang", "name": "Lezing: de stad als moestuin",
     "start": "2025-05-02T20:00:00+02:00", "end": None, "place": "Landbouwbelang",
     "street": "Biesenwal 3", "postcode": "6211 AD", "geo": (50.855471, 5.6946058),
     "org": "Landbouwbelang"},
    {"slug": "inloop-de-beyart", "name": "Inloopspreekuur De Beyart",
     "start": "2025-04-15T10:00:00+02:00", "end": "2025-04-15T12:00:00+02:00",
     "place": "De Beyart", "street": "Brusselsestraat 38", "postcode": "6211 PG",
     "geo": (50.8496788, 5.6837187), "org": "Trajekt"},
]


def event_jsonld(ev: dict, base: str) -> dict:
    place = {"@type": "Place", "name": ev["place"], "address": {
        "@type": "PostalAddress", "streetAddress": ev["street"], "postalCode": ev["postcode"],
        "addressLocality": "Maastricht", "addressCountry": "NL"}}
    if ev["geo"]:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": ev["geo"][0], "longitude": ev["geo"][1]}
    data = {"@context": "https://schema.org", "@type": "Event", "name": ev["name"],
            "description": f"<p>{ev['name']} in {ev['place']}.</p>", "startDate": ev["start"],
            "url": f"{base}/agenda/{ev['slug']}", "location": place,
            "organizer": {"@type": "Organization", "name": ev["org"]},
            "keywords": "buurt, ontmoeten"}
    if ev["end"]:
        data["endDate"] = ev["end"]
    return data


def detail_page(ev: dict, base: str) -> str:
    breadcrumb = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": []}
    return f"""<!doctype html><html lang="nl"><head><title>{ev['name']} - UitAgenda Maastricht</title>
<script type="application/ld+json">{json.dumps(breadcrumb)}</script>
<script type="application/ld+json">{json.dumps(event_jsonld(ev, base), ensure_ascii=False)}</script>
</head><body><h1>{ev['name']}</h1><p>Meer info volgt.</p></body></html>"""


def agenda_site(web: LocalWeb, per_page: int = 2) -> list[dict]:
    """``/agenda/`` listing pages (``a.event`` links, ``a.volgende`` next) and detail pages."""
    base = web.url("").rstrip("/")
    pages = [EVENTS[i:i + per_page] for i in range(0, len(EVENTS), per_page)]
    web.route("/agenda/", lambda req: _listing(req, pages))
    for ev in EVENTS:
        web.route(f"/agenda/{ev['slug']}", detail_page(ev, base))
    return EVENTS


def _listing(req, pages) -> Response:
    n = int(req.arg("pagina", "1"))
    chunk = pages[n - 1] if 1 <= n <= len(pages) else []
    items = "".join(f'<li><a class="event" href="/agenda/{e["slug"]}">{e["name"]}</a></li>' for e in chunk)
    nxt = f'<a class="volgende" href="/agenda/?pagina={n + 1}">Volgende</a>' if n < len(pages) else ""
    return Response(f"<html><body><h1>UitAgenda</h1><ul>{items}</ul><nav>{nxt}</nav></body></html>")


def sitemap_site(web: LocalWeb) -> None:
    """A gzipped sitemap index pointing at a sitemap with the agenda pages and other pages."""
    agenda_site(web)
    urls = [web.url(f"/agenda/{e['slug']}") for e in EVENTS] + [web.url("/over-ons"), web.url("/contact")]
    urlset = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              + "".join(f"<url><loc>{u}</loc><lastmod>2025-03-01</lastmod></url>" for u in urls) + "</urlset>")
    index = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{web.url('/sitemap-pages.xml.gz')}</loc></sitemap></sitemapindex>")
    web.route("/sitemap.xml", Response(index, content_type="application/xml"))
    web.route("/sitemap-pages.xml.gz", Response(gzip.compress(urlset.encode()), content_type="application/gzip"))
    web.route("/over-ons", "<html><body>Over ons</body></html>")


VACATURES = [
    ("gastvrouw-ceramique", "Gastvrouw/-heer taalcafé", "Centre Céramique", "Avenue Céramique 50", "6221 KV", "Taal"),
    ("maatje-malberg", "Maatje voor een oudere buurtgenoot", "Trajekt", "Malbergsingel 68", "6218 AV", "Ouderen"),
    ("repair-wvv", "Reparateur Repair Café", "Buurtnetwerk Wittevrouwenveld", "Burgemeester van Oppenstraat 107", "6224 ER", "Duurzaam"),
    ("chauffeur-caberg", "Chauffeur boodschappenbus", "Tragos", "Kastanjelaan 64", "6217 SB", "Vervoer"),
    ("tuin-landbouwbelang", "Stadstuinier", "Landbouwbelang", "Biesenwal 3", "6211 AD", "Groen"),
    ("voorlezen-limmel", "Voorlezer groep 3", "Basisschool De Geluksvogel", "Balijeweg 101", "6222 BE", "Onderwijs"),
    ("huiskamer-bosch", "Gastheer huiskamer", "Huiskamer", "Zwanenstraat 4", "6211 BN", "Ontmoeten"),
    ("klussen-heer", "Klusser voor buurtgenoten", "Buurtplatform Heer", None, None, "Klussen"),
]


def vacancy_detail(slug: str, title: str, org: str, street: str | None, postcode: str | None, cat: str) -> str:
    """A detail page: the title/organisation/category in HTML; the address in a <dl> or, on the
    last vacancy, only in JSON-LD (so structured data fills what the selectors miss)."""
    place = (f"<dt>Adres</dt><dd>{street}, {postcode} Maastricht</dd>" if street else "")
    jsonld = ""
    if street is None:
        jsonld = ('<script type="application/ld+json">' + json.dumps({
            "@context": "https://schema.org", "@type": "JobPosting", "title": title,
            "datePosted": "2025-03-02", "hiringOrganization": {"@type": "Organization", "name": org},
            "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress",
                            "streetAddress": "Ridder van Heerstraat 10", "postalCode": "6227 RS",
                            "addressLocality": "Maastricht"}}}) + "</script>")
    return f"""<!doctype html><html lang="nl"><head><title>{title} | Vrijwilligersbank Maastricht</title>{jsonld}</head>
<body><article class="vacature"><h1>{title}</h1>
<div class="omschrijving"><p>Wij zoeken een <strong>{title.lower()}</strong> voor {org}.</p></div>
<dl><dt>Organisatie</dt><dd>{org}</dd>{place}</dl>
<ul class="tags"><li>{cat}</li><li>Vrijwilligerswerk</li></ul>
<a class="site" href="/organisaties/{slug}">Website organisatie</a></article></body></html>"""


def vacancy_bank(web: LocalWeb, per_page: int = 3) -> list[tuple]:
    """``/vacatures`` with three listing pages (``a.vacature`` links, ``li.next a`` next page),
    detail pages under ``/vacatures/<slug>``, and a robots.txt that keeps us out of /intern/."""
    pages = [VACATURES[i:i + per_page] for i in range(0, len(VACATURES), per_page)]

    def listing(req):
        n = int(req.arg("page", "1"))
        items = "".join(f'<li><a class="vacature" href="/vacatures/{v[0]}">{v[1]}</a></li>'
                        for v in pages[n - 1])
        nxt = f'<li class="next"><a href="/vacatures?page={n + 1}">Volgende</a></li>' if n < len(pages) else ""
        intern = '<a class="vacature" href="/intern/concept">Concept</a>' if n == 1 else ""
        return Response(f"<html><body><ul>{items}</ul>{intern}<ul class='pager'>{nxt}</ul></body></html>")

    web.route("/vacatures", listing)
    web.route("/robots.txt", Response("User-agent: *\nDisallow: /intern/\n", content_type="text/plain"))
    web.route("/intern/concept", "<h1>Niet publiceren</h1>")
    for v in VACATURES:
        web.route(f"/vacatures/{v[0]}", vacancy_detail(*v))
    return VACATURES
