"""Issue 7: Atom, JSON Feed 1.1, GeoJSON and iCal per buurt and city-wide, valid against their
specs (feedparser without bozo, jsonschema with schemas written from the specs, icalendar)."""

from __future__ import annotations

import pytest

from .checks import check_atom, check_geojson, check_ics, check_jsonfeed

SCOPES = ["", "/buurten/BU09350001", "/buurten/BU09350100"]  # city-wide, a buurt, an empty buurt


@pytest.mark.parametrize("scope", SCOPES)
def test_atom_is_valid(client, scope):
    r = client.get(f"{scope}/feed.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    d = check_atom(r.content)
    assert d.feed.id.startswith("tag:thuisinmaastricht.nl,2024:feed:")
    assert any(link.rel == "self" for link in d.feed.links)
    expected = {"": 7, "/buurten/BU09350001": 2, "/buurten/BU09350100": 0}[scope]
    assert len(d.entries) == expected
    for e in d.entries:
        assert e.id and e.title and e.updated


def test_atom_links_every_source(client):
    d = check_atom(client.get("/buurten/BU09350001/feed.atom").content)
    repair = next(e for e in d.entries if e.title == "Repair café Jekerkwartier")
    hrefs = {link.href for link in repair.links}
    assert hrefs == {"https://agenda.example.org/e2", "https://vacaturebank.example.org/repair"}
    assert repair.where.coordinates == (5.69048, 50.84366)  # georss:point


@pytest.mark.parametrize("scope", SCOPES)
def test_json_feed_is_valid(client, scope):
    r = client.get(f"{scope}/feed.json")
    assert r.headers["content-type"].startswith("application/feed+json")
    doc = check_jsonfeed(r.content)
    assert doc["feed_url"].endswith(f"{scope}/feed.json")
    for item in doc["items"]:
        assert item["_tim"]["sources"] and item["_tim"]["kind"]


def test_json_feed_pages_with_next_url(client):
    doc = check_jsonfeed(client.get("/feed.json?limit=3").content)
    seen = [i["id"] for i in doc["items"]]
    while "next_url" in doc:
        path = doc["next_url"].removeprefix("http://testserver")
        doc = check_jsonfeed(client.get(path).content)
        seen += [i["id"] for i in doc["items"]]
    assert len(seen) == len(set(seen)) == 7


@pytest.mark.parametrize("scope", SCOPES)
def test_geojson_is_valid(client, scope):
    r = client.get(f"{scope}/items.geojson")
    assert r.headers["content-type"] == "application/geo+json"
    doc = check_geojson(r.content)
    for f in doc["features"]:
        if f["properties"]["buurt_code"]:
            lon, lat = f["geometry"]["coordinates"]
            assert 5.6 < lon < 5.8 and 50.8 < lat < 50.9
        assert f["properties"]["sources"]


def test_geojson_item_without_point_has_null_geometry(client):
    doc = check_geojson(client.get("/items.geojson").content)
    walk = next(f for f in doc["features"] if f["properties"]["title"] == "Stadswandeling")
    assert walk["geometry"] is None


def test_buurt_polygons_geojson(client):
    doc = check_geojson(client.get("/buurten.geojson").content)
    assert len(doc["features"]) == 44
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in doc["features"])
    wyck = next(f for f in doc["features"] if f["id"] == "BU09350006")
    assert wyck["properties"]["per_kind"] == {"event": 1, "vacancy": 1} and wyck["properties"]["items"] == 2


@pytest.mark.parametrize("scope", SCOPES)
def test_ics_has_only_events(client, scope):
    r = client.get(f"{scope}/events.ics")
    assert r.headers["content-type"].startswith("text/calendar")
    events = check_ics(r.content)
    expected = {"": 4, "/buurten/BU09350001": 1, "/buurten/BU09350100": 0}[scope]
    assert len(events) == expected
    starts = [ev.decoded("DTSTART") for ev in events]
    assert starts == sorted(starts)  # soonest first


def test_ics_event_fields(client):
    ev = next(e for e in check_ics(client.get("/buurten/BU09350006/events.ics").content))
    assert str(ev["SUMMARY"]) == "Koffieochtend Wyck"
    assert ev.decoded("DTEND") > ev.decoded("DTSTART")
    assert "Buurthuis Wyck" in str(ev["LOCATION"])
    assert str(ev["URL"]) == "https://agenda.example.org/e1"


def test_filters_apply_to_feeds(client):
    d = check_atom(client.get("/feed.atom?kind=vacancy").content)
    assert {e.title for e in d.entries} == {"Voorlezer gezocht", "Chauffeur buurtbus"}
    assert d.feed.id != check_atom(client.get("/feed.atom").content).feed.id  # another feed, another id
