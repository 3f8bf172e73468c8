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


# -- reassigning point-placed items in one statement (PostGIS) ------------------------------------
POINT_METHODS = ("source_coordinates", "address_point", "postcode")
"""Methods whose result is a point: the buurt then follows from the point and the polygons alone."""
BORDER_BAND_M = 1.0
"""Points this close to the border-distance threshold are left to the Python chain (PROJ in PostGIS
and pyproj may differ by millimetres; the band keeps both paths' confidence equal)."""


def reassign_points(conn: Connection, version: str, *, sources_in: list[str] | None = None,
                    sources_not_in: list[str] | None = None) -> tuple[set[str], int]:
    """Recompute in one SQL statement the buurt of the items placed by a point (their ``geo_method``
    is a point method, with the plain confidence of that point: no agreeing or conflicting other
    evidence), against boundary ``version``: the covering polygon via the GiST index
    (``ST_Covers``), and the confidence from the metres to its border (RD New), as
    :class:`tim.geo.locator.Locator` does. Returns (ids handled, rows changed).

    Left out, for the Python chain: items without such a placement, points covered by no or by
    several buurten, points within :data:`BORDER_BAND_M` of the border threshold, coordinates that
    the source had swapped, online items; ``sources_in``/``sources_not_in`` restrict the sources."""
    from tim.geo.evidence import BORDER_M, CONFIDENCE

    g = _schema(conn)
    params: dict = {"v": version, "lo": BORDER_M - BORDER_BAND_M, "hi": BORDER_M + BORDER_BAND_M,
                    "thr": BORDER_M}
    conf_case, prev_case = [], []
    for n, m in enumerate(POINT_METHODS):
        base, border = CONFIDENCE[m], CONFIDENCE[f"{m}_border"]
        params.update({f"m{n}": m, f"b{n}": base, f"e{n}": border})
        prev_case.append(f"(i.geo_method = :m{n} AND (i.geo_confidence = :b{n} OR i.geo_confidence = :e{n}))")
        conf_case.append(f"WHEN :m{n} THEN CASE WHEN c.dist >= :thr THEN :b{n} ELSE :e{n} END")
    where = [f"({' OR '.join(prev_case)})", "i.geom IS NOT NULL", "i.geo_conflict IS NULL",
             "NOT i.online",
             "(i.geo_method <> 'source_coordinates' OR (i.lat = i.source_lat AND i.lon = i.source_lon))"]
    if sources_in is not None:
        if not sources_in:
            return set(), 0
        where.append("i.source_id IN :sin")
        params["sin"] = tuple(sources_in)
    if sources_not_in:
        where.append("i.source_id NOT IN :snot")
        params["snot"] = tuple(sources_not_in)
    sql = f"""
        WITH borders AS MATERIALIZED (
            SELECT buurt_code, {g}.ST_Transform({g}.ST_Boundary(geom), 28992) AS border
            FROM geo_boundaries WHERE version = :v),
        hits AS (
            SELECT i.id, i.geo_method, i.geom, min(b.buurt_code) AS code, count(*) AS n
            FROM items i JOIN geo_boundaries b ON b.version = :v AND {g}.ST_Covers(b.geom, i.geom)
            WHERE {' AND '.join(where)}
            GROUP BY i.id, i.geo_method, i.geom),
        near AS (
            SELECT h.id, h.geo_method, h.code,
                   {g}.ST_Distance(br.border, {g}.ST_Transform(h.geom, 28992)) AS dist
            FROM hits h JOIN borders br ON br.buurt_code = h.code WHERE h.n = 1),
        cand AS (
            SELECT c.id, c.code, b.buurt_name, b.wijk_code,
                   CASE c.geo_method {' '.join(conf_case)} END AS conf
            FROM near c JOIN geo_boundaries b ON b.version = :v AND b.buurt_code = c.code
            WHERE c.dist < :lo OR c.dist >= :hi),
        upd AS (
            UPDATE items i SET buurt_code = cand.code, buurt_name = cand.buurt_name, wijk_code = cand.wijk_code,
                               geo_confidence = cand.conf, boundary_version = :v
            FROM cand
            WHERE i.id = cand.id AND (i.buurt_code IS DISTINCT FROM cand.code
                OR i.buurt_name IS DISTINCT FROM cand.buurt_name OR i.wijk_code IS DISTINCT FROM cand.wijk_code
                OR i.geo_confidence IS DISTINCT FROM cand.conf OR i.boundary_version IS DISTINCT FROM :v)
            RETURNING i.id)
        SELECT id, bool_or(changed) FROM (SELECT id, true AS changed FROM upd
                                          UNION ALL SELECT id, false FROM cand) AS u GROUP BY id"""
    stmt = text(sql)
    from sqlalchemy import bindparam

    if "sin" in params:
        stmt = stmt.bindparams(bindparam("sin", expanding=True))
    if "snot" in params:
        stmt = stmt.bindparams(bindparam("snot", expanding=True))
    rows = conn.execute(stmt, params).all()
    return {r[0] for r in rows}, sum(1 for r in rows if r[1])


def boundary_version_stored(conn: Connection, version: str) -> bool:
    """Boundary ``version`` is an imported set (its polygons are rows of ``geo_boundaries``)."""
    b = GeoBoundaryRow.__table__  # type: ignore[attr-defined]
    return conn.execute(select(b.c.buurt_code).where(b.c.version == version).limit(1)).first() is not None
