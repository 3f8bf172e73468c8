"""End to end on the demo sites: every crawler kind, geo, dedup and the store together (issue #2).

The demo sites are served on 127.0.0.1 and crawled once per database backend; the catalog the
sites are built from is the ground truth for buurten, duplicates and hard negatives.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tim.config import load_config
from tim.demo.catalog import TZ, load_catalog
from tim.demo.sites import build_demo_web, demo_config_text
from tim.pipeline import Pipeline
from tim.store.db import make_engine
from tim.store.tables import ClusterRow, ItemRow

from .conftest import fresh_database


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request, tmp_path_factory):
    """(pipeline, engine, first reports, second reports, catalog) after crawling the demo twice."""
    today = datetime.now(TZ).date()
    web = build_demo_web(today=today).start()
    tmp = tmp_path_factory.mktemp("demo")
    try:
        with fresh_database(request.param, tmp) as url:
            cfg_path = tmp / "sources.toml"
            cfg_path.write_text(demo_config_text(web.url("")), encoding="utf-8")
            engine = make_engine(url)
            pipe = Pipeline(load_config(cfg_path), engine)
            first = pipe.run()
            second = pipe.run()
            yield pipe, engine, first, second, load_catalog(today)
            engine.dispose()
    finally:
        web.stop()


def _items(engine) -> list:
    with engine.connect() as conn:
        return list(conn.execute(select(ItemRow)))


def _find(items, row):
    """The stored item for a catalog row (keys: own id, iCal uid + date, or a URL with the slug)."""
    cands = [
        i for i in items
        if i.source_id == row["source_id"]
        and (i.source_key == row["key"] or i.source_key.startswith(row["key"] + "@")
             or f"/{row['key']}#" in i.source_key or i.source_key.endswith(f"/{row['key']}"))
    ]
    if len(cands) > 1 and isinstance(row["starts_at"], datetime):
        cands = [i for i in cands if i.starts_at == row["starts_at"].astimezone(UTC)]
    assert len(cands) == 1, (row, [c.source_key for c in cands])
    return cands[0]


def test_every_source_runs_and_a_rerun_inserts_nothing(demo):
    _pipe, _engine, first, second, _cat = demo
    kinds = {s.kind for s in _pipe.config.sources if s.enabled}
    assert {"rss", "ical", "json", "jsonld"} <= kinds
    assert all(r.status == "ok" for r in first), [(r.source_id, r.status, r.error) for r in first]
    assert all(r.failed == 0 for r in first), [(r.source_id, r.errors[:2]) for r in first]
    assert sum(r.inserted for r in first) >= 100
    assert sum(r.inserted for r in second) == 0
    assert sum(r.updated for r in second) == 0
    assert {r.status for r in second} <= {"ok", "not_modified"}
    assert any(r.status == "not_modified" for r in second)  # conditional GET on the feed / ics


def test_items_land_in_their_buurt_and_at_least_15_buurten_have_items(demo):
    _pipe, engine, _f, _s, catalog = demo
    items = _items(engine)
    wrong = []
    for row in catalog.expected_items():
        item = _find(items, row)
        if item.buurt_code != row["buurt_code"]:
            wrong.append((row["source_id"], row["key"], row["buurt_code"], item.buurt_code, item.geo_method))
    assert not wrong, wrong
    with engine.connect() as conn:
        clusters = list(conn.execute(select(ClusterRow).where(ClusterRow.status == "active")))
    assert len({c.buurt_code for c in clusters if c.buurt_code}) >= 15


def test_out_of_area_and_placeless_items_are_city_wide(demo):
    _pipe, engine, _f, _s, catalog = demo
    items = _items(engine)
    rows = [r for r in catalog.expected_items() if r["out_of_area"] or r["mode"] == "geen"]
    assert any(r["out_of_area"] for r in rows) and any(r["mode"] == "geen" for r in rows)
    for row in rows:
        item = _find(items, row)
        assert item.buurt_code is None, (row, item.geo_method, item.geo_matched)


def test_planted_duplicates_are_one_bundled_item_with_every_source(demo):
    _pipe, engine, _f, _s, catalog = demo
    items = _items(engine)
    expected = {r["source_id"] + "|" + r["key"]: r for r in catalog.expected_items()}
    with engine.connect() as conn:
        bundled = {c.id: json.loads(c.bundled) for c in conn.execute(select(ClusterRow))}
    for a, b, why in catalog.duplicates():
        ia = _find(items, expected[a.source_id + "|" + a.key])
        ib = _find(items, expected[b.source_id + "|" + b.key])
        assert ia.cluster_id == ib.cluster_id, why
        sources = {s["source_id"] for s in bundled[ia.cluster_id]["sources"]}
        assert {a.source_id, b.source_id} <= sources


def test_recurring_activities_and_lookalikes_stay_apart(demo):
    _pipe, engine, _f, _s, catalog = demo
    items = _items(engine)
    by_key = {}
    for r in catalog.expected_items():
        by_key.setdefault((r["source_id"], r["key"]), []).append(r)
    for entries, why in catalog.hard_negatives():
        rows = [row for e in entries for row in by_key[(e.source_id, e.key)]]
        clusters = [_find(items, row).cluster_id for row in rows]
        assert len(rows) >= 2
        assert len(set(clusters)) == len(clusters), why


# -- the organisation directory (issue 13) -------------------------------------------------------

def _orgs(engine):
    from tim.store.organisations import list_organisations, organisation_items

    with engine.connect() as conn:
        return {o["name"]: o for o in list_organisations(conn)}, organisation_items(conn)


def test_organisations_are_deduplicated_across_sources_and_linked(demo):
    _pipe, engine, _f, _s, _cat = demo
    orgs, links = _orgs(engine)
    items = {i.id: i for i in _items(engine)}
    malberg = orgs["Buurtplatform Malberg"]  # its events name it with and without "Stichting"
    assert "Stichting Buurtplatform Malberg" in malberg["alternate_names"]
    assert "Stichting Buurtplatform Malberg" not in orgs
    assert {items[i["item_id"]].source_id for i in links[malberg["id"]]} == {"buurtplatform-malberg"}
    caberg = orgs["Buurtnetwerk Caberg"]  # its own record (buurtnetwerken) and its activities elsewhere
    assert len(caberg["source_ids"]) >= 3 and "trajekt-buurtnetwerken" in caberg["source_ids"]
    assert caberg["buurt_code"] == "BU09350205" and caberg["website"]
    assert {"self", "organizer"} <= {i["role"] for i in links[caberg["id"]]}
    assert orgs["Buurtnetwerk Malberg"]["id"] != caberg["id"]
    for org_links in links.values():
        for link in org_links:
            assert link["item_id"] in items and items[link["item_id"]].status == "active"
            assert link["bundled_id"] == items[link["item_id"]].cluster_id


def test_hsds_export_is_a_valid_data_package_linking_items_to_organisations(demo, tmp_path):
    import csv

    from frictionless import Package, validate
    from typer.testing import CliRunner

    from tim.cli.main import app

    _pipe, engine, _f, _s, _cat = demo
    url = engine.url.render_as_string(hide_password=False)
    out = tmp_path / "hsds"
    result = CliRunner().invoke(app, ["export", "--format", "hsds", "-o", str(out), "--db", url])
    assert result.exit_code == 0, result.output
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = Package(str(out / "datapackage.json"))
    assert {r.name for r in package.resources} == {"organization", "location", "address", "service",
                                                  "service_at_location"}

    def rows(name):
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    orgs, links = _orgs(engine)
    organization, service, location = rows("organization"), rows("service"), rows("location")
    assert len(organization) == len(orgs)
    assert {s["organization_id"] for s in service} <= {o["id"] for o in organization}
    assert len(service) == sum(len({i["item_id"] for i in v}) for v in links.values())
    caberg = orgs["Buurtnetwerk Caberg"]
    assert len([s for s in service if s["organization_id"] == caberg["id"]]) == len({i["item_id"] for i in links[caberg["id"]]})
    loc = next(r for r in location if r["organization_id"] == caberg["id"])
    assert "BU09350205" in loc["description"] and loc["location_type"] == "physical"
    # a real validation: an organisation id that does not exist fails the foreign key
    broken = out / "service.csv"
    text = broken.read_text(encoding="utf-8").replace(caberg["id"], "00000000-0000-5000-8000-000000000000")
    broken.write_text(text, encoding="utf-8")
    doc = json.loads((out / "datapackage.json").read_text())
    for r in doc["resources"]:  # so that only the foreign key can fail, not the file's hash
        r.pop("bytes", None), r.pop("hash", None)
    (out / "datapackage.json").write_text(json.dumps(doc))
    bad = validate(str(out / "datapackage.json"))
    assert not bad.valid and "foreign-key" in {row[0] for row in bad.flatten(["type"])}


def test_organisations_api(demo):
    from fastapi.testclient import TestClient

    from tim.feeds import create_app

    pipe, engine, _f, _s, _cat = demo
    orgs, _links = _orgs(engine)
    with TestClient(create_app(engine, pipe.config)) as client:
        r = client.get("/organisations")
        assert r.status_code == 200 and r.json()["count"] == len(orgs)
        assert client.get("/organisations", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
        caberg = client.get("/buurten/BU09350205/organisations.json").json()["organisations"]
        names = {o["name"] for o in caberg}
        assert "Buurtnetwerk Caberg" in names and all(o["buurt_code"] == "BU09350205" for o in caberg)
        net = next(o for o in caberg if o["name"] == "Buurtnetwerk Caberg")
        with engine.connect() as conn:
            ids = {c.id for c in conn.execute(select(ClusterRow.id))}
        assert net["items"] and all(i["id"] in ids for i in net["items"])
        assert client.get("/buurten/BU09999999/organisations.json").status_code == 404
        assert client.get("/organisations?buurt=nope").status_code == 422
