"""GeoJSON (RFC 7946): a FeatureCollection of bundled items (Point in WGS84 lon/lat, or
``geometry: null`` for an item without a point), and of the buurt polygons for the map."""

from __future__ import annotations

from tim.exports.safety import json_bytes
from . import FeedMeta

_PROPERTY_SKIP = ("lat", "lon", "description_html")


def point(item: dict) -> dict | None:
    lat, lon = item.get("lat"), item.get("lon")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and -90 <= lat <= 90 and -180 <= lon <= 180:
        return {"type": "Point", "coordinates": [round(float(lon), 6), round(float(lat), 6)]}
    return None


def render(items: list[dict], meta: FeedMeta) -> bytes:
    """Items as a FeatureCollection; paging as foreign members ``links`` (rel self/next)."""
    links = [{"rel": "self", "type": "application/geo+json", "href": meta.self_url}]
    if meta.next_url:
        links.append({"rel": "next", "type": "application/geo+json", "href": meta.next_url})
    doc = {
        "type": "FeatureCollection",
        "name": meta.title,
        "links": links,
        "features": [
            {"type": "Feature", "id": i["id"], "geometry": point(i),
             "properties": {k: v for k, v in i.items() if k not in _PROPERTY_SKIP}}
            for i in items
        ],
    }
    return json_bytes(doc)


def render_areas(buurten: list, counts: dict[str, dict[str, int]]) -> bytes:
    """The buurt polygons with their active item counts per kind (the map's data); ``label`` is
    ``[lon, lat]`` inside the polygon, where the map writes the name."""
    feats = []
    for b in buurten:
        per_kind = counts.get(b.code, {})
        feats.append({"type": "Feature", "id": b.code, "geometry": b.geometry,
                      "properties": {"code": b.code, "name": b.name, "wijk_code": b.wijk_code,
                                     "wijk_name": b.wijk_name, "items": sum(per_kind.values()),
                                     "per_kind": per_kind,
                                     "label": list(b.label) if getattr(b, "label", None) else None}})
    return json_bytes({"type": "FeatureCollection", "features": feats})
