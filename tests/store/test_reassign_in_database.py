"""``tim geo reassign`` on PostGIS (issue #12): items placed by a point get their buurt in one SQL
statement; the result equals the Python chain's, here after importing a second boundary version
whose border between two buurten moved."""

from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import mapping, shape
from sqlalchemy import select, update

from tim import pipeline
from tim.geo import Locator
from tim.geo.data import path as data_path
from tim.geo.imports import import_buurten
from tim.records import Item
from tim.store import spatial
from tim.store.items import apply_run
from tim.store.tables import ItemRow

from .test_spatial import pg_url  # noqa: F401  (the PostGIS database fixture)

GEO_KEYS = ("buurt_code", "buurt_name", "wijk_code", "geo_method", "geo_confidence", "geo_matched",
            "geo_conflict", "boundary_version", "lat", "lon")
MOVED = ("BU09350000", "BU09350001")  # part of the second buurt moves to the first in version 2


def moved_border_file(tmp_path) -> str:
    """The CBS 2024 buurten with a ~300 m strip of MOVED[1] along MOVED[0] given to MOVED[0]."""
    fc = json.loads(data_path("maastricht_buurten_cbs2024.geojson").read_text(encoding="utf-8"))
    feats = {f["properties"]["buurtcode"]: f for f in fc["features"]}
    a, b = shape(feats[MOVED[0]]["geometry"]), shape(feats[MOVED[1]]["geometry"])
    assert a.distance(b) < 1e-6, "the two buurten must touch"
    strip = b.intersection(a.buffer(0.004))
    assert strip.area > 0.05 * b.area
    feats[MOVED[0]]["geometry"] = mapping(shapely.make_valid(a.union(strip)))
    feats[MOVED[1]]["geometry"] = mapping(shapely.make_valid(b.difference(strip)))
    out = tmp_path / "buurten_v2.geojson"
    out.write_text(json.dumps(fc), encoding="utf-8")
    return str(out)


def _items(locator) -> list[Item]:
    """Points on a grid over Maastricht (some near the moved border), PC6-only items, items placed
    by a buurt named in the text, and items with both a point and a conflicting text."""
    items = []
    w, s, e, n = 5.64, 50.80, 5.76, 50.89
    k = 0
    for i in range(30):
        for j in range(20):
            lon, lat = w + (e - w) * i / 29, s + (n - s) * j / 19
            items.append(Item(id=f"p-{k}", source_id="punten", source_key=str(k), kind="event",
                              title=f"Activiteit {k}", content_hash=f"{k:064x}"))
            items[-1].lat, items[-1].lon = lat, lon
            k += 1
    second = next(b for b in locator.b.buurten if b.code == MOVED[1])
    bw, bs, be, bn = second.geometry.bounds
    for i in range(20):  # finely over the buurt whose border moves
        for j in range(20):
            items.append(Item(id=f"p-{k}", source_id="punten", source_key=str(k), kind="event",
                              title=f"Activiteit {k}", content_hash=f"{k:064x}"))
            items[-1].lat, items[-1].lon = bs + (bn - bs) * j / 19, bw + (be - bw) * i / 19
            k += 1
    for m, pc in enumerate(sorted(locator.gaz.pc6)[::25]):
        items.append(Item(id=f"pc-{m}", source_id="postcodes", source_key=str(m), kind="event",
                          title=f"Bijeenkomst {m}", postcode=pc, city="Maastricht", content_hash=f"{m:064x}"))
    for m, b in enumerate(locator.b.buurten):
        items.append(Item(id=f"t-{m}", source_id="teksten", source_key=str(m), kind="event",
                          title=f"Buurtkoffie in {b.name}", content_hash=f"{m:064x}"))
        # a point plus a buurt named in the title: the text's evidence keeps it in the Python chain
        c = b.geometry.representative_point()
        items.append(Item(id=f"tp-{m}", source_id="teksten", source_key=f"p{m}", kind="event",
                          title=f"Buurtkoffie in {b.name}", content_hash=f"{m:063x}1"))
        items[-1].lat, items[-1].lon = c.y, c.x
    return items


def _seed(engine, tmp_path):
    import_buurten(engine, data_path("maastricht_buurten_cbs2024.geojson"), "cbs2024")
    locator = Locator.load(engine=engine)
    by_source: dict[str, list[Item]] = {}
    for it in _items(locator):
        it.geo = locator.locate(it)
        by_source.setdefault(it.source_id, []).append(it)
    with engine.begin() as conn:
        for sid, items in by_source.items():
            apply_run(conn, sid, items, run_id=None, complete=True, not_modified=False, expire_after=3)
    import_buurten(engine, moved_border_file(tmp_path), "cbs2024-v2")


def _snapshot(engine) -> dict[str, tuple]:
    t = ItemRow.__table__
    with engine.connect() as conn:
        return {r.id: tuple(getattr(r, k) for k in GEO_KEYS)
                for r in conn.execute(select(t.c.id, *[t.c[k] for k in GEO_KEYS]))}


def _restore(engine, snap) -> None:
    t = ItemRow.__table__
    with engine.begin() as conn:
        for item_id, values in snap.items():
            conn.execute(update(t).where(t.c.id == item_id).values(dict(zip(GEO_KEYS, values))))


def test_sql_reassign_equals_the_python_chain(pg_url, tmp_path):  # noqa: F811
    from tim.store.db import make_engine

    engine = make_engine(pg_url)
    _seed(engine, tmp_path)
    before = _snapshot(engine)
    locator = Locator.load(engine=engine)
    assert locator.boundary_version == "cbs2024-v2"

    changed_py = pipeline.reassign(engine, locator, in_database=False)
    python = _snapshot(engine)
    _restore(engine, before)
    assert _snapshot(engine) == before
    changed_sql = pipeline.reassign(engine, locator)  # PostGIS: the point items in SQL
    in_db = _snapshot(engine)

    diff = {k: (python[k], in_db[k]) for k in python if python[k] != in_db[k]}
    assert not diff
    assert changed_sql == changed_py
    moved = [k for k in before if before[k][0] != python[k][0]]
    assert any(k.startswith("p-") for k in moved) and all(python[k][0] == MOVED[0] for k in moved
                                                          if before[k][0] == MOVED[1])
    assert {python[k][7] for k in python} == {"cbs2024-v2"}

    # most point items were handled by the statement, the text items were not
    _restore(engine, before)
    with engine.begin() as conn:
        done, changed = spatial.reassign_points(conn, "cbs2024-v2")
    assert sum(k.startswith("p-") for k in done) > 0.5 * sum(k.startswith("p-") for k in before
                                                             if before[k][0] is not None)
    assert any(k.startswith("pc-") for k in done)
    assert not any(k.startswith("t") for k in done)
    assert 0 < changed <= len(done)
    # sources left to the chain (a source strategy, another gemeente) are not touched by it
    _restore(engine, before)
    with engine.begin() as conn:
        done, _ = spatial.reassign_points(conn, "cbs2024-v2", sources_not_in=["punten"])
    assert done and not any(k.startswith("p-") for k in done)
    assert all(_snapshot(engine)[k] == before[k] for k in before if k.startswith("p-"))
    engine.dispose()


def test_reassign_on_sqlite_keeps_the_python_chain(sqlite_url, tmp_path):
    from tim.store.db import make_engine

    engine = make_engine(sqlite_url)
    _seed(engine, tmp_path)
    with engine.connect() as conn:
        assert not spatial.enabled(conn)
    changed = pipeline.reassign(engine, Locator.load(engine=engine))
    assert changed > 0
    assert {v[7] for v in _snapshot(engine).values()} == {"cbs2024-v2"}
    engine.dispose()
