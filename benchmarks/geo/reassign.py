"""``tim geo reassign`` speed on PostGIS: the point items in one SQL statement against the baseline,
the Python chain (shapely) for every item, on the same data, measured in the same run.

    python benchmarks/geo/reassign.py [--items 50000] [--text-share 0.1] [--inside] [--db postgresql://...]

Seeds a fresh PostgreSQL schema (PostGIS) with items placed by the chain against CBS 2024 (most with
source coordinates, some with only a PC6, ``--text-share`` placed by a buurt named in the title),
imports a second boundary version in which part of one buurt moved to its neighbour, then times
``pipeline.reassign`` with ``in_database=False`` (baseline) and with the SQL step, restoring the
items' placement in between, and checks both give the same rows. No assertions: figures only.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import uuid
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from sqlalchemy import create_engine, text

from tim import pipeline
from tim.geo import Locator
from tim.geo.data import path as data_path
from tim.geo.imports import import_buurten
from tim.records import Item
from tim.store import spatial
from tim.store.db import make_engine
from tim.store.items import apply_run

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
COLS = ("buurt_code", "buurt_name", "wijk_code", "geo_method", "geo_confidence", "geo_matched", "geo_conflict",
        "boundary_version", "lat", "lon")


def moved_border(out: Path, a_code="BU09350000", b_code="BU09350001") -> Path:
    fc = json.loads(data_path("maastricht_buurten_cbs2024.geojson").read_text(encoding="utf-8"))
    feats = {f["properties"]["buurtcode"]: f for f in fc["features"]}
    a, b = shape(feats[a_code]["geometry"]), shape(feats[b_code]["geometry"])
    strip = b.intersection(a.buffer(0.004))
    feats[a_code]["geometry"] = mapping(shapely.make_valid(a.union(strip)))
    feats[b_code]["geometry"] = mapping(shapely.make_valid(b.difference(strip)))
    out.write_text(json.dumps(fc), encoding="utf-8")
    return out


def seed(engine, n: int, text_share: float, inside: bool = False) -> None:
    import_buurten(engine, data_path("maastricht_buurten_cbs2024.geojson"), "cbs2024")
    loc = Locator.load(engine=engine)
    rnd = random.Random(12)
    pcs = sorted(loc.gaz.pc6)
    names = [b.name for b in loc.b.buurten]
    city = shapely.union_all([b.geometry for b in loc.b.buurten])
    shapely.prepare(city)
    w, s, e, nn = city.bounds
    items = []
    for k in range(n):
        r = rnd.random()
        it = Item(id=f"b-{k:07d}", source_id="bench", source_key=str(k), kind="event", title=f"Activiteit {k}",
                  content_hash=f"{k:064x}")
        if r < text_share:
            it.title = f"Buurtkoffie in {rnd.choice(names)}"
        elif r < text_share + 0.1:
            it.postcode, it.city = rnd.choice(pcs), "Maastricht"
        else:
            it.lat, it.lon = rnd.uniform(s, nn), rnd.uniform(w, e)
            while inside and not shapely.contains_xy(city, it.lon, it.lat):
                it.lat, it.lon = rnd.uniform(s, nn), rnd.uniform(w, e)
        it.geo = loc.locate(it)
        items.append(it)
    with engine.begin() as conn:
        apply_run(conn, "bench", items, run_id=None, complete=True, not_modified=False, expire_after=3)
        conn.execute(text(f"CREATE TABLE bench_snap AS SELECT id, {', '.join(COLS)} FROM items"))


def restore(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE items i SET {', '.join(f'{c} = s.{c}' for c in COLS)} FROM bench_snap s "
                          f"WHERE i.id = s.id"))


def rows(engine) -> dict:
    with engine.connect() as conn:
        return {r[0]: tuple(r[1:]) for r in conn.execute(text(f"SELECT id, {', '.join(COLS)} FROM items"))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=50_000)
    ap.add_argument("--text-share", type=float, default=0.1)
    ap.add_argument("--inside", action="store_true", help="coordinates only inside the buurten (default: "
                    "anywhere in the municipality's bounding box, ~1/3 outside)")
    ap.add_argument("--db", default=PG_URL, help="PostgreSQL with PostGIS (a fresh schema is made and dropped)")
    args = ap.parse_args()
    schema = "bench_" + uuid.uuid4().hex[:10]
    # a plain engine for the schema itself: the database's own (public) schema is left alone
    admin = create_engine(args.db.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in args.db else "?"
    engine = make_engine(f"{args.db}{sep}options=-csearch_path%3D{schema}")
    try:
        with engine.connect() as conn:
            if not spatial.postgis_available(conn):
                raise SystemExit("PostGIS is not installed on this PostgreSQL")
        t0 = time.perf_counter()
        seed(engine, args.items, args.text_share, args.inside)
        with tempfile.TemporaryDirectory() as tmp:
            import_buurten(engine, moved_border(Path(tmp) / "v2.geojson"), "cbs2024-v2")
        print(f"seeded {args.items} items in {time.perf_counter() - t0:.1f} s "
              f"({args.text_share:.0%} placed by text, ~10% by PC6, the rest by coordinates)")
        loc = Locator.load(engine=engine)

        t0 = time.perf_counter()
        changed_py = pipeline.reassign(engine, loc, in_database=False)
        t_py = time.perf_counter() - t0
        python = rows(engine)
        restore(engine)

        t0 = time.perf_counter()
        with engine.begin() as conn:
            done, _ = spatial.reassign_points(conn, loc.boundary_version)
        t_stmt = time.perf_counter() - t0
        restore(engine)

        t0 = time.perf_counter()
        changed_sql = pipeline.reassign(engine, loc)
        t_sql = time.perf_counter() - t0
        same = rows(engine) == python
        n = args.items
        print(f"baseline, Python chain (shapely) for all: {t_py:7.2f} s  {n / t_py:9.0f} items/s  ({changed_py} changed)")
        print(f"PostGIS step + chain for the rest:        {t_sql:7.2f} s  {n / t_sql:9.0f} items/s  ({changed_sql} changed)")
        print(f"  of which the one SQL statement:         {t_stmt:7.2f} s  {len(done) / t_stmt:9.0f} items/s  "
              f"({len(done)} items, {len(done) / n:.0%})")
        print(f"speed-up: {t_py / t_sql:.1f}x; same result as the baseline: {same}")
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
