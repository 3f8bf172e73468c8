"""Per-source location strategy (issue 13): area, venue, online; never over an item's own place."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tim.config import Config, Source
from tim.demo import wordpress_site
from tim.demo.catalog import load_catalog
from tim.errors import SourceError
from tim.geo import Locator
from tim.geo.strategy import SourcePlacement, placement
from tim.pipeline import Pipeline, reassign
from tim.records import Item
from tim.store.db import make_engine
from tim.store.tables import ItemRow

MALBERG, MARIABERG, CABERG = "BU09350207", "BU09350201", "BU09350205"


@pytest.fixture(scope="module")
def locator() -> Locator:
    return Locator.load()


def item(**kw) -> Item:
    base = {"id": "t-1", "source_id": "t", "source_key": "k", "kind": "event", "title": "Bijeenkomst"}
    return Item(**{**base, **kw})


def src(**kw) -> Source:
    return Source.model_validate({"id": "t", "kind": "wordpress", "url": "http://example.org/", **kw})


PLACES = {  # an item's own place, and the buurt it must keep whatever the source's default
    "address": (dict(address="Kastanjelaan 64, 6217 SB Maastricht"), CABERG),
    "coordinates": (dict(lat=50.845043, lon=5.687805), "BU09350001"),
    "buurt named": (dict(title="Taallunch in Mariaberg"), MARIABERG),
    "venue named": (dict(location_name="Centre Céramique"), None),  # filled from the locator below
}


def test_area_places_only_placeless_items(locator):
    place = SourcePlacement(locator, src(area="Malberg"))
    res = place.locate(item(description_text="Samen koffie drinken met de buren."))
    assert (res.method, res.buurt_code, res.buurt_name) == ("source_area", MALBERG, "Malberg")
    assert res.confidence == 0.3 and "source area" in res.matched
    # "Maastricht" alone is no place of its own: the area still applies
    assert place.locate(item(city="Maastricht")).buurt_code == MALBERG
    for why, (fields, expected) in PLACES.items():
        own = locator.locate(item(**fields))
        assert own.buurt_code is not None, why
        assert expected in (None, own.buurt_code), why
        res = place.locate(item(**fields))
        assert (res.buurt_code, res.method) == (own.buurt_code, own.method), why  # the item's place wins
        assert res.confidence > 0.3, why


def test_an_out_of_area_place_still_blocks_the_default(locator):
    for fields in (dict(address="Markt 50, 6231 LS Meerssen"), dict(city="Valkenburg aan de Geul"),
                   dict(title="Busreis naar de kerstmarkt in Meerssen")):
        for source in (src(area="Malberg"), src(venue="Buurtcentrum Tragos, Kastanjelaan 64, 6217 SB Maastricht")):
            res = SourcePlacement(locator, source).locate(item(**fields))
            assert res.buurt_code is None and res.method not in ("source_area", "source_venue"), (fields, res)


def test_area_by_code_alias_or_wijk(locator):
    assert SourcePlacement(locator, src(area="BU09350207")).locate(item()).buurt_code == MALBERG
    res = SourcePlacement(locator, src(area="Maastricht-West")).locate(item())
    assert res.buurt_code is None and res.wijk_code == "WK093502" and res.method == "source_area"


def test_venue_gives_its_point_and_buurt(locator):
    venue = "Buurtcentrum Tragos, Kastanjelaan 64, 6217 SB Maastricht"
    place = SourcePlacement(locator, src(venue=venue))
    res = place.locate(item(title="Yoga op de stoel"))
    direct = locator.explain(venue, trace=False)
    assert (res.method, res.buurt_code) == ("source_venue", CABERG) and direct.buurt_code == CABERG
    assert (res.lat, res.lon) == (direct.lat, direct.lon) and res.lat is not None
    assert res.confidence == 0.35 and venue in res.matched
    for why, (fields, _expected) in PLACES.items():
        own = locator.locate(item(**fields))
        assert place.locate(item(**fields)).buurt_code == own.buurt_code, why


def test_a_venue_outside_or_unknown_fails_the_source(locator):
    for venue in ("Markt 50, 6231 LS Meerssen", "Nergenshuis"):
        with pytest.raises(SourceError, match="venue") as exc:
            SourcePlacement(locator, src(id="wijkhuis", venue=venue))
        assert "wijkhuis" in str(exc.value)


def test_online_source_and_online_items_are_never_placed(locator):
    addressed = item(address="Kastanjelaan 64, 6217 SB Maastricht", title="Webinar in Malberg")
    res = SourcePlacement(locator, src(online=True)).locate(addressed)
    assert (res.method, res.buurt_code, res.wijk_code) == ("online", None, None)
    assert locator.locate(item(address="Markt 78, Maastricht", online=True)).method == "online"
    assert placement(locator, src()) is locator  # no strategy: the plain chain


def test_pipeline_records_the_strategy_and_reassign_keeps_it(web, tmp_path):
    cat = load_catalog()
    wordpress_site.register(web, cat, web.url(""), "buurtcentrum", "/tragos", posts=False)
    venue = cat.meta["buurtcentrum"]["bron"]["venue"]
    source = Source.model_validate({"id": "tragos", "kind": "wordpress", "url": web.url("/tragos/"),
                                    "allow_private_network": True, "venue": venue,
                                    "http": {"delay": 0.01, "retries": 0}})
    config = Config(sources=[source])
    engine = make_engine(f"sqlite:///{tmp_path / 'tim.db'}")
    report = Pipeline(config, engine).run_source(source)
    assert report.status == "ok" and report.inserted == 5
    with engine.connect() as conn:
        rows = {r.source_key: r for r in conn.execute(select(ItemRow))}
    methods = {k: (r.geo_method, r.buurt_code) for k, r in rows.items()}
    assert methods["event/4204"][0] == "source_coordinates"  # its own venue, the museum
    assert {v for k, v in methods.items() if k != "event/4204"} == {("source_venue", CABERG)}
    assert all(r.geo_matched and "source venue" in r.geo_matched for k, r in rows.items() if k != "event/4204")
    locator = Locator.load()
    assert reassign(engine, locator, [source]) == 0  # the same strategy gives the same places
    assert reassign(engine, locator) == 4  # without it, the placeless activities become city-wide
    engine.dispose()


def test_a_bad_venue_fails_only_its_source(tmp_path):
    good = Source.model_validate({"id": "leeg", "kind": "json", "url": "http://127.0.0.1:9/x.json",
                                  "allow_private_network": True, "http": {"retries": 0, "timeout": 2}})
    bad = Source.model_validate({"id": "wijkhuis", "kind": "wordpress", "url": "http://127.0.0.1:9/",
                                 "venue": "Nergenshuis"})
    engine = make_engine(f"sqlite:///{tmp_path / 'tim.db'}")
    pipe = Pipeline(Config(sources=[bad, good]), engine)
    reports = {r.source_id: r for r in (pipe.run_source(bad), pipe.run_source(good))}
    assert reports["wijkhuis"].status == "failed" and "venue 'Nergenshuis'" in reports["wijkhuis"].error
    assert "venue" not in (reports["leeg"].error or "")
    engine.dispose()
