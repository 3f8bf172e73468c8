"""Issue 7 on real crawled data: the demo sites served on 127.0.0.1 are crawled through the whole
pipeline (``demo.run.run_demo``) into a fresh store; every feed is valid and inert, and a re-crawl
shows up in /changes exactly as the store recorded it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tim.store.db import make_engine
from tim.store.tables import ClusterRow

from .checks import assert_inert, check_atom, check_geojson, check_ics, check_jsonfeed
from .conftest import make_client
from .test_changes import _db_changes_after, consume


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from tim.demo.run import run_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    result = run_demo(url)
    assert result.clusters > 20, "the demo crawl produced too few items to test with"
    return url


def test_demo_feeds_are_valid_and_inert(demo_db):
    engine = make_engine(demo_db)
    with make_client(engine) as c:
        buurten = c.get("/buurten").json()
        assert len(buurten) == 44
        busiest = max(buurten, key=lambda b: b["items"])["code"]
        with engine.connect() as conn:
            active = conn.execute(select(func.count()).select_from(ClusterRow).where(ClusterRow.status == "active")).scalar_one()
        assert sum(b["items"] for b in buurten) <= active
        for scope in ("", f"/buurten/{busiest}"):
            atom = check_atom(c.get(f"{scope}/feed.atom?limit=1000").content)
            assert atom.entries
            check_jsonfeed(c.get(f"{scope}/feed.json").content)
            check_geojson(c.get(f"{scope}/items.geojson").content)
            check_ics(c.get(f"{scope}/events.ics").content)
        for url in ("/items?limit=1000", "/feed.atom?limit=1000", "/feed.json?limit=1000", "/events.ics?limit=1000",
                    "/items.geojson?limit=1000", "/changes", "/stats"):
            assert_inert(c.get(url).content, url)
        s = c.get("/stats").json()
        assert s["total"]["items"] == active and len(s["blind_spots"]) == sum(b["items"] == 0 for b in buurten)
    engine.dispose()


def test_demo_recrawl_appears_in_changes_exactly(demo_db):
    from tim.demo.run import run_demo

    engine = make_engine(demo_db)
    with make_client(engine, page_size=50) as c:
        seen, saved = consume(c, "/changes", 50)
        last = max(e["modified"] for e in seen)
        assert len({e["id"] for e in seen}) == len(seen)
        run_demo(demo_db)  # crawl the same sites again into the same store
        new, _ = consume(c, saved, 50)
    expected = _db_changes_after(engine, last)
    got = {e["id"]: ("deleted" if e["state"] == "deleted" else "active", e["modified"]) for e in new}
    assert got == expected
    engine.dispose()
