"""Issue 7: ETag / Last-Modified with 304 on every feed, CORS for configured origins, /docs."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from tim.feeds.conditional import ChangeClock

from .conftest import make_client
from .seed import bundle, make_item, store

FEEDS = ["/buurten", "/buurten.geojson", "/items", "/items?kind=event", "/stats", "/stats?format=csv",
         "/changes", "/feed.atom", "/feed.json", "/items.geojson", "/events.ics",
         "/buurten/BU09350000/items", "/buurten/BU09350000/feed.atom", "/buurten/BU09350000/feed.json",
         "/buurten/BU09350000/items.geojson", "/buurten/BU09350000/events.ics", "/", "/static/map.js"]


@pytest.mark.parametrize("url", FEEDS)
def test_etag_and_304(client, url):
    r = client.get(url)
    assert r.status_code == 200 and r.content
    etag = r.headers["etag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(url, headers={"If-None-Match": f'"x", W/{etag}'}).status_code == 304


def test_a_change_in_the_store_changes_the_etag(seeded):
    with make_client(seeded) as c:
        before = c.get("/buurten/BU09350000/feed.json")
        store(seeded, "agenda", [make_item("agenda", "new1", title="Nieuw in de Binnenstad")])
        bundle(seeded)
        after = c.get("/buurten/BU09350000/feed.json", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert "Nieuw in de Binnenstad" in after.text


def test_last_modified_and_if_modified_since(seeded):
    with make_client(seeded) as c:
        c.get("/feed.atom")  # the server first sees this state now
        time.sleep(2.1)  # Last-Modified is only sent once its second is well past
        r = c.get("/feed.atom")
        lm = r.headers["last-modified"]
        assert c.get("/feed.atom", headers={"If-Modified-Since": lm}).status_code == 304
        older = format_datetime(datetime.now(UTC) - timedelta(days=1), usegmt=True)
        assert c.get("/feed.atom", headers={"If-Modified-Since": older}).status_code == 200
        assert c.get("/feed.atom", headers={"If-Modified-Since": "garbage"}).status_code == 200
        # If-None-Match wins over If-Modified-Since
        assert c.get("/feed.atom", headers={"If-Modified-Since": lm, "If-None-Match": '"x"'}).status_code == 200
        store(seeded, "agenda", [make_item("agenda", "new2")])
        bundle(seeded)
        assert c.get("/feed.atom", headers={"If-Modified-Since": lm}).status_code == 200


def test_change_clock_never_dates_a_newer_state_earlier():
    clock = ChangeClock()
    t = 1_000_000.4
    assert clock.last_modified(5, t) is None  # first seen: its second is not over yet
    lm5 = clock.last_modified(5, t + 2)
    assert lm5 is not None and lm5.timestamp() == 1_000_001
    assert clock.last_modified(4, t + 3) is None  # an older snapshot: no claim
    assert clock.last_modified(6, t + 2.5) is None
    lm6 = clock.last_modified(6, t + 5)
    assert lm6 > lm5


def test_cors_for_configured_origins(seeded):
    with make_client(seeded, cors_origins=["https://wyck.thuisinmaastricht.nl"]) as c:
        ok = c.get("/feed.json", headers={"Origin": "https://wyck.thuisinmaastricht.nl"})
        assert ok.headers["access-control-allow-origin"] == "https://wyck.thuisinmaastricht.nl"
        assert "etag" in ok.headers["access-control-expose-headers"].lower()
        other = c.get("/feed.json", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        pre = c.options("/items", headers={"Origin": "https://wyck.thuisinmaastricht.nl",
                                          "Access-Control-Request-Method": "GET"})
        assert pre.status_code == 200
    with make_client(seeded) as c:  # no origins configured: no CORS at all
        assert "access-control-allow-origin" not in c.get("/items", headers={"Origin": "https://x.nl"}).headers


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    for path in ("/buurten", "/items", "/buurten/{code}/items", "/changes", "/stats", "/feed.atom",
                 "/buurten/{code}/events.ics"):
        assert path in spec["paths"], path
    import importlib.util

    if importlib.util.find_spec("tim.feeds.status"):  # the scheduler's router is included when it exists
        assert "/status" in spec["paths"] and client.get("/status").status_code == 200


def test_read_only(client):
    assert client.post("/items").status_code == 405
    assert client.delete("/buurten/BU09350000/items").status_code == 405


def test_security_headers_and_csp(client):
    r = client.get("/")
    assert r.headers["x-content-type-options"] == "nosniff"
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp


def test_head_is_answered_like_get_without_a_body(client):
    get = client.get("/feed.atom")
    head = client.head("/feed.atom")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert client.head("/feed.atom", headers={"If-None-Match": get.headers["etag"]}).status_code == 304
