"""The "Uit in Maastricht" agenda: listing pages linking to detail pages with Event JSON-LD.

``/uitagenda/`` and ``/uitagenda/pagina/N`` list 8 events each (``a.event`` to the detail page,
``a.volgende`` to the next page, plus filter and navigation links that are not events). A detail
page ``/uitagenda/evenement/<slug>`` carries a BreadcrumbList and a schema.org Event with
``location`` Place / PostalAddress / GeoCoordinates as the content's ``weergave`` says; start and
end times use the notation the content names (offset, UTC or local without zone).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from tim.demo.catalog import Catalog, Entry
from tim.demo.pages import dutch_when, esc, layout
from tim.demo.web import LocalWeb

PER_PAGE = 8
SITE = "Uit in Maastricht"
HOME = "/uitagenda/"


def listing_path(n: int) -> str:
    return HOME if n == 1 else f"{HOME}pagina/{n}"


def detail_path(e: Entry) -> str:
    return f"{HOME}evenement/{e.slug}"


def _stamp(dt: datetime, notation: str) -> str:
    if notation == "utc":
        return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if notation == "lokaal":
        return dt.strftime("%Y-%m-%dT%H:%M")
    return dt.isoformat()


def _location(e: Entry) -> dict[str, Any] | None:
    p = e.place
    if p is None or e.mode in ("tekst", "buurt", "geen"):
        return None
    place: dict[str, Any] = {"@type": "Place"}
    if e.place_name:
        place["name"] = e.place_name
    if e.mode in ("adres", "adres+geo", "straat", "postcode"):
        addr: dict[str, Any] = {"@type": "PostalAddress"}
        if e.mode != "postcode" and p.street_line():
            addr["streetAddress"] = p.street_line()
        if e.mode != "straat" and p.postcode:
            addr["postalCode"] = p.postcode if e.mode == "adres+geo" else p.postcode_display()
        addr["addressLocality"] = p.plaats
        addr["addressCountry"] = p.land
        place["address"] = addr
    if e.mode in ("adres+geo", "geo"):
        place["geo"] = {"@type": "GeoCoordinates", "latitude": p.lat, "longitude": p.lon}
    return place


def event_jsonld(e: Entry, base: str) -> dict[str, Any]:
    url = base + detail_path(e)
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url + "#evenement",
        "name": e.title,
        "description": e.description_text(),
        "url": url,
        "startDate": _stamp(e.starts_at, e.notation),
        "endDate": _stamp(e.ends_at, e.notation),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "inLanguage": "nl",
        "isAccessibleForFree": True,
        "organizer": {"@type": "Organization", "name": e.organizer},
    }
    loc = _location(e)
    if loc:
        doc["location"] = loc
    return doc


def _breadcrumbs(e: Entry, base: str) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Agenda", "item": base + HOME},
            {"@type": "ListItem", "position": 2, "name": e.data["categorie"]},
            {"@type": "ListItem", "position": 3, "name": e.title},
        ],
    }


def _script(doc: dict[str, Any]) -> str:
    text = json.dumps(doc, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def _where(e: Entry) -> str:
    loc = _location(e)
    if not loc:
        return "Meer informatie in de beschrijving"
    addr = loc.get("address", {})
    parts = [
        loc.get("name"),
        addr.get("streetAddress"),
        " ".join(x for x in (addr.get("postalCode"), addr.get("addressLocality")) if x),
    ]
    return ", ".join(p for p in parts if p)


def _detail_page(e: Entry, base: str) -> str:
    body = (
        f'<nav class="kruimelpad"><a href="{HOME}">Agenda</a> &rsaquo; {esc(e.data["categorie"])}'
        "</nav>"
        f'<article class="evenement"><h1>{esc(e.title)}</h1>'
        '<p class="wanneer">'
        f'<time datetime="{e.starts_at.isoformat()}">'
        f"{esc(dutch_when(e.starts_at, e.ends_at))}</time></p>"
        f'<p class="waar">{esc(_where(e))}</p>'
        f'<p class="organisator">Organisatie: {esc(e.organizer)}</p>'
        f'<div class="beschrijving">{e.description_html()}</div>'
        f'<p><a class="terug" href="{HOME}">Terug naar de agenda</a></p></article>'
    )
    head = _script(_breadcrumbs(e, base)) + "\n" + _script(event_jsonld(e, base))
    return layout(
        e.title,
        body,
        site=SITE,
        home=HOME,
        head=head,
        canonical=base + detail_path(e),
        nav=[("Agenda", HOME), ("Tip een evenement", f"{HOME}tip")],
    )


def ordered(cat: Catalog) -> list[Entry]:
    """Events in listing order: by start, then slug."""
    return sorted(cat.site("uitagenda"), key=lambda e: (e.starts_at, e.slug))


def _listing_page(events: list[Entry], n: int, total_pages: int) -> str:
    cards = "".join(
        '<article class="agenda-item">'
        f'<h2><a class="event" href="{detail_path(e)}">{esc(e.title)}</a></h2>'
        f'<p class="wanneer">{esc(dutch_when(e.starts_at, e.ends_at))}</p>'
        f'<p class="waar">{esc(_where(e))}</p>'
        f'<p><a class="categorie" href="{HOME}?categorie={esc(e.data["categorie"].lower())}">'
        f"{esc(e.data['categorie'])}</a></p>"
        "</article>"
        for e in events
    )
    nav = ""
    if n > 1:
        nav += f'<a class="vorige" href="{listing_path(n - 1)}">&laquo; Vorige</a> '
    nav += f"<span>Pagina {n} van {total_pages}</span>"
    if n < total_pages:
        nav += f' <a class="volgende" href="{listing_path(n + 1)}">Volgende &raquo;</a>'
    body = (
        "<h1>Agenda Maastricht</h1>"
        '<p class="filters">Filter: <a href="/uitagenda/?wanneer=vandaag">Vandaag</a> '
        '<a href="/uitagenda/?wanneer=weekend">Dit weekend</a></p>'
        f'<section class="agenda">{cards}</section><nav class="paginering">{nav}</nav>'
    )
    return layout(
        "Agenda" + (f" - pagina {n}" if n > 1 else ""),
        body,
        site=SITE,
        home=HOME,
        nav=[("Agenda", HOME), ("Tip een evenement", f"{HOME}tip")],
    )


def register(web: LocalWeb, cat: Catalog, base: str) -> None:
    """Routes: the listing pages, one detail page per event and the "tip" page."""
    events = ordered(cat)
    chunks = [events[i : i + PER_PAGE] for i in range(0, len(events), PER_PAGE)]
    for n, chunk in enumerate(chunks, 1):
        web.route(listing_path(n), _listing_page(chunk, n, len(chunks)))
    for e in events:
        web.route(detail_path(e), _detail_page(e, base))
    web.route(
        f"{HOME}tip",
        layout(
            "Tip een evenement",
            "<h1>Tip een evenement</h1><p>Mail je tip naar de redactie.</p>",
            site=SITE,
            home=HOME,
        ),
    )
