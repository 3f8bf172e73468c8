"""Issue 8 item 2: XSS payloads in every field of RSS, JSON, JSON-LD and iCal items, crawled through
the pipeline, are inert in the store, in every export and in every feed and the map page's data.

The corpus is ``demo.faultweb.XSS_PAYLOADS`` plus ``tests/normalizers/testdata/xss_payloads.txt``
(script tags, event handlers, javascript:/data:/vbscript: URLs, SVG, CSS expressions, double
escaping). Defences: ``normalizers.text`` (nh3 allow-list, plain text), ``normalizers.urls``
(http/https only) and, on output, ``exports.safety`` (the second wall). Unit tests of the
normalisers on the same corpus: ``tests/normalizers/test_xss.py``; of the outputs on a seeded
hostile item: ``tests/feeds/test_hostile.py``.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tim.demo.faultweb import FORMULAS
from tim.exports import export
from tim.store.tables import ClusterRow, ItemRow

from .conftest import HOSTILE_SOURCES, xss_corpus
from .inert import (
    active_in,
    atom_problems,
    html_problems,
    ical_problems,
    text_problems,
    url_problems,
    walk_json,
)

TEXT_COLUMNS = ("title", "description_text", "organizer", "location_name", "address", "street", "city",
                "geo_matched", "categories", "source_key")


def test_every_record_was_crawled_and_stored(hostile_store):
    _, _, reports = hostile_store
    n = len(xss_corpus())
    by_id = {r.source_id: r for r in reports}
    for sid, *_ in HOSTILE_SOURCES[:4]:
        r = by_id[sid]
        assert (r.status, r.fetched, r.inserted, r.failed) == ("ok", n, n, 0), (sid, r.error, r.errors[:3])


def test_stored_items_are_inert(hostile_store):
    engine, _, _ = hostile_store
    problems = []
    with engine.connect() as conn:
        rows = list(conn.execute(select(ItemRow)))
    assert len(rows) == 4 * len(xss_corpus()) + len(FORMULAS)
    for row in rows:
        problems += [f"{row.id} description_html: {p}" for p in html_problems(row.description_html)]
        problems += [f"{row.id} {c}: {p}" for c in TEXT_COLUMNS if getattr(row, c)
                     for p in text_problems(getattr(row, c))]
        problems += [f"{row.id} {c}: {p}" for c in ("url", "image") if getattr(row, c)
                     for p in url_problems(getattr(row, c))]
    assert problems == [], problems[:10]
    assert any("Beschrijving" in r.description_html and "<a href=" in r.description_html for r in rows)


def test_bundled_items_are_inert(hostile_store):
    engine, _, _ = hostile_store
    with engine.connect() as conn:
        bundles = [json.loads(b) for b in conn.execute(select(ClusterRow.bundled)).scalars()]
    assert bundles
    problems = [p for b in bundles for p in walk_json(b)]
    assert problems == [], problems[:10]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson", "parquet"])
@pytest.mark.parametrize("raw", [True, False], ids=["raw", "bundled"])
def test_every_export_is_inert(hostile_store, tmp_path, fmt, raw):
    engine, cfg, _ = hostile_store
    path = tmp_path / f"items.{fmt}"
    n = export(engine, fmt, path, raw=raw, config=cfg)
    assert n >= len(xss_corpus())
    if fmt == "parquet":
        import pyarrow.parquet as pq

        body = json.dumps(pq.read_table(path).to_pylist(), default=str, ensure_ascii=False).encode()
    else:
        body = path.read_bytes()
    assert active_in(body) is None, active_in(body)
    assert active_in((tmp_path / "datapackage.json").read_bytes()) is None
    if fmt in ("jsonl", "geojson"):
        docs = [json.loads(line) for line in body.splitlines()] if fmt == "jsonl" else [json.loads(body)]
        problems = [p for d in docs for p in walk_json(d)]
        assert problems == [], problems[:10]


def test_the_organisation_directory_and_its_hsds_export_are_inert(hostile_store, tmp_path):
    """Hostile organiser names become organisation records: plain text in the store and in HSDS."""
    from tim.exports.hsds import export_hsds
    from tim.store.organisations import list_organisations

    engine, cfg, _ = hostile_store
    with engine.connect() as conn:
        orgs = list_organisations(conn)
    assert len(orgs) >= 3, "the hostile organisers should be in the directory"
    for o in orgs:
        for key in ("name", "description", "address", "city"):
            assert not text_problems(o[key] or ""), (key, o[key])
        assert not url_problems(o["website"] or "") if o["website"] else True
    counts = export_hsds(engine, tmp_path / "hsds", cfg)
    assert counts["organization"] == len(orgs) and counts["service"] >= len(orgs)
    for f in sorted((tmp_path / "hsds").iterdir()):
        body = f.read_bytes()
        assert active_in(body) is None, (f.name, active_in(body))
        if f.suffix == ".csv":
            import csv
            import io

            rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))[1:]
            assert not [c for r in rows for c in r if c.startswith(("=", "+", "@", "\t", "\r", "|"))], f.name


@pytest.fixture(scope="module")
def client(hostile_store):
    from fastapi.testclient import TestClient

    from tim.feeds.app import create_app

    engine, cfg, _ = hostile_store
    with TestClient(create_app(engine, cfg)) as c:
        yield c


def _buurten(engine) -> list[str]:
    with engine.connect() as conn:
        codes = conn.execute(select(ItemRow.buurt_code).where(ItemRow.buurt_code.is_not(None)).distinct())
        return sorted(codes.scalars())


def test_every_feed_and_the_map_data_are_inert(hostile_store, client):
    engine, _, _ = hostile_store
    codes = _buurten(engine)
    assert codes, "the hostile items should land in a buurt"
    urls = ["/items?limit=500", "/feed.atom", "/feed.json", "/items.geojson", "/events.ics", "/changes",
            "/buurten", "/buurten.geojson", "/stats", "/stats?format=csv", "/organisations"]
    for code in codes:
        urls += [f"/buurten/{code}/items?limit=200", f"/buurten/{code}/feed.atom", f"/buurten/{code}/feed.json",
                 f"/buurten/{code}/items.geojson", f"/buurten/{code}/events.ics",
                 f"/buurten/{code}/organisations.json"]
    checked = set()
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        assert active_in(r.content) is None, (url, active_in(r.content))
        kind = r.headers["content-type"].split(";")[0]
        if kind in ("application/json", "application/geo+json", "application/feed+json"):
            problems = walk_json(r.json())
        elif kind == "application/atom+xml":
            problems = atom_problems(r.content)
        elif kind == "text/calendar":
            problems = ical_problems(r.content)
        else:
            problems = []
        assert problems == [], (url, problems[:10])
        checked.add(kind)
    assert {"application/json", "application/atom+xml", "text/calendar"} <= checked, checked


def test_the_map_page_runs_only_its_own_script(client):
    """The page is static (item data arrives as JSON above and is inserted with textContent);
    its CSP forbids inline and foreign script."""
    r = client.get("/")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "Buurtactiviteit" not in r.text and "alert(" not in r.text
