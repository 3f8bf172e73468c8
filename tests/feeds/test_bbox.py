"""``bbox=west,south,east,north`` on the lists and feeds (issue #12): the items with a source record
whose point lies in the box; on PostGIS answered by the spatial index, elsewhere by lon/lat
ranges, the same answer either way."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tim.store import spatial
from tim.store.tables import ItemRow

BOXES = [(5.60, 50.80, 5.80, 50.90), (5.68, 50.84, 5.70, 50.86), (5.69, 50.85, 5.72, 50.88), (0.0, 0.0, 1.0, 1.0)]


def _expected(engine, box) -> set[str]:
    w, s, e, n = box
    t = ItemRow.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.cluster_id, t.c.lon, t.c.lat).where(t.c.status == "active")).all()
    return {r.cluster_id for r in rows if r.cluster_id and r.lon is not None and w <= r.lon <= e and s <= r.lat <= n}


def _ids(client, url: str) -> set[str]:
    out: set[str] = set()
    while url:
        res = client.get(url)
        assert res.status_code == 200, res.text
        body = res.json()
        out |= {it["id"] for it in body["items"]}
        url = body["next"]
    return out


def test_bbox_lists_the_items_in_the_box(client, seeded):
    active = _ids(client, "/items?limit=100")
    for box in BOXES:
        got = _ids(client, "/items?limit=100&bbox=" + ",".join(map(str, box)))
        assert got == _expected(seeded, box) & active, box
    assert _ids(client, "/items?limit=100&bbox=5.60,50.80,5.80,50.90")  # the box around Maastricht is not empty
    res = client.get("/buurten/BU09350000/feed.json?bbox=0,0,1,1")
    assert res.status_code == 200 and res.json()["items"] == []


def test_postgis_and_range_conditions_agree(seeded):
    with seeded.connect() as conn:
        if not spatial.enabled(conn):
            pytest.skip("no PostGIS here: the range condition is the only one")
        t = ItemRow.__table__
        for box in BOXES:
            by_index = set(conn.execute(select(t.c.id).where(spatial.bbox_condition(conn, *box))).scalars())
            by_range = set(conn.execute(select(t.c.id).where(spatial.bbox_condition(conn, *box, use_postgis=False))).scalars())
            assert by_index == by_range, box


def test_a_bad_bbox_is_a_422_naming_it(client):
    for bad in ("1,2,3", "a,b,c,d", "5,50,4,51", "0,0,200,1", "nan,0,1,1"):
        res = client.get(f"/items?bbox={bad}")
        assert res.status_code == 422, bad
        assert "bbox" in res.text
