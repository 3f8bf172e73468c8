"""The offline chain: coordinates, postcodes, addresses, streets, venues, names, out-of-area and
city-wide items, conflicts (issue 2 item 5, issue 4 items 2 and 5). Sanity points come from
data/SOURCES.md."""

from __future__ import annotations

import numpy as np
import pytest

from tim.geo import Locator
from tim.records import GeoResult, Item

BINNENSTAD, WYCK, STATENKWARTIER = "BU09350000", "BU09350006", "BU09350003"


@pytest.fixture(scope="module")
def locator() -> Locator:
    return Locator.load()


def item(**kw) -> Item:
    base = {"id": "t-1", "source_id": "t", "source_key": "1", "kind": "event", "title": ""}
    return Item(**{**base, **kw})


def test_public_api_shape(locator):
    buurten = locator.buurten()
    assert len(buurten) == 44
    assert {b.wijk_code for b in buurten} == {f"WK09350{i}" for i in range(7)}
    vrijthof = next(b for b in buurten if b.code == BINNENSTAD)
    assert vrijthof.name == "Binnenstad" and vrijthof.wijk_name == "Maastricht-Centrum"
    assert vrijthof.geometry.contains(__import__("shapely").Point(5.6888, 50.8489))
    assert locator.boundary_version == "cbs2024-generalised"
    assert Locator.load() is not None  # a second load reuses the cached gazetteer


@pytest.mark.parametrize(("lat", "lon", "code"), [(50.8489, 5.6888, BINNENSTAD), (50.8493, 5.7054, WYCK)])
def test_source_coordinates(locator, lat, lon, code):
    res = locator.locate(item(title="Iets", lat=lat, lon=lon))
    assert isinstance(res, GeoResult)
    assert (res.method, res.buurt_code, res.lat, res.lon) == ("source_coordinates", code, lat, lon)
    assert 0.5 < res.confidence <= 1 and res.boundary_version == "cbs2024-generalised"


def test_swapped_coordinates_are_noticed(locator):
    res = locator.explain("5.6888, 50.8489")
    assert res.buurt_code == BINNENSTAD
    assert "swapped" in res.steps[0]["note"]


@pytest.mark.parametrize("lat,lon", [(50.885, 5.755), (50.893, 5.647), (52.37, 4.895)])
def test_coordinates_outside_the_municipality_get_no_buurt(locator, lat, lon):
    res = locator.locate(item(title="Buurtfeest in Malberg", lat=lat, lon=lon))
    assert res.buurt_code is None and res.wijk_code is None
    assert "outside" in (res.matched or "")


def test_batch_point_in_polygon_matches_single(locator):
    b = locator.b
    rng = np.random.default_rng(1)
    lons, lats = rng.uniform(5.6, 5.78, 500), rng.uniform(50.79, 50.91, 500)
    batch = b.locate_many(lons, lats)
    assert list(batch) == [b.locate(x, y) for x, y in zip(lons, lats)]
    assert (batch >= 0).any() and (batch < 0).any()


@pytest.mark.parametrize("text", ["6211PE", "6211 pe", "6211pe", " 6211  PE", "postcode: 6211 PE"])
def test_postcode_any_spacing(locator, text):
    res = locator.explain(text)
    assert (res.method, res.buurt_code) == ("postcode", STATENKWARTIER)
    assert res.lat is not None and res.lon is not None


def test_postcode_field_of_an_item(locator):
    res = locator.locate(item(title="Taalcafé", postcode="6227 ab"))
    assert res.method == "postcode" and res.buurt_name == "Scharn"


def test_street_and_number_is_an_address_point(locator):
    res = locator.explain("Brusselsestraat 38, 6211 PG Maastricht")
    assert (res.method, res.buurt_code) == ("address_point", STATENKWARTIER)
    assert "Brusselsestraat 38" in res.matched


def test_address_written_in_a_description(locator):
    res = locator.locate(item(title="Inloopochtend", description_text="Locatie: Brusselsestraat 38, 6211 PG Maastricht."))
    assert (res.method, res.buurt_code) == ("address_point", STATENKWARTIER)


def test_structured_fields(locator):
    res = locator.locate(item(title="x", street="Markt", housenumber="78", city="Maastricht"))
    assert (res.method, res.buurt_name) == ("address_point", "Binnenstad")


def test_messy_street_with_typo_and_abbreviation(locator):
    res = locator.explain("Waar: Spilstr. 17 6211 CN MAASTRICHT")
    assert res.buurt_name == "Binnenstad" and res.method in ("address_point", "street", "postcode")
    res = locator.explain("adres Grote Garcht 50, 6211  SX maastricht")
    assert (res.method, res.buurt_name) == ("address_point", "Binnenstad")
    assert "street matched" in res.steps[0]["note"] or "Grote Gracht" in res.matched
    # a typo is scored on the distinctive part: "Oppenstraat" is not "Papenstraat"
    assert locator.gaz.street("Oppenstraat") is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Buurtfeest in Malberg op zaterdag", "Malberg"),
        ("Koffie-ochtend in de Wijck", "Wyck"),
        ("Wandeling in St. Pieter", "Sint Pieter"),
        ("Bewoners van Oud Caberg zoeken vrijwilligers", "Oud-Caberg"),
        ("Nieuws uit Céramique", "Wyck"),
        ("Repair café in Belvedere", "Belvédère"),
        ("Bewoners van Heer", "Heer"),
        ("Trefcentrum Wittevrouwenveld", "Wittevrouwenveld"),
    ],
)
def test_buurt_names_and_aliases_in_sentences(locator, text, name):
    res = locator.explain(text)
    assert res.method == "buurt_name" and res.buurt_name == name


@pytest.mark.parametrize(
    "text",
    ["De heer Jansen vertelt over bijen", "Campagne tegen eenzaamheid", "Amby Winehouse tribute night",
     "Vrijwilligers gezocht voor de voedselbank", "Kerstverhaal: de reis naar Nazareth",
     "Maastricht zoekt mantelzorgers", "Heerlijk koken in Heerlen", ""],
)
def test_city_wide_items_get_no_buurt(locator, text):
    res = locator.explain(text)
    assert res.buurt_code is None and res.wijk_code is None and res.method == "none"


def test_names_match_whole_words_only(locator):
    res = locator.explain("Wandeling over de Ridder van Heerstraat")  # not the buurt Heer
    assert res.method != "buurt_name"
    assert all(s["method"] != "buurt_name" for s in res.steps)


def test_several_buurten_of_one_wijk_give_the_wijk_only(locator):
    res = locator.explain("Buurtcentrum voor Malberg en Caberg")
    assert res.buurt_code is None and res.wijk_code == "WK093502"


@pytest.mark.parametrize(
    ("text", "code"),
    [("Koffieochtend in Centre Céramique", WYCK), ("Film in Lumière", "BU09350004"), ("Vrijthof", BINNENSTAD),
     ("Concert in het Theater aan het Vrijthof", BINNENSTAD), ("Bijeenkomst in het MECC", "BU09350600")],
)
def test_named_venues(locator, text, code):
    res = locator.explain(text)
    assert res.method == "venue" and res.buurt_code == code


@pytest.mark.parametrize(
    "text",
    ["Kerkstraat 1, Meerssen", "Rijksweg 12, 6271 AB Gulpen", "Hoofdstraat 5, 3620 Lanaken",
     "Wandeling door de binnenstad van Aken", "Vrijwilligers gezocht in Valkenburg", "Buurtfeest in Heerlen",
     "Markt 12, Eijsden-Margraten", "Dorpstraat 4, Cadier en Keer", "Brusselsestraat 38, 6231 AB Meerssen",
     "Parkeren bij Maastricht Aachen Airport"],
)
def test_out_of_area_places_block_assignment(locator, text):
    res = locator.explain(text)
    assert res.buurt_code is None and res.wijk_code is None


def test_out_of_area_city_field(locator):
    res = locator.locate(item(title="Buurtfeest in Malberg", street="Kerkstraat", housenumber="1", city="Meerssen"))
    assert res.buurt_code is None
    assert res.conflict and "Malberg" in res.conflict  # the losing evidence is recorded


def test_conflict_postcode_beats_name_and_is_recorded(locator):
    """The issue's example: a postcode in Heer, "Malberg" in the title."""
    res = locator.locate(item(title="Buurtfeest Malberg", postcode="6227 AB"))
    assert res.method == "postcode" and res.buurt_name == "Scharn"  # 6227AB's centroid lies in Scharn
    assert res.conflict and "Malberg" in res.conflict and "buurt_name" in res.conflict
    plain = locator.locate(item(title="Buurtfeest", postcode="6227 AB"))
    assert res.confidence < plain.confidence  # the conflict costs confidence


def test_source_coordinates_outrank_a_name(locator):
    res = locator.locate(item(title="Bewoners van Malberg", lat=50.8489, lon=5.6888))
    assert res.method == "source_coordinates" and res.buurt_code == BINNENSTAD and "Malberg" in res.conflict


def test_explain_fills_steps(locator):
    res = locator.explain("Buurtfeest in Malberg, Voltastraat 5")
    assert [s["method"] for s in res.steps][:1] == ["address_point"]
    assert all(0 <= s["confidence"] <= 1 for s in res.steps)
    assert res.to_dict()["steps"] == res.steps


def test_structured_postcode_outside_and_addition(locator):
    assert locator.locate(item(title="Buurtfeest Malberg", postcode="6231")).buurt_code is None  # Meerssen PC4
    res = locator.locate(item(title="x", street="Brusselsestraat", housenumber="38a", postcode="6211 pg"))
    assert (res.method, res.buurt_code) == ("address_point", STATENKWARTIER)  # 38 is known, 38a is the same building


def test_invalid_coordinates_are_ignored(locator):
    res = locator.locate(item(title="Koffie", lat=0.0, lon=0.0))
    assert res.method == "none" and res.buurt_code is None
