"""A well-formed address whose own point is unknown: placed by the known numbers on its side of the
street, the known addresses of its PC6, its PC5 (issue 14, second pass). Each case takes the
address's own point out of the gazetteer, as ``benchmarks/geo/addresses.py`` does."""

from __future__ import annotations

import pytest

from tim.geo import Locator
from tim.geo.gazetteer import Gazetteer

BINNENSTAD, STATENKWARTIER, BOSCHSTRAATKWARTIER, WYCK = "BU09350000", "BU09350003", "BU09350004", "BU09350006"
VILLAPARK, BIESLAND, SINT_PIETER, SCHARN = "BU09350100", "BU09350102", "BU09350105", "BU09350405"


@pytest.fixture(scope="module")
def boundaries():
    return Locator.load().b


def without(boundaries, street: str, number: str) -> Locator:
    return Locator(boundaries, Gazetteer(boundaries, exclude_addresses={(street, number)}))


def step(res, method: str, target: str | None = None) -> dict:
    return next(s for s in res.steps if s["method"] == method and (target is None or s["target"] == target))


def test_same_side_numbers(boundaries):
    gaz = Gazetteer(boundaries, exclude_addresses={("Boschstraat", "68")})
    lo, hi = gaz.same_side_numbers("boschstraat", 68)
    assert lo is not None and lo[0] == 58 and hi is None  # 90 is 22 away: beyond 20
    assert [n for n, _p in gaz.same_side_numbers_within("boschstraat", 68, 40)] == [46, 56, 58, 90, 98, 104]
    assert gaz.same_side_numbers("boschstraat", 69)[0][0] == 67  # the odd side for an odd number


def test_one_side_of_the_street_in_one_buurt_beats_a_pc6_near_the_border(boundaries):
    # Boschstraat's even side lies in Statenkwartier, its odd side in Boschstraatkwartier; the PC6
    # centroid of 6211AV (22 m from the border) is on the odd side
    res = without(boundaries, "Boschstraat", "68").explain("Boschstraat 68, 6211 AV Maastricht")
    assert res.buurt_code == STATENKWARTIER and res.method == "street"
    s = step(res, "street")
    assert s["confidence"] == 0.7 and "this side of the street lies in one buurt" in s["note"]
    assert step(res, "postcode")["target"] == BOSCHSTRAATKWARTIER  # the loser is recorded
    assert "6211AV" in res.conflict


def test_a_pc6_far_from_the_streets_numbers_counts_less(boundaries):
    # 6221AZ is a Wyck postcode; its centroid lies 650 m from Boschstraat's numbers around 104
    res = without(boundaries, "Boschstraat", "104-106").explain("Boschstraat 104-106, 6221 AZ Maastricht")
    assert res.buurt_code == STATENKWARTIER
    pc = step(res, "postcode")
    assert pc["target"] == WYCK and pc["confidence"] == pytest.approx(0.45)
    assert "from the street's known numbers" in pc["note"]


def test_neighbours_in_different_buurten_leave_it_to_the_pc6(boundaries):
    # Markt 35 lies in Boschstraatkwartier, Markt 39 in Binnenstad: the interpolated point is on the
    # border, so the PC6 (Binnenstad) decides, not the first neighbour found
    res = without(boundaries, "Markt", "37").explain("Markt 37, 6211 CK Maastricht")
    assert res.buurt_code == BINNENSTAD and res.method == "postcode"
    s = step(res, "street")
    assert "between known Markt 35 and 39" in s["matched"] and "different buurten" in s["note"]
    assert s["confidence"] < step(res, "postcode")["confidence"]


def test_known_numbers_on_both_sides_in_one_buurt_vote(boundaries):
    gaz = Gazetteer(boundaries, exclude_addresses={("Onze Lieve Vrouweplein", "15")})
    res = Locator(boundaries, gaz).explain("Onze Lieve Vrouweplein 15, Maastricht")
    s = step(res, "street")
    assert "between known Onze Lieve Vrouweplein 3 and 25, both in this buurt" in s["matched"]
    assert (s["target"], s["confidence"]) == (BINNENSTAD, 0.7)


def test_the_nearest_number_on_this_side_21_to_40_away(boundaries):
    res = without(boundaries, "Luikerweg", "1").explain("Luikerweg 1, Maastricht")
    assert res.buurt_code == VILLAPARK
    s = step(res, "street")
    assert "nearest known on this side: Luikerweg 33" in s["matched"] and s["confidence"] == 0.5


def test_an_unknown_pc6_by_its_known_addresses(boundaries):
    # 6211CZ is not in the centroids file; the OSM addresses written with it are in Binnenstad
    res = without(boundaries, "Dominicanerplein", "1a").explain("Dominicanerplein 1a, 6211 CZ Maastricht")
    assert res.buurt_code == BINNENSTAD
    s = step(res, "postcode", BINNENSTAD)
    assert s["confidence"] == 0.6 and "known address" in s["note"] and "Dominicanerkerkstraat 1" in s["note"]


def test_an_unknown_pc6_by_its_pc5(boundaries):
    res = without(boundaries, "Armand Maassenstraat", "2").explain("Armand Maassenstraat 2, 6226 DE Maastricht")
    s = step(res, "postcode", SCHARN)
    assert s["confidence"] == 0.5 and "of 6226D in this buurt" in s["note"]
    gaz = Gazetteer(boundaries)
    idx, share, n = gaz.pc5["6226D"]
    assert boundaries.codes[idx] == SCHARN and share >= 0.9 and n >= 3
    assert gaz.pc5["6211X"][1] < 0.9  # a PC5 split over two buurten gives nothing


def test_a_long_streets_buurt_counts_less_far_from_its_known_numbers(boundaries):
    # Cannerweg's known numbers (Biesland) are all far from 800; 6213ND's PC5 and neighbours say Sint Pieter
    res = without(boundaries, "Cannerweg", "800").explain("Cannerweg 800, 6213 ND Maastricht")
    assert res.buurt_code == SINT_PIETER
    s = step(res, "street", BIESLAND)
    assert s["confidence"] == pytest.approx(0.44) and "more than 50 from 800" in s["note"]
