"""Issue 8 items 2 and 5: a hostile item in the store (script tags, event handlers, javascript:
URLs in every field) comes out inert in every feed, the change feed, the map page's data and
every export format."""

from __future__ import annotations

import json

import pytest

from tim.exports import export

from .checks import active_html, assert_inert, check_atom, check_geojson, check_ics, check_jsonfeed

OUTPUTS = ["/items", "/items?q=Buurtfeest", "/buurten/BU09350000/items", "/feed.atom", "/feed.json",
           "/items.geojson", "/events.ics", "/changes", "/buurten/BU09350000/feed.atom",
           "/buurten/BU09350000/feed.json", "/buurten/BU09350000/items.geojson",
           "/buurten/BU09350000/events.ics", "/buurten", "/buurten.geojson", "/stats", "/stats?format=csv"]


@pytest.mark.parametrize("url", OUTPUTS)
def test_every_http_output_is_inert(client, url):
    r = client.get(url)
    assert r.status_code == 200
    assert_inert(r.content, url)


def test_the_hostile_item_is_there_but_harmless(client):
    items = client.get("/buurten/BU09350000/items").json()["items"]
    h = next(i for i in items if "Buurtfeest" in i["title"])
    assert h["title"].strip().startswith("Buurtfeest") and "<" not in h["title"]
    assert h["url"] is None  # javascript: dropped
    assert h["organizer"] == "Org"
    assert "Kom <b>langs</b>!" in h["description_html"]
    assert 'href="https://example.org/ok"' in h["description_html"]
    assert active_html(h["description_html"]) == []
    assert all(s["url"] is None or s["url"].startswith("https://") for s in h["sources"])


def test_atom_content_html_is_sanitised(client):
    d = check_atom(client.get("/buurten/BU09350000/feed.atom").content)
    entry = next(e for e in d.entries if "Buurtfeest" in e.title)
    assert entry.content[0].type == "text/html"
    assert active_html(entry.content[0].value) == []
    assert not any(link.href.lower().startswith("javascript") for link in entry.get("links", []))


def test_json_feed_and_geojson_stay_valid_with_hostile_content(client):
    doc = check_jsonfeed(client.get("/feed.json").content)
    h = next(i for i in doc["items"] if "Buurtfeest" in i["title"])
    assert "url" not in h and active_html(h["content_html"]) == []
    check_geojson(client.get("/items.geojson").content)
    events = check_ics(client.get("/events.ics").content)
    assert any("Buurtfeest" in str(ev["SUMMARY"]) for ev in events)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson", "parquet"])
@pytest.mark.parametrize("raw", [False, True])
def test_every_export_is_inert(seeded, tmp_path, fmt, raw):
    path = tmp_path / f"items.{fmt}"
    n = export(seeded, fmt, path, raw=raw)
    assert n >= 7
    if fmt == "parquet":
        import pyarrow.parquet as pq

        body = json.dumps(pq.read_table(path).to_pylist(), default=str).encode()
    else:
        body = path.read_bytes()
    assert_inert(body, f"{fmt} export (raw={raw})")
    assert_inert((tmp_path / "datapackage.json").read_bytes(), "datapackage.json")
