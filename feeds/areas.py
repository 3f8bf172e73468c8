"""The buurten and wijken the feeds, the map and the statistics are about.

Buurten come from ``geo`` (``geo.Locator.buurten()`` when the locator exists, so an imported
full-resolution boundary set is used; else the bundled CBS 2024 polygons of ``geo.data``);
inhabitants per wijk from ``data/maastricht_wijken_cbs2024.geojson`` (CBS Kerncijfers 2024).
Geometries are kept as GeoJSON dicts in WGS84 (lon/lat), rounded to 6 decimals.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache

from shapely.geometry import mapping

log = logging.getLogger("tim.feeds")

WIJKEN_FILE = "maastricht_wijken_cbs2024.geojson"
BUURTEN_FILE = "maastricht_buurten_cbs2024.geojson"


@dataclass(frozen=True)
class Buurt:
    """One buurt as the feeds show it."""

    code: str
    name: str
    wijk_code: str
    wijk_name: str | None
    geometry: dict | None = field(default=None, repr=False, compare=False)
    inhabitants: int | None = None
    label: tuple[float, float] | None = None
    """Where the map writes the buurt's name: ``(lon, lat)``, inside the polygon (see ``label_point``)."""


@dataclass(frozen=True)
class Wijk:
    """One wijk: its buurten and its CBS 2024 inhabitants (when known)."""

    code: str
    name: str | None
    buurt_codes: tuple[str, ...]
    inhabitants: int | None = None


def _round(coords):
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), 6) for c in coords]
    return [_round(c) for c in coords]


def _geojson(geom) -> dict | None:
    if geom is None:
        return None
    g = mapping(geom)
    return {"type": g["type"], "coordinates": _round(g["coordinates"])}


def _from_geo(engine) -> list:
    """The buurt objects of ``geo``: the locator's boundary set, else the bundled polygons."""
    try:
        from tim.geo import Locator  # type: ignore[attr-defined]
    except ImportError:
        Locator = None
    if Locator is not None:
        try:
            return list(Locator.load(engine=engine).buurten())
        except Exception as exc:  # noqa: BLE001  (fall back to the bundled polygons, and say so)
            log.warning("geo.Locator could not load its buurten (%s); using the bundled polygons", exc)
    from tim.geo.data import bundled_boundaries

    return list(bundled_boundaries().buurten)


def label_point(geom) -> tuple[float, float] | None:
    """A point well inside ``geom`` for its name on the map: the pole of inaccessibility of its
    largest part (shapely ``polylabel``, the point farthest from the edge), else shapely's
    ``representative_point``; ``(lon, lat)`` rounded to 6 decimals."""
    from shapely.ops import polylabel

    if geom is None or geom.is_empty:
        return None
    part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    try:
        pt = polylabel(part, tolerance=0.00005)
    except Exception:  # noqa: BLE001  (an odd geometry still gets a point inside it)
        pt = geom.representative_point()
    if not geom.contains(pt):
        pt = geom.representative_point()
    return round(pt.x, 6), round(pt.y, 6)


def load_buurten(engine=None) -> list[Buurt]:
    """Every buurt of Maastricht (44 for CBS 2024), ordered by code."""
    out = []
    for b in _from_geo(engine):
        out.append(Buurt(code=b.code, name=b.name, wijk_code=b.wijk_code, wijk_name=getattr(b, "wijk_name", None),
                         geometry=_geojson(getattr(b, "geometry", None)),
                         inhabitants=getattr(b, "inhabitants", None),
                         label=label_point(getattr(b, "geometry", None))))
    return sorted(out, key=lambda b: b.code)


@lru_cache(maxsize=1)
def wijk_inhabitants_file() -> dict[str, tuple[str | None, int | None]]:
    """wijk code -> (name, CBS 2024 inhabitants) from the bundled wijken file."""
    from tim.normalizers.address import data_dir

    path = data_dir() / WIJKEN_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("cannot read %s: %s; no inhabitants per wijk", path, exc)
        return {}
    out = {}
    for feat in data.get("features", []):
        p = feat.get("properties") or {}
        n = p.get("cbs_kwb2024_inwoners")
        out[str(p.get("wijkcode"))] = (p.get("wijknaam"), int(n) if isinstance(n, (int, float)) else None)
    return out


def load_wijken(buurten: list[Buurt]) -> list[Wijk]:
    """The wijken of ``buurten``, with CBS 2024 inhabitants from the bundled file."""
    figures = wijk_inhabitants_file()
    codes: dict[str, list[Buurt]] = {}
    for b in buurten:
        codes.setdefault(b.wijk_code, []).append(b)
    out = []
    for code, members in sorted(codes.items()):
        name, inhabitants = figures.get(code, (None, None))
        out.append(Wijk(code=code, name=members[0].wijk_name or name,
                        buurt_codes=tuple(b.code for b in members), inhabitants=inhabitants))
    return out
