"""Issue 15 item 7: the map page answers "what is in my buurt?".

``/locate?q=`` finds the buurt of a postcode or address through the geo chain (validated input,
422 with a message naming ``q``; online only when ``[geocoder]`` is configured); the map's GeoJSON
carries a label point inside each buurt; ``/items/no-buurt`` lists the city-wide items. In
Chromium, driven like a person over the DevTools protocol: typing "6211 PG" and Enter opens
Statenkwartier's panel, the city-wide items are listed while no buurt is chosen, and the buurt
names written on the map lie inside their buurt and never overlap.
"""

from __future__ import annotations

import json

import pytest
from shapely.geometry import Point, shape

from tim.config import Config
from tim.config.geocoder import GeocoderSettings
from tim.demo.web import LocalWeb, Response
from tim.feeds import create_app
from tim.store.db import make_engine

from .browser import serving, skip_without_chromium
from .conftest import make_client
from .seed import standard_set

STATENKWARTIER = "BU09350003"


@pytest.mark.parametrize(("q", "code", "name", "method"), [
    ("6211 PG", STATENKWARTIER, "Statenkwartier", "postcode"),
    ("6211pg", STATENKWARTIER, "Statenkwartier", "postcode"),
    ("  Markt   1 ", "BU09350000", "Binnenstad", "address_point"),
    ("Malberg", "BU09350207", "Malberg", "buurt_name"),
])
def test_locate_finds_the_buurt(client, q, code, name, method):
    resp = client.get("/locate", params={"q": q})
    assert resp.status_code == 200 and resp.headers["content-type"] == "application/json"
    body = resp.json()
    assert body["buurt"]["code"] == code and body["buurt"]["name"] == name
    assert body["buurt"]["wijk_code"].startswith("WK0935")
    assert body["method"] == method and 0 < body["confidence"] <= 1 and body["reason"] is None
    assert body["query"] == " ".join(q.split())
    if method == "buurt_name":  # a name gives the buurt, not a point in it
        assert body["lat"] is None and body["lon"] is None
    else:
        area = shape(next(b.geometry for b in client.app.state.buurten if b.code == code))
        assert area.buffer(0.003).contains(Point(body["lon"], body["lat"]))


@pytest.mark.parametrize(("q", "reason"), [
    ("Amsterdam", "buiten Maastricht"),
    ("Tongerseweg 400", "meer dan één buurt"),  # a long street, no known number near 400
    ("qwerty", "geen plaats in Maastricht"),
])
def test_locate_without_a_buurt_says_why(client, q, reason):
    body = client.get("/locate", params={"q": q}).json()
    assert body["buurt"] is None and body["method"] == "none" and body["confidence"] == 0
    assert reason in body["reason"]


@pytest.mark.parametrize(("params", "message"), [
    ({}, "Field required"),
    ({"q": ""}, "at least 1 character"),
    ({"q": "   "}, "empty: give a postcode"),
    ({"q": "6211 PG" + "x" * 200}, "at most 200 characters"),
    ({"q": "6211\x00PG"}, "control characters"),
    ({"q": "Markt\n1"}, "control characters"),
])
def test_locate_rejects_bad_input_with_422(client, params, message):
    resp = client.get("/locate", params=params)
    assert resp.status_code == 422
    (err,) = resp.json()["detail"]
    assert err["loc"] == ["query", "q"] and message in err["msg"]


def test_locate_is_offline_unless_a_geocoder_is_configured(seeded):
    with LocalWeb() as web:
        web.route("/search", lambda req: Response(json.dumps(
            [{"lat": "50.8489", "lon": "5.6888", "display_name": "Vrijthof", "class": "place", "type": "house"}]),
            content_type="application/json"))
        unknown = "Anderestraat 7, Maastricht"
        with make_client(seeded) as plain:
            body = plain.get("/locate", params={"q": unknown}).json()
            assert plain.app.state.locator.online is None
        assert web.log == []
        assert body["method"] != "online:nominatim"
        config = Config(geocoder=GeocoderSettings(provider="nominatim", base_url=web.url(""),
                                                  allow_private_network=True, min_delay_seconds=0, timeout=5))
        from fastapi.testclient import TestClient

        with TestClient(create_app(seeded, config)) as online:
            body = online.get("/locate", params={"q": unknown}).json()
        assert len(web.requests_to("/search")) == 1
        assert body["method"] == "online:nominatim" and body["buurt"]["code"] == "BU09350000"


def test_map_geojson_has_a_label_point_inside_every_buurt(client):
    feats = client.get("/buurten.geojson").json()["features"]
    assert len(feats) == 44
    for f in feats:
        lon, lat = f["properties"]["label"]
        assert shape(f["geometry"]).contains(Point(lon, lat)), f["properties"]["name"]


def test_no_buurt_items_are_exactly_the_city_wide_ones(client):
    city = client.get("/items/no-buurt").json()["items"]
    everything = client.get("/items", params={"limit": 1000}).json()["items"]
    assert city and {i["id"] for i in city} == {i["id"] for i in everything if i["buurt_code"] is None}
    assert [i["title"] for i in client.get("/items/no-buurt", params={"kind": "vacancy"}).json()["items"]] == []
    assert client.get("/items/no-buurt", params={"kind": "nope"}).status_code == 422


# -- in Chromium ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("search") / "tim.db"
    engine = make_engine(f"sqlite:///{db}")
    standard_set(engine)
    with serving(create_app(engine, Config())) as url:
        yield url
    engine.dispose()


@pytest.fixture
def browser(tmp_path):
    from .cdp import Browser

    with Browser(tmp_path) as b:
        yield b


PANEL = "document.getElementById('panel')"
LOADED = f"{PANEL}.dataset.state === 'loaded'"


@pytest.mark.browser
@skip_without_chromium
def test_typing_a_postcode_opens_its_buurt(server, browser):
    import httpx

    browser.goto(server + "/")
    browser.wait(f"document.body.dataset.state === 'ready' && {LOADED}")
    # no buurt chosen: the city-wide items
    assert browser.js("document.getElementById('panel-title').textContent") == "Heel Maastricht"
    assert browser.js(f"{PANEL}.dataset.buurt") == ""
    shown = browser.js("[...document.querySelectorAll('#items li')].map((li) => li.dataset.id)")
    city = httpx.get(server + "/items/no-buurt").json()["items"]
    assert shown == [i["id"] for i in city] and shown

    browser.click("#q")
    browser.type("6211 PG")
    browser.press_enter()
    browser.wait(f"{PANEL}.dataset.buurt === '{STATENKWARTIER}' && {LOADED}")
    assert browser.js("document.getElementById('panel-title').textContent") == "Statenkwartier"
    result = browser.js("document.getElementById('locate-result').textContent")
    assert "Statenkwartier" in result and "postcode" in result
    assert browser.js(f"document.querySelector('path[data-code=\"{STATENKWARTIER}\"]').classList.contains('selected')")
    items = browser.js("[...document.querySelectorAll('#items li')].map((li) => li.dataset.id)")
    expected = httpx.get(server + f"/buurten/{STATENKWARTIER}/items").json()["items"]
    assert items == [i["id"] for i in expected]

    # back to the whole city
    browser.click("#clear")
    browser.wait(f"{PANEL}.dataset.buurt === '' && {LOADED}")
    assert browser.js("document.getElementById('panel-title').textContent") == "Heel Maastricht"


@pytest.mark.browser
@skip_without_chromium
def test_search_without_a_buurt_explains_and_bad_input_is_reported(server, browser):
    browser.goto(server + "/")
    browser.wait(f"document.body.dataset.state === 'ready' && {LOADED}")
    browser.click("#q")
    browser.type("Amsterdam")
    browser.press_enter()
    browser.wait("document.getElementById('locate-result').dataset.state === 'none'")
    assert "buiten Maastricht" in browser.js("document.getElementById('locate-result').textContent")
    assert browser.js(f"{PANEL}.dataset.buurt") == ""  # still the city-wide list
    browser.js("document.getElementById('q').value = ''")
    browser.click("#q")
    browser.type("   ")
    browser.press_enter()
    browser.wait("document.getElementById('locate-result').dataset.state === 'error'")
    assert "postcode" in browser.js("document.getElementById('locate-result').textContent")


LABELS = """(() => {
  const out = [];
  for (const t of document.querySelectorAll('#labels text')) {
    const b = t.getBBox();
    const path = document.querySelector('path[data-code="' + t.dataset.code + '"]');
    const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]];
    out.push({code: t.dataset.code, text: t.textContent, fit: t.dataset.fit,
              visible: getComputedStyle(t).visibility === 'visible', box: [b.x, b.y, b.x + b.width, b.y + b.height],
              inside: corners.every(([x, y]) => path.isPointInFill(new DOMPoint(x, y)))});
  }
  return out;
})()"""


@pytest.mark.browser
@skip_without_chromium
def test_buurt_names_are_written_where_they_fit(server, browser):
    import httpx

    names = {b["code"]: b["name"] for b in httpx.get(server + "/buurten").json()}
    browser.goto(server + "/")
    browser.wait("document.body.dataset.state === 'ready'")
    labels = browser.js(LABELS)
    assert len(labels) == 44 and all(lab["text"] == names[lab["code"]] for lab in labels)
    shown = [lab for lab in labels if lab["visible"]]
    assert 8 <= len(shown) < 44, len(shown)  # the big buurten are named, the small central ones not
    assert {"Itteren", "Sint Pieter", "Amby"} <= {lab["text"] for lab in shown}
    assert all(lab["fit"] == "yes" and lab["inside"] for lab in shown)
    assert all(lab["fit"] == "no" for lab in labels if not lab["visible"])
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            apart = a["box"][2] <= b["box"][0] or b["box"][2] <= a["box"][0] or a["box"][3] <= b["box"][1] \
                or b["box"][3] <= a["box"][1]
            assert apart, (a["text"], b["text"])
    assert int(browser.js("document.getElementById('map').dataset.labels")) == len(shown)
    # a click on a name reaches the buurt under it (labels take no pointer events)
    assert browser.js("getComputedStyle(document.querySelector('#labels text')).pointerEvents") == "none"
