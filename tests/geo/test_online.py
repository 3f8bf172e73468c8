"""The online fallback against fake geocoders on 127.0.0.1: pace (server-side timestamps), the
persistent cache, area bounds, the user agent (issue 4, item 3). Never the internet."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest

from tim.config.geocoder import GeocoderSettings
from tim.demo.web import Response
from tim.errors import GeoError
from tim.geo import Locator
from tim.geo.online import OnlineGeocoder

UNKNOWN = ["Onbekendestraat 5, 6211 AB Maastricht", "Anderestraat 7, Maastricht", "Derdestraat 9, Maastricht"]
VRIJTHOF = (50.8489, 5.6888)


def _json(payload) -> Response:
    return Response(json.dumps(payload), content_type="application/json")


def nominatim(lat=VRIJTHOF[0], lon=VRIJTHOF[1], kind="house"):
    return lambda req: _json([{"lat": str(lat), "lon": str(lon), "display_name": "Vrijthof, Maastricht",
                               "class": "place", "type": kind}])


def photon(req):
    return _json({"features": [{"geometry": {"coordinates": [VRIJTHOF[1], VRIJTHOF[0]]},
                                "properties": {"type": "house", "name": "x", "city": "Maastricht"}}]})


def pdok(req):
    return _json({"response": {"numFound": 1, "docs": [{"type": "adres", "weergavenaam": "Stationsplein 1, Maastricht",
                                                        "centroide_ll": "POINT(5.7054 50.8493)",
                                                        "buurtcode": "BU09350006", "wijkcode": "WK093500",
                                                        "gemeentecode": "0935"}]}})


def settings(web, provider, delay=0.25):
    return GeocoderSettings(provider=provider, base_url=web.url(""), allow_private_network=True,
                            min_delay_seconds=delay, timeout=5)


@pytest.mark.parametrize(("provider", "path", "handler", "buurt"),
                         [("nominatim", "/search", nominatim(), "BU09350000"), ("photon", "/api", photon, "BU09350000"),
                          ("pdok", "/free", pdok, "BU09350006")])
def test_fallback_pace_and_cache(web, sqlite_url, provider, path, handler, buurt):
    from tim.store.db import make_engine

    web.route(path, handler)
    engine = make_engine(sqlite_url)
    locator = Locator.load(engine=engine, settings=settings(web, provider))
    results = [locator.explain(text) for text in UNKNOWN]
    assert [r.buurt_code for r in results] == [buurt] * 3
    assert {r.method for r in results} == {f"online:{provider}"}
    reqs = web.requests_to(path)
    assert len(reqs) == 3
    gaps = [b.at - a.at for a, b in pairwise(reqs)]
    # geopy RateLimiter spaces the calls by min_delay_seconds; the server sees them with the network
    # latency of each (the first one also opens the connection), so allow 50 ms of jitter
    assert min(gaps) >= 0.25 - 0.05, gaps
    assert sum(gaps) >= 2 * 0.25 - 0.05, gaps
    assert all(r.headers["user-agent"].startswith("ThuisInMaastrichtBot") for r in reqs)
    # the cache is persistent: a new Locator on the same database asks nothing
    again = Locator.load(engine=engine, settings=settings(web, provider))
    assert [again.explain(t).buurt_code for t in UNKNOWN] == [buurt] * 3
    assert "cached" in again.explain(UNKNOWN[0]).steps[-1]["note"]
    assert len(web.requests_to(path)) == 3


def test_nominatim_is_bounded_to_maastricht(web):
    web.route("/search", nominatim())
    Locator.load(settings=settings(web, "nominatim", delay=0)).explain(UNKNOWN[0])
    q = web.requests_to("/search")[0].query
    assert q["bounded"] == ["1"] and "viewbox" in q and q["countrycodes"] == ["nl"]
    assert "Maastricht" in q["q"][0]


def test_result_outside_the_municipality_is_ignored(web):
    web.route("/search", nominatim(lat=50.885, lon=5.755))  # Meerssen
    res = Locator.load(settings=settings(web, "nominatim", delay=0)).explain(UNKNOWN[0])
    assert res.buurt_code is None and "outside the municipality" in res.steps[-1]["note"]


def test_a_whole_city_is_not_a_place(web):
    web.route("/search", nominatim(lat=50.851, lon=5.691, kind="city"))
    res = Locator.load(settings=settings(web, "nominatim", delay=0)).explain(UNKNOWN[0])
    assert res.buurt_code is None


def test_not_asked_when_offline_answers_or_no_address(web):
    web.route("/search", nominatim())
    locator = Locator.load(settings=settings(web, "nominatim", delay=0))
    assert locator.explain("Brusselsestraat 38, 6211 PG Maastricht").method == "address_point"
    assert locator.explain("Vrijwilligers gezocht in Maastricht").buurt_code is None
    assert locator.explain("Kerkstraat 1, Meerssen").buurt_code is None
    assert web.requests_to("/search") == []


def test_not_found_is_cached_too(web):
    web.route("/search", lambda req: _json([]))
    locator = Locator.load(settings=settings(web, "nominatim", delay=0))
    assert locator.explain(UNKNOWN[0]).buurt_code is None
    assert locator.explain(UNKNOWN[0]).buurt_code is None
    assert len(web.requests_to("/search")) == 1


def test_server_error_is_logged_not_raised(web):
    web.route("/search", Response("boom", status=500))
    settings_ = settings(web, "nominatim", delay=0).model_copy(update={"max_retries": 0})
    res = Locator.load(settings=settings_).explain(UNKNOWN[0])
    assert res.buurt_code is None


def test_private_address_refused_unless_allowed(web):
    with pytest.raises(GeoError, match="allow_private_network"):
        OnlineGeocoder(GeocoderSettings(provider="nominatim", base_url=web.url("")))


def test_off_by_default():
    assert Locator.load().online is None
