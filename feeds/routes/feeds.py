"""Feed documents per buurt and city-wide: Atom, JSON Feed 1.1, GeoJSON and iCal (events)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from ..formats import atom, geojson, ical, jsonfeed
from ..params import ListParams, buurt_code, filters
from .common import feed_meta, run_list

router = APIRouter(tags=["feeds"])

FORMATS = {
    "feed.atom": (atom.render, "application/atom+xml; charset=utf-8", None, None),
    "feed.json": (jsonfeed.render, "application/feed+json; charset=utf-8", None, None),
    "items.geojson": (geojson.render, "application/geo+json", None, None),
    "events.ics": (ical.render, "text/calendar; charset=utf-8", ("event",), "starts_at"),
}
Params = Annotated[ListParams, Depends(filters)]


def _serve(request: Request, params: ListParams, name: str, code: str | None) -> Response:
    renderer, media_type, kinds, sort = FORMATS[name]
    settings = request.app.state.config.serve
    if code:
        b = request.app.state.buurt_index[code]
        scope, scope_title, home = f"buurt:{code}", b.name, f"/buurten/{code}/items"
    else:
        scope, scope_title, home = "maastricht", "Maastricht", "/items"

    def render(items, next_url, changed_at) -> bytes:
        meta = feed_meta(request, scope_title=scope_title, scope=scope, home_path=home, items=items,
                         next_url=next_url, changed_at=changed_at, params=params)
        return renderer(items, meta)

    return run_list(request, params, scope=f"{scope}:{name}", default_limit=settings.feed_size,
                    media_type=media_type, render=render, kinds=kinds, sort=sort, buurt=code)


def _register(name: str, summary: str) -> None:
    def city(request: Request, params: Params) -> Response:
        return _serve(request, params, name, None)

    def buurt(request: Request, params: Params, code: Annotated[str, Depends(buurt_code)]) -> Response:
        return _serve(request, params, name, code)

    city.__name__ = f"city_{name.replace('.', '_')}"
    buurt.__name__ = f"buurt_{name.replace('.', '_')}"
    router.add_api_route(f"/{name}", city, methods=["GET"], summary=f"{summary}, city-wide",
                         response_class=Response)
    router.add_api_route(f"/buurten/{{code}}/{name}", buurt, methods=["GET"], summary=f"{summary} of one buurt",
                         response_class=Response)


_register("feed.atom", "Atom 1.0 feed of the bundled items")
_register("feed.json", "JSON Feed 1.1 of the bundled items")
_register("items.geojson", "GeoJSON FeatureCollection of the bundled items")
_register("events.ics", "iCalendar of the bundled events")
