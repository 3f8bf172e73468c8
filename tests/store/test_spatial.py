"""PostGIS when present (issue #12): the geometry columns follow what the code writes, and the
spatial questions get the same answers in SQL (PostGIS) as in Python (shapely)."""

from __future__ import annotations

import pytest
from sqlalchemy import text, update

from tim.geo.imports import import_buurten
from tim.geo.data import path as data_path
from tim.store import spatial
from tim.store.db import make_engine
from tim.store.items import apply_run
from tim.store.tables import ItemRow
from tim.records import Item

from ..conftest import fresh_database

POINTS = [  # (lon, lat): inside Maastricht buurten, one far outside, one on nothing
    (5.6909, 50.8514), (5.7050, 50.8480), (5.6700, 50.8600), (5.7200, 50.8300), (5.6400, 50.8800),
    (4.9000, 52.3700), (5.6880, 50.8430), (5.6960, 50.8600), (5.7100, 50.8700), (5.6600, 50.8300),
]


@pytest.fixture
def pg_url(tmp_path):
    with fresh_database("postgresql", tmp_path) as url:
        engine = make_engine(url)
        with engine.connect() as conn:
            if not spatial.postgis_available(conn):
                pytest.skip("PostGIS is not installed on this PostgreSQL")
        engine.dispose()
        yield url


def _seed(engine) -> None:
    import_buurten(engine, data_path("maastricht_buurten_cbs2024.geojson"), "cbs2024")
    items = []
    for n, (lon, lat) in enumerate(POINTS):
        it = Item(id=f"t-{n:03d}", source_id="t", source_key=str(n), kind="event", title=f"Punt {n}",
                  content_hash=f"{n:064x}")
        it.lat, it.lon = lat, lon
        items.append(it)
    items.append(Item(id="t-nopoint", source_id="t", source_key="x", kind="event", title="Geen punt",
                      content_hash="f" * 64))
    with engine.begin() as conn:
        apply_run(conn, "t", items, run_id=None, complete=True, not_modified=False, expire_after=3)


def test_geometry_columns_follow_the_written_columns(pg_url):
    engine = make_engine(pg_url)
    _seed(engine)
    with engine.begin() as conn:
        assert spatial.enabled(conn)
        n = conn.execute(text("SELECT count(*) FROM items WHERE geom IS NOT NULL")).scalar_one()
        assert n == len(POINTS)  # the item without a point has no geometry
        assert conn.execute(text("SELECT count(*) FROM geo_boundaries WHERE geom IS NULL")).scalar_one() == 0
        idx = set(conn.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")).scalars())
        assert spatial.INDEXES <= idx
        t = ItemRow.__table__
        conn.execute(update(t).where(t.c.id == "t-000").values(lon=5.0, lat=51.0))
        x = conn.execute(text(f"SELECT {spatial._schema(conn)}.ST_X(geom) FROM items WHERE id = 't-000'")).scalar_one()
        assert x == pytest.approx(5.0)
    engine.dispose()


def test_postgis_and_shapely_give_the_same_answers(pg_url):
    engine = make_engine(pg_url)
    _seed(engine)
    with engine.connect() as conn:
        sql = spatial.buurten_of_items(conn, "cbs2024", use_postgis=True)
        py = spatial.buurten_of_items(conn, "cbs2024", use_postgis=False)
        assert sql == py
        assert sum(code is not None for code in sql.values()) >= 6 and sql["t-005"] is None  # Amsterdam
        for box in ((5.68, 50.84, 5.70, 50.86), (5.0, 50.0, 6.0, 51.0), (5.6909, 50.8514, 5.6909, 50.8514),
                    (0.0, 0.0, 1.0, 1.0)):
            assert spatial.items_in_bbox(conn, *box, use_postgis=True) == \
                spatial.items_in_bbox(conn, *box, use_postgis=False), box
        assert "t-000" in spatial.items_in_bbox(conn, 5.68, 50.84, 5.70, 50.86)
    engine.dispose()


def test_without_postgis_the_shapely_path_answers(sqlite_url):
    engine = make_engine(sqlite_url)
    _seed(engine)
    with engine.connect() as conn:
        assert not spatial.enabled(conn)
        got = spatial.buurten_of_items(conn, "cbs2024")
        assert got["t-005"] is None and got["t-000"] is not None and "t-nopoint" not in got
        assert spatial.items_in_bbox(conn, 5.68, 50.84, 5.70, 50.86) == \
            [i for i in sorted(got) if 5.68 <= POINTS[int(i[2:])][0] <= 5.70 and 50.84 <= POINTS[int(i[2:])][1] <= 50.86]
    engine.dispose()
