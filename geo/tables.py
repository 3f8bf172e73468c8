"""Tables of ``geo``: imported boundary sets, the CBS address -> buurt table, CBS figures per
region, and the persistent cache of the online geocoder (an address is never asked twice).

``ensure_geo_tables(engine)`` creates them (idempotent); ``tim.store.db.make_engine`` creates them
too once this module is imported. They live here, not in ``tim.store``, so that ``geo`` never imports
a later stage.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, Index, Text
from sqlalchemy.engine import Engine
from sqlmodel import Field, SQLModel

from tim.errors import StoreError


def utcnow() -> datetime:
    """Now, aware, in UTC (as ``tim.store.db.utcnow``)."""
    return datetime.now(UTC)


class GeoBoundarySetRow(SQLModel, table=True):
    """One imported boundary version of one gemeente (``tim geo import-buurten``); at most one per
    gemeente is ``active``."""

    __tablename__ = "geo_boundary_sets"

    version: str = Field(primary_key=True, max_length=80)
    gemeente_code: str = Field(default="GM0935", max_length=6, sa_column_kwargs={"server_default": "GM0935"})
    """CBS code of the gemeente whose buurten the set holds."""
    source_file: str = Field(sa_column=Column(Text, nullable=False))
    source_crs: str = Field(default="", max_length=40)
    feature_count: int = 0
    imported_at: datetime
    active: bool = False


class GeoBoundaryRow(SQLModel, table=True):
    """One buurt polygon of an imported boundary version, WKB (hex) in WGS84 lon/lat."""

    __tablename__ = "geo_boundaries"
    __table_args__ = (Index("ix_geo_boundaries_version", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(max_length=80)
    buurt_code: str = Field(max_length=10)
    buurt_name: str = Field(max_length=120)
    wijk_code: str = Field(max_length=8)
    wijk_name: str | None = Field(default=None, max_length=120)
    geometry_wkb: str = Field(sa_column=Column(Text, nullable=False))


class GeoAddressBuurtRow(SQLModel, table=True):
    """CBS "buurt, wijk en gemeente per postcode en huisnummer" (``tim geo import-postcodes``)."""

    __tablename__ = "geo_address_buurten"

    postcode: str = Field(primary_key=True, max_length=6)
    housenumber: int = Field(primary_key=True)
    buurt_code: str = Field(max_length=10)
    wijk_code: str = Field(max_length=8)
    label: str = Field(default="", max_length=80)
    """Which CBS file (e.g. ``pc6hnr20240801``)."""
    gemeente_code: str = Field(default="GM0935", index=True, max_length=6,
                               sa_column_kwargs={"server_default": "GM0935"})
    """The gemeente the address lies in (``tim geo import-postcodes --gemeente``)."""


class GeoRegionStatsRow(SQLModel, table=True):
    """CBS Kerncijfers wijken en buurten figures of one region (``tim geo import-stats``)."""

    __tablename__ = "geo_region_stats"

    region_code: str = Field(primary_key=True, max_length=10)
    """``BU09350000``, ``WK093500`` or ``GM0935``."""
    region_name: str = Field(default="", max_length=120)
    kind: str = Field(max_length=10)
    """buurt | wijk | gemeente"""
    inhabitants: int | None = None
    households: int | None = None
    area_ha: float | None = None
    label: str = Field(default="", max_length=80)
    imported_at: datetime


class GeocodeCacheRow(SQLModel, table=True):
    """One online geocoder answer (or a "not found"), keyed by provider and normalised query."""

    __tablename__ = "geocode_cache"

    key: str = Field(sa_column=Column(Text, primary_key=True))
    provider: str = Field(max_length=20)
    query: str = Field(sa_column=Column(Text, nullable=False))
    found: bool = False
    lat: float | None = None
    lon: float | None = None
    buurt_code: str | None = Field(default=None, max_length=10)
    wijk_code: str | None = Field(default=None, max_length=8)
    display: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime


GEO_TABLES = [GeoBoundarySetRow, GeoBoundaryRow, GeoAddressBuurtRow, GeoRegionStatsRow, GeocodeCacheRow]


def ensure_geo_tables(engine: Engine) -> None:
    """Create the geo tables when missing."""
    try:
        SQLModel.metadata.create_all(engine, tables=[t.__table__ for t in GEO_TABLES])  # type: ignore[attr-defined]
    except Exception as exc:
        raise StoreError(f"cannot create geo tables: {exc}") from exc
