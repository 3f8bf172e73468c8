"""The Vrijwilligersbank Zuid-Limburg: an HTML vacancy bank without an API.

Three listing pages (``/vrijwilligersbank/``, ``?pagina=2``, ``?pagina=3``) link with
``a.vacature`` to detail pages ``/vrijwilligersbank/vacature/<slug>`` holding ``h1``,
``div.omschrijving`` and a ``dl.gegevens`` (organisation link, address, start/end ``<time>``,
hours, category); ``a.volgende`` leads to the next listing page. One detail page (weergave
``jsonld``) has no address row: its place is only in its JobPosting JSON-LD. A sitemap lists the
detail pages.
"""

from __future__ import annotations

import json
from typing import Any

from tim.demo.catalog import Catalog, Entry, slugify
from tim.demo.pages import dutch_date, esc, layout
from tim.demo.web import LocalWeb, Request, Response

HOME = "/vrijwilligersbank/"
SITEMAP_PATH = "/vrijwilligersbank/sitemap.xml"
PER_PAGE = 6
SITE = "Vrijwilligersbank Zuid-Limburg"
NAV = [("Vacatures", HOME), ("Organisaties", f"{HOME}organisaties"), ("Zoeken", f"{HOME}zoeken")]


def listing_url(n: int) -> str:
    return HOME if n == 1 else f"{HOME}?pagina={n}"


def detail_path(e: Entry) -> str:
    return f"{HOME}vacature/{e.slug}"


def org_path(name: str) -> str:
    return f"{HOME}organisatie/{slugify(name)}"


def _address(e: Entry) -> str | None:
    """The text of ``dd.adres`` (None = no address row)."""
    p = e.place
    if p is None or e.mode in ("buurt", "geen", "jsonld", "tekst"):
        return None
    pc = e.data.get("postcode_schrijfwijze")
    if e.mode == "postcode":
        return f"{pc or p.postcode_display()} {p.plaats}"
    return p.address_line(postcode_text=pc)


def _jobposting(e: Entry, base: str) -> dict[str, Any]:
    p = e.place
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": e.title,
        "description": e.description_html(),
        "datePosted": e.starts_at.isoformat(),
        "employmentType": "VOLUNTEER",
        "url": base + detail_path(e),
        "identifier": {"@type": "PropertyValue", "name": SITE, "value": e.key},
        "hiringOrganization": {"@type": "Organization", "name": e.organizer},
    }
    if e.ends_at:
        doc["validThrough"] = e.ends_at.isoformat()
    if p is not None:
        doc["jobLocation"] = {
            "@type": "Place",
            "name": e.place_name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": p.street_line(),
                "postalCode": p.postcode_display(),
                "addressLocality": p.plaats,
                "addressCountry": p.land,
            },
            "geo": {"@type": "GeoCoordinates", "latitude": p.lat, "longitude": p.lon},
        }
    return doc


def _detail_page(e: Entry, base: str) -> str:
    rows = [
        ("Organisatie", "organisatie", f'<a href="{org_path(e.organizer)}">{esc(e.organizer)}</a>')
    ]
    addr = _address(e)
    if addr:
        rows.append(("Adres", "adres", esc(addr)))
    rows.append(
        (
            "Startdatum",
            "start",
            f'<time datetime="{e.starts_at.isoformat()}">{dutch_date(e.starts_at, weekday=False)}'
            "</time>",
        )
    )
    if e.ends_at:
        rows.append(
            (
                "Einddatum",
                "eind",
                f'<time datetime="{e.ends_at.isoformat()}">{dutch_date(e.ends_at, weekday=False)}'
                "</time>",
            )
        )
    else:
        rows.append(("Einddatum", "eind", "doorlopend"))
    rows += [
        ("Tijdsinvestering", "uren", esc(e.data["uren"])),
        ("Categorie", "categorie", esc(e.data["categorie"])),
    ]
    dl = "".join(f'<dt>{label}</dt><dd class="{cls}">{value}</dd>' for label, cls, value in rows)
    body = (
        f'<nav class="kruimelpad"><a href="{HOME}">Vacatures'
        f"</a> &rsaquo; {esc(e.data['categorie'])}</nav>"
        f'<article class="vacature-detail" data-vacature-id="{esc(e.key)}">'
        f"<h1>{esc(e.title)}</h1>"
        f'<div class="omschrijving">{e.description_html()}</div>'
        f'<dl class="gegevens">{dl}</dl>'
        f'<p><a class="knop reageer" href="{HOME}reageer?vacature={esc(e.key)}">'
        "Reageer op deze vacature</a></p>"
        "</article>"
    )
    head = ""
    if e.mode == "jsonld":
        text = json.dumps(_jobposting(e, base), ensure_ascii=False, indent=1).replace("</", "<\\/")
        head = f'<script type="application/ld+json">\n{text}\n</script>'
    return layout(
        e.title, body, site=SITE, home=HOME, nav=NAV, head=head, canonical=base + detail_path(e)
    )


def _listing_page(entries: list[Entry], n: int, total: int, count: int) -> str:
    cards = "".join(
        '<li class="vacature-kaart">'
        f'<h2><a class="vacature" href="{detail_path(e)}">{esc(e.title)}</a></h2>'
        f'<p class="org"><a href="{org_path(e.organizer)}">{esc(e.organizer)}</a></p>'
        f'<p class="plaats">{esc(e.place.plaats if e.place else "Maastricht")}</p>'
        "</li>"
        for e in entries
    )
    nav = f'<a class="vorige" href="{listing_url(n - 1)}">Vorige</a> ' if n > 1 else ""
    nav += f"<span>Pagina {n} van {total}</span>"
    if n < total:
        nav += f' <a class="volgende" href="{listing_url(n + 1)}">Volgende</a>'
    body = (
        "<h1>Vrijwilligersvacatures in Maastricht en omgeving</h1>"
        f'<p class="resultaten">{count} vacatures, pagina {n} van {total}</p>'
        f'<form class="zoek" action="{HOME}zoeken"><input name="q" placeholder="Zoek op trefwoord">'
        "</form>"
        f'<ul class="vacatures">{cards}</ul><nav class="paginering">{nav}</nav>'
    )
    return layout(
        "Vacatures" + (f" - pagina {n}" if n > 1 else ""), body, site=SITE, home=HOME, nav=NAV
    )


def render_sitemap(cat: Catalog, base: str) -> str:
    urls = "".join(
        f"  <url><loc>{base}{detail_path(e)}</loc><lastmod>{e.starts_at.isoformat()}</lastmod>"
        "</url>\n"
        for e in cat.site("vrijwilligersbank")
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n"
    )


def register(web: LocalWeb, cat: Catalog, base: str) -> None:
    """Routes: listing pages (by ``?pagina=``), detail and organisation pages, sitemap, search."""
    entries = cat.site("vrijwilligersbank")
    chunks = [entries[i : i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)]
    listings = [_listing_page(c, n, len(chunks), len(entries)) for n, c in enumerate(chunks, 1)]

    def listing(req: Request) -> Response:
        try:
            n = int(req.arg("pagina", "1"))
        except ValueError:
            n = 0
        if not 1 <= n <= len(listings):
            return Response(
                layout("Niet gevonden", "<h1>Deze pagina bestaat niet</h1>", site=SITE, home=HOME),
                404,
            )
        return Response(listings[n - 1])

    web.route(HOME, listing)
    for e in entries:
        web.route(detail_path(e), _detail_page(e, base))
    orgs = sorted({e.organizer for e in entries})
    for org in orgs:
        items = "".join(
            f'<li><a href="{detail_path(e)}">{esc(e.title)}</a></li>'
            for e in entries
            if e.organizer == org
        )
        web.route(
            org_path(org),
            layout(org, f"<h1>{esc(org)}</h1><ul>{items}</ul>", site=SITE, home=HOME, nav=NAV),
        )
    org_list = "".join(f'<li><a href="{org_path(o)}">{esc(o)}</a></li>' for o in orgs)
    web.route(
        f"{HOME}organisaties",
        layout(
            "Organisaties",
            f"<h1>Organisaties</h1><ul>{org_list}</ul>",
            site=SITE,
            home=HOME,
            nav=NAV,
        ),
    )
    web.route(
        f"{HOME}zoeken",
        layout("Zoeken", "<h1>Zoeken</h1><p>Geen resultaten.</p>", site=SITE, home=HOME, nav=NAV),
    )
    web.route(
        SITEMAP_PATH, render_sitemap(cat, base), content_type="application/xml; charset=utf-8"
    )
