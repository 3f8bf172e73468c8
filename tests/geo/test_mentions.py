"""Buurt mentions in any phrasing, ambiguous names judged on their sentence, the evidence shown by
``explain`` (issue 14); unknown addresses placed by their neighbours."""

from __future__ import annotations

import pytest

from tim.geo import Locator
from tim.geo.gazetteer import Gazetteer

AMBY, WOLDER, LIMMEL, HEER, SCHARN, MALBERG = (
    "BU09350406", "BU09350104", "BU09350404", "BU09350602", "BU09350405", "BU09350207")


@pytest.fixture(scope="module")
def locator() -> Locator:
    return Locator.load()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Wandeling door Amby", AMBY),
        ("Verhalen van Wolder", WOLDER),
        ("Kinderen uit Limmel maken een muurschildering", LIMMEL),
        ("Fietstocht rond Heer", HEER),
        ("Amby's nieuwe moestuin", AMBY),
        ("Heer: bewoners starten een buurtbus", HEER),
        ("Scharn krijgt een speeltuin", SCHARN),
        ("Repair café in de wijk Malberg", MALBERG),
        ("Walk through Amby with a guide", AMBY),
        ("Nieuwjaarsreceptie Scharn", SCHARN),
    ],
)
def test_a_buurt_name_counts_whatever_precedes_it(locator, text, code):
    res = locator.explain(text)
    assert res.buurt_code == code and res.method == "buurt_name"


def test_two_buurten_of_one_wijk_give_the_wijk():
    res = Locator.load().explain("Heer en Heugem vieren samen carnaval")
    assert res.buurt_code is None and res.wijk_code == "WK093506"


@pytest.mark.parametrize(
    "text",
    [
        "De heer Jansen vertelt over bijen", "Meneer Limmel, kunstschilder", "Geloof in de Heer",
        "Onze Lieve Heer heeft rare kostgangers", "Heer en meester in de keuken", "Heer Bommel voorgelezen",
        "Amby Winehouse tribute night", "Interview met Anne Scharn", "Mevrouw Wolder neemt afscheid",
        "Lezing door de heer Van Wolder", "Jezus van Nazareth: paasmusical", "Belfort in Frankrijk: busreis",
        "Heeg in Friesland: zeilkamp", "Campagne tegen eenzaamheid", "Nieuwe campagne voor schone straten",
        "Villapark-achtige wijken in Nederland", "Filmavond: Belfort (2022)", "Limmel, Jan: in memoriam",
    ],
)
def test_an_ambiguous_name_used_otherwise_gives_no_buurt(locator, text):
    res = locator.explain(text)
    assert res.buurt_code is None and res.wijk_code is None


def test_the_evidence_is_in_the_explanation(locator):
    res = locator.explain("Wandeling door Amby")
    assert "capitalised" in res.steps[0]["note"]
    res = locator.explain("Geloof in de Heer")
    step = next(s for s in res.steps if s["matched"] == "Heer")
    assert step["target"] is None and "geloof" in step["note"]
    res = locator.explain("De heer Jansen")
    assert any("lower case" in s["note"] for s in res.steps)


def test_an_unknown_pc6_between_known_ones_of_one_buurt(locator):
    # 6211AS itself is not in the PC6 file; 6211AR and 6211AT are, in one buurt
    gaz = Gazetteer(locator.b, exclude_addresses={("Boschstraat", "9")})
    hit = gaz.neighbouring_pc6("6211AS")
    assert hit is not None and hit[:2] == ("6211AR", "6211AT")
    res = Locator(locator.b, gaz).explain("Boschstraat 9, 6211 AS Maastricht")
    assert res.buurt_code == "BU09350004" and res.method == "postcode"


def test_an_unknown_number_next_to_a_known_one_of_its_pc6(locator):
    gaz = Gazetteer(locator.b, exclude_addresses={("Markt", "33")})
    res = Locator(locator.b, gaz).explain("Markt 33, 6211 CK Maastricht")
    assert res.buurt_code == "BU09350004"  # as Markt 35 (same PC6), not the PC6 centroid's buurt
    assert "near known Markt 35" in res.matched
