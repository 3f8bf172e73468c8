"""PostGIS when present: geometry columns, spatial indexes, and spatial queries in the database.

On PostgreSQL with the PostGIS extension available (Debian: ``postgresql-15-postgis-3``),
migration ``0003_postgis`` (and the creation of a new database) adds

- ``geo_boundaries.geom`` ``geometry(MultiPolygon, 4326)`` and ``items.geom``
  ``geometry(Point, 4326)``, each with a GiST index;
- triggers that keep them equal to the columns the code writes (``geometry_wkb``; ``lon``/``lat``),
  so no writer needs to know about PostGIS, and existing rows are filled by the migration.

The columns are not part of the models (SQLite and plain PostgreSQL have no geometry type); the
migrations' comparison with the models ignores them. The spatial questions below have two
answers, the same by test: a SQL one on PostGIS and a shapely one elsewhere.

The extension is installed in schema ``public`` (one per database) and its functions and types are
named with that schema, so databases whose ``search_path`` is a schema of their own work too.
"""

from __future__ import annotations

import shapely
from sqlalchemy import func, inspect, literal, literal_column, select, text
from sqlalchemy.engine import Connection

from tim.geo.tables import GeoBoundaryRow

from .tables import ItemRow

GEOM = "geom"
INDEXES = {"ix_items_geom", "ix_geo_boundaries_geom"}


def postgis_available(conn: Connection) -> bool:
    """PostgreSQL with the PostGIS extension installed or installable."""
    if conn.dialect.name != "postgresql":
        return False
    return conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).first() is not None


def _schema(conn: Connection) -> str | None:
    """The schema PostGIS is installed in, or None."""
    return conn.execute(text("SELECT extnamespace::regnamespace::text FROM pg_extension "
                             "WHERE extname = 'postgis'")).scalar()


def enabled(conn: Connection) -> bool:
    """The database has the geometry columns (PostGIS path)."""
    if conn.dialect.name != "postgresql":
        return False
    return any(c["name"] == GEOM for c in inspect(conn).get_columns("items"))


def install(conn: Connection) -> bool:
    """Add the geometry columns, indexes and triggers (idempotent); False when PostGIS is absent."""
    if not postgis_available(conn):
        return False
    # one extension per database: serialise concurrent installs (tests' schemas share a database)
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('tim-postgis'))"))
    conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public"))
    g = _schema(conn)
    conn.execute(text(f"ALTER TABLE geo_boundaries ADD COLUMN IF NOT EXISTS geom {g}.geometry(MultiPolygon, 4326)"))
    conn.execute(text(f"ALTER TABLE items ADD COLUMN IF NOT EXISTS geom {g}.geometry(Point, 4326)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_geo_boundaries_geom ON geo_boundaries USING gist (geom)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_items_geom ON items USING gist (geom)"))
    conn.execute(text(f"""
        CREATE OR REPLACE FUNCTION tim_boundary_geom() RETURNS trigger AS $$
        BEGIN
            NEW.geom := {g}.ST_Multi({g}.ST_SetSRID({g}.ST_GeomFromWKB(decode(NEW.geometry_wkb, 'hex')), 4326));
            RETURN NEW;
        END $$ LANGUAGE plpgsql"""))
    conn.execute(text(f"""
        CREATE OR REPLACE FUNCTION tim_item_geom() RETURNS trigger AS $$
        BEGIN
            NEW.geom := CASE WHEN NEW.lon IS NULL OR NEW.lat IS NULL THEN NULL
                             ELSE {g}.ST_SetSRID({g}.ST_MakePoint(NEW.lon, NEW.lat), 4326) END;
            RETURN NEW;
        END $$ LANGUAGE plpgsql"""))
    conn.execute(text("DROP TRIGGER IF EXISTS tim_boundary_geom ON geo_boundaries"))
    conn.execute(text("CREATE TRIGGER tim_boundary_geom BEFORE INSERT OR UPDATE OF geometry_wkb ON geo_boundaries "
                      "FOR EACH ROW EXECUTE FUNCTION tim_boundary_geom()"))
    conn.execute(text("DROP TRIGGER IF EXISTS tim_item_geom ON items"))
    conn.execute(text("CREATE TRIGGER tim_item_geom BEFORE INSERT OR UPDATE OF lon, lat ON items "
                      "FOR EACH ROW EXECUTE FUNCTION tim_item_geom()"))
    # fill the rows that exist (the triggers fire on the no-op updates)
    conn.execute(text("UPDATE geo_boundaries SET geometry_wkb = geometry_wkb WHERE geom IS NULL"))
    conn.execute(text("UPDATE items SET lon = lon WHERE geom IS NULL AND lon IS NOT NULL AND lat IS NOT NULL"))
    return True


def uninstall(conn: Connection) -> None:
    """Drop what :func:`install` added (the extension stays: other schemas may use it)."""
    if conn.dialect.name != "postgresql":
        return
    conn.execute(text("DROP TRIGGER IF EXISTS tim_item_geom ON items"))
    conn.execute(text("DROP TRIGGER IF EXISTS tim_boundary_geom ON geo_boundaries"))
    conn.execute(text("DROP FUNCTION IF EXISTS tim_item_geom()"))
    conn.execute(text("DROP FUNCTION IF EXISTS tim_boundary_geom()"))
    conn.execute(text("ALTER TABLE items DROP COLUMN IF EXISTS geom"))
    conn.execute(text("ALTER TABLE geo_boundaries DROP COLUMN IF EXISTS geom"))


# -- spatial questions: PostGIS in the database, shapely otherwise -------------------------------
def buurten_of_items(conn: Connection, version: str, *, use_postgis: bool | None = None) -> dict[str, str | None]:
    """Item id -> the code of the buurt (of boundary ``version``) whose polygon covers the item's
    point, ``None`` outside every buurt; items without a point are left out."""
    if use_postgis if use_postgis is not None else enabled(conn):
        g = _schema(conn)
        rows = conn.execute(text(
            f"SELECT i.id, b.buurt_code FROM items i LEFT JOIN geo_boundaries b "
            f"ON b.version = :v AND {g}.ST_Covers(b.geom, i.geom) WHERE i.geom IS NOT NULL ORDER BY i.id, b.buurt_code"),
            {"v": version}).all()
        out: dict[str, str | None] = {}
        for item_id, code in rows:
            out.setdefault(item_id, code)  # on a shared border the lowest code, as below
        return out
    b, i = GeoBoundaryRow.__table__, ItemRow.__table__  # type: ignore[attr-defined]
    polys = sorted(((r.buurt_code, shapely.from_wkb(bytes.fromhex(r.geometry_wkb)))
                    for r in conn.execute(select(b.c.buurt_code, b.c.geometry_wkb).where(b.c.version == version))),
                   key=lambda p: p[0])
    tree = shapely.STRtree([p for _, p in polys])
    items = conn.execute(select(i.c.id, i.c.lon, i.c.lat).where(i.c.lon.is_not(None), i.c.lat.is_not(None))
                         .order_by(i.c.id)).all()
    points = shapely.points([(r.lon, r.lat) for r in items]) if items else []
    best: dict[int, str] = {}
    if items:
        hit_items, hit_polys = tree.query(points, predicate="covered_by")
        for k, p in zip(hit_items.tolist(), hit_polys.tolist()):
            code = polys[p][0]
            if k not in best or code < best[k]:
                best[k] = code  # on a shared border the lowest code, as in SQL
    return {r.id: best.get(k) for k, r in enumerate(items)}


def bbox_condition(conn: Connection, west: float, south: float, east: float, north: float, *,
                   use_postgis: bool | None = None):
    """A WHERE condition on ``items``: the item's point lies in the box (edges included). On PostGIS
    a GiST-indexed bounding-box test on ``items.geom``; otherwise a range test on lon/lat."""
    i = ItemRow.__table__  # type: ignore[attr-defined]
    if use_postgis if use_postgis is not None else enabled(conn):
        g = _schema(conn)
        envelope = getattr(func, g).ST_MakeEnvelope(literal(west), literal(south), literal(east), literal(north), 4326)
        return literal_column("items.geom").op(f"OPERATOR({g}.&&)")(envelope)
    return i.c.lon.between(west, east) & i.c.lat.between(south, north)


def items_in_bbox(conn: Connection, west: float, south: float, east: float, north: float, *,
                  use_postgis: bool | None = None) -> list[str]:
    """Ids of the items whose point lies in the box (edges included), sorted."""
    if use_postgis if use_postgis is not None else enabled(conn):
        g = _schema(conn)
        return list(conn.execute(text(
            # bounding-box overlap (GiST-indexed): for points exactly "inside the box, edges included"
            f"SELECT id FROM items WHERE geom OPERATOR({g}.&&) {g}.ST_MakeEnvelope(:w, :s, :e, :n, 4326) "
            f"ORDER BY id"), {"w": west, "s": south, "e": east, "n": north}).scalars())
    i = ItemRow.__table__  # type: ignore[attr-defined]
    return list(conn.execute(select(i.c.id).where(i.c.lon.between(west, east), i.c.lat.between(south, north))
                             .order_by(i.c.id)).scalars())
