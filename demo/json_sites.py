"""Two JSON sources: MaastrichtDoet!'s paged vacancy API and Trajekt's list of buurtnetwerken.

``/api/vacatures?page=N`` answers ``{"data": {"count", "page", "pages", "next", "previous",
"results": [...]}}`` with ``next`` an absolute URL or null; ``/buurtnetwerken/netwerken.json``
is one page ``{"bijgewerkt", "netwerken": [...]}`` whose records carry their own ``type``.
Both answer conditional GETs. Each record's ``link``/``website`` is an HTML page on the demo.
"""

from __future__ import annotations

import json
from typing import Any

from tim.demo.catalog import Catalog, Entry
from tim.demo.httputil import conditional
from tim.demo.pages import dutch_date, esc, layout
from tim.demo.web import LocalWeb, Request, Response

API_PATH = "/api/vacatures"
NETWORKS_PATH = "/buurtnetwerken/netwerken.json"
PAGE_SIZE = 10
JSON_TYPE = "application/json; charset=utf-8"


def _locatie(e: Entry) -> dict[str, Any] | None:
    """The ``locatie`` object as the content's ``weergave`` says (None = no place)."""
    p = e.place
    if p is None or e.mode in ("tekst", "buurt", "geen"):
        return None
    loc: dict[str, Any] = {
        "naam": None,
        "adres": None,
        "postcode": None,
        "plaats": None,
        "lat": None,
        "lon": None,
    }
    if e.mode in ("adres", "adres+geo", "straat"):
        loc.update(naam=e.place_name, adres=p.street_line(), plaats=p.plaats)
        if e.mode != "straat":
            loc["postcode"] = p.postcode
    if e.mode == "postcode":
        loc["postcode"] = p.postcode
    if e.mode in ("adres+geo", "geo"):
        loc.update(lat=p.lat, lon=p.lon)
        if e.mode == "geo":
            loc["naam"] = e.place_name
    return loc


def vacancy_link(base: str, e: Entry) -> str:
    return f"{base}/maastrichtdoet/vacature/{e.key}-{e.slug}"


def vacancy_record(e: Entry, base: str) -> dict[str, Any]:
    return {
        "id": int(e.key),
        "titel": e.title,
        "omschrijving": e.description_html(),
        "link": vacancy_link(base, e),
        "periode": {
            "start": e.starts_at.isoformat(),
            "eind": e.ends_at.isoformat() if e.ends_at else None,
        },
        "organisatie": {"naam": e.organizer},
        "locatie": _locatie(e),
        "tijdsinvestering": e.data.get("uren"),
        "categorieen": e.data.get("categorieen", []),
        "gepubliceerd": e.published_at.isoformat(),
    }


def render_pages(cat: Catalog, base: str) -> list[str]:
    """Every page of the vacancy API, as JSON text (index 0 = page 1)."""
    records = [vacancy_record(e, base) for e in cat.site("vacatures")]
    chunks = [records[i : i + PAGE_SIZE] for i in range(0, len(records), PAGE_SIZE)]
    pages = []
    for n, chunk in enumerate(chunks, 1):
        doc = {
            "data": {
                "count": len(records),
                "page": n,
                "pages": len(chunks),
                "next": f"{base}{API_PATH}?page={n + 1}" if n < len(chunks) else None,
                "previous": f"{base}{API_PATH}?page={n - 1}" if n > 1 else None,
                "results": chunk,
            },
            "meta": {"bron": "MaastrichtDoet! (demo)", "taal": "nl"},
        }
        pages.append(json.dumps(doc, ensure_ascii=False, indent=1))
    return pages


def network_record(e: Entry, base: str) -> dict[str, Any]:
    return {
        "id": e.key,
        "naam": e.title,
        "type": e.kind,
        "soort": e.data.get("soort"),
        "omschrijving": e.description_html(),
        "website": f"{base}/buurtnetwerken/{e.key}",
        "ontmoetingsplek": _locatie(e),
    }


def render_networks(cat: Catalog, base: str) -> str:
    doc = {
        "bijgewerkt": cat.generated_at.isoformat(),
        "netwerken": [network_record(e, base) for e in cat.site("buurtnetwerken")],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)


def _detail_page(e: Entry, site: str, home: str, base_link: str) -> str:
    loc = _locatie(e)
    where = (
        ", ".join(str(v) for k, v in (loc or {}).items() if v and k not in ("lat", "lon"))
        or "Zie omschrijving"
    )
    period = ""
    if e.site == "vacatures":
        period = (
            f'<p class="periode">Vanaf {dutch_date(e.starts_at, weekday=False)}'
            + (f" tot {dutch_date(e.ends_at, weekday=False)}" if e.ends_at else " (doorlopend)")
            + "</p>"
        )
    body = (
        f'<article><h1>{esc(e.title)}</h1><p class="organisatie">{esc(e.organizer or "")}'
        f"</p>{period}"
        f'<p class="waar">{esc(where)}</p><div class="omschrijving">{e.description_html()}</div>'
        "</article>"
    )
    return layout(e.title, body, site=site, home=home, canonical=base_link)


def register(web: LocalWeb, cat: Catalog, base: str) -> None:
    """Routes: the paged API, the networks list (both conditional) and their HTML pages."""
    pages = render_pages(cat, base)

    def api(req: Request) -> Response:
        try:
            n = int(req.arg("page", "1"))
        except ValueError:
            return Response('{"error": "page moet een getal zijn"}', 400, content_type=JSON_TYPE)
        if n < 1:
            return Response('{"error": "page begint bij 1"}', 400, content_type=JSON_TYPE)
        if n > len(pages):
            empty = {
                "data": {
                    "count": len(cat.site("vacatures")),
                    "page": n,
                    "pages": len(pages),
                    "next": None,
                    "previous": f"{base}{API_PATH}?page={len(pages)}",
                    "results": [],
                }
            }
            return conditional(req, json.dumps(empty), JSON_TYPE, cat.generated_at)
        return conditional(req, pages[n - 1], JSON_TYPE, cat.generated_at)

    web.route(API_PATH, api)
    for e in cat.site("vacatures"):
        link = vacancy_link(base, e)
        web.route(
            link.removeprefix(base), _detail_page(e, "MaastrichtDoet!", "/maastrichtdoet/", link)
        )

    networks = render_networks(cat, base)
    web.route(NETWORKS_PATH, lambda req: conditional(req, networks, JSON_TYPE, cat.generated_at))
    for e in cat.site("buurtnetwerken"):
        link = f"{base}/buurtnetwerken/{e.key}"
        web.route(
            f"/buurtnetwerken/{e.key}",
            _detail_page(e, "Buurtnetwerken Maastricht", "/buurtnetwerken/", link),
        )
