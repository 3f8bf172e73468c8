"""Reading geo data from the database: the active imported boundary set, the CBS address table,
and CBS figures per buurt. Nothing here writes; see :mod:`geo.imports` for that."""

from __future__ import annotations

import logging

import shapely
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tim.errors import GeoError
from tim.geo.tables import (
    GeoAddressBuurtRow,
    GeoBoundaryRow,
    GeoBoundarySetRow,
    GeoRegionStatsRow,
    ensure_geo_tables,
)

from .boundaries import MAASTRICHT, BoundarySet, Buurt

log = logging.getLogger(__name__)


def active_version(engine: Engine, gemeente: str = MAASTRICHT) -> str | None:
    """Label of the gemeente's active imported boundary set, or None (bundled polygons in use)."""
    ensure_geo_tables(engine)
    with Session(engine) as s:
        row = s.exec(select(GeoBoundarySetRow).where(GeoBoundarySetRow.active == True,  # noqa: E712
                                                     GeoBoundarySetRow.gemeente_code == gemeente)).first()
        return row.version if row else None


_CACHE: dict[tuple[str, str, object], BoundarySet] = {}


def load_active_boundaries(engine: Engine, gemeente: str = MAASTRICHT) -> BoundarySet | None:
    """The gemeente's active imported boundary set (default Maastricht's, the one the locator
    uses), or None when none (cached per database and import)."""
    ensure_geo_tables(engine)
    with Session(engine) as s:
        head = s.exec(select(GeoBoundarySetRow).where(GeoBoundarySetRow.active == True,  # noqa: E712
                                                      GeoBoundarySetRow.gemeente_code == gemeente)).first()
        if head is None:
            return None
        version = head.version
        key = (str(engine.url), version, head.imported_at)
        if key in _CACHE:
            return _CACHE[key]
        rows = s.exec(select(GeoBoundaryRow).where(GeoBoundaryRow.version == version)).all()
        stats: dict[str, int | None] = {}
    try:
        buurten = [Buurt(r.buurt_code, r.buurt_name, r.wijk_code, r.wijk_name,
                         shapely.from_wkb(bytes.fromhex(r.geometry_wkb)), stats.get(r.buurt_code))
                   for r in rows]
    except (ValueError, shapely.errors.GEOSException) as exc:
        raise GeoError(f"boundary set {version!r} in the database is unreadable: {exc}") from exc
    _CACHE[key] = BoundarySet(buurten, version)
    return _CACHE[key]


def load_address_table(engine: Engine, gemeente: str = MAASTRICHT) -> dict[tuple[str, int], tuple[str, str]]:
    """(postcode, huisnummer) -> (buurt code, wijk code) of ``gemeente`` from the imported CBS table."""
    ensure_geo_tables(engine)
    with Session(engine) as s:
        rows = s.exec(select(GeoAddressBuurtRow.postcode, GeoAddressBuurtRow.housenumber,
                             GeoAddressBuurtRow.buurt_code, GeoAddressBuurtRow.wijk_code)
                      .where(GeoAddressBuurtRow.gemeente_code == gemeente)).all()
    return {(pc, hn): (bu, wk) for pc, hn, bu, wk in rows}


def load_stats(engine: Engine) -> dict[str, GeoRegionStatsRow]:
    """Imported CBS figures by region code."""
    ensure_geo_tables(engine)
    with Session(engine) as s:
        return {r.region_code: r for r in s.exec(select(GeoRegionStatsRow)).all()}
