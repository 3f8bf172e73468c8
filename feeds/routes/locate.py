"""``/locate?q=``: which buurt is a postcode, address or place in? (The map page's search box.)

The answer comes from the same place -> buurt chain that places every item
(``geo.Locator.explain``: CBS address table or known address point, PC6 centroid, street, venue,
buurt name), with the app's boundaries, imported address table and ``[geocoder]`` settings, so
the online fallback is asked only when ``[geocoder] provider`` is configured (it is off by
default). The locator is loaded once per process, on the first request.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tim.exports.safety import json_bytes

from ..params import invalid

router = APIRouter(tags=["items"])
MAX_QUERY = 200
_lock = threading.Lock()


def _locator(request: Request):
    app = request.app
    locator = getattr(app.state, "locator", None)
    if locator is None:
        from tim.geo import Locator

        with _lock:
            locator = getattr(app.state, "locator", None)
            if locator is None:
                locator = Locator.load(engine=app.state.engine, settings=app.state.config.geocoder)
                app.state.locator = locator
    return locator


def _reason(res) -> str:
    """Why no buurt was found, in words for the page."""
    if res.matched and "outside" in res.matched:
        return f"{res.matched.replace(' [outside Maastricht]', '')} ligt buiten Maastricht"
    if res.wijk_code:
        return "alleen de wijk is bekend, niet de buurt; geef een postcode of huisnummer"
    notes = [s.get("note") for s in res.steps if s.get("note")]
    if any("several buurten" in n for n in notes):
        return "deze straat ligt in meer dan één buurt; geef een huisnummer of postcode"
    return "geen plaats in Maastricht gevonden; probeer een postcode (6211 PG) of straat en huisnummer"


@router.get("/locate", response_class=Response,
            summary="The buurt of a postcode, address or place name (the map's search box)")
def locate(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY,
                            description="A postcode (6211 PG), an address (Markt 1), a venue or buurt name.")],
) -> Response:
    """`{query, buurt: {code, name, wijk_code, wijk_name} | null, method, confidence, matched, lat, lon,
    reason}`. `method` is the step of the chain that decided (`postcode`, `address_point`, `street`,
    `venue`, `buurt_name`, ...; `none` when nothing was found, with `reason` saying why);
    `confidence` is in [0, 1]. Empty text, text of only spaces or with control characters is a 422."""
    if any(ord(c) < 32 or ord(c) == 127 for c in q):
        raise invalid("q", "control characters are not allowed")
    text = " ".join(q.split())
    if not text:
        raise invalid("q", "empty: give a postcode (6211 PG), an address (Markt 1) or a place name")
    res = _locator(request).explain(text)
    buurt = request.app.state.buurt_index.get(res.buurt_code) if res.buurt_code else None
    body = {
        "query": text,
        "buurt": ({"code": buurt.code, "name": buurt.name, "wijk_code": buurt.wijk_code, "wijk_name": buurt.wijk_name}
                  if buurt else None),
        "method": res.method if buurt else "none",
        "confidence": round(float(res.confidence), 3) if buurt else 0.0,
        "matched": res.matched,
        "lat": res.lat if buurt else None,
        "lon": res.lon if buurt else None,
        "reason": None if buurt else _reason(res),
    }
    return Response(json_bytes(body), media_type="application/json", headers={"Cache-Control": "no-cache"})
