"""Category and kind vocabularies (data/categories.csv, data/kinds.csv)."""

from __future__ import annotations

import re

import pytest

from tim.normalizers import map_categories, map_kind, normalize_label, slugify
from tim.normalizers.categories import MAX_CATEGORIES, category_vocabulary, kind_vocabulary
from tim.records import ITEM_KINDS


def test_vocabulary_files_load_and_are_consistent():
    categories = category_vocabulary()
    assert len(categories) > 100
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) for slug in categories.values())
    kinds = kind_vocabulary()
    assert set(kinds.values()) == set(ITEM_KINDS)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["Zorg & Welzijn"], ["zorg-welzijn"]),
        (["zorg en welzijn", "ZORG/WELZIJN", "Zorg-welzijn"], ["zorg-welzijn"]),
        (["Taal", "taal ", "Nieuwkomers"], ["nieuwkomers-integratie", "onderwijs-taal"]),
        (["Repair Café"], ["klussen-techniek"]),
        (["Jeu de boules"], ["jeu-de-boules"]),  # unknown: kept as its slug
        (["Sjiek Café!!"], ["sjiek-cafe"]),
        ("Buurt; Ouderen | Koffie, Sport", ["buurt-wijk", "koffie", "ouderen", "sport-bewegen"]),
        ([{"term": "Cultuur"}, {"name": "Muziek"}], ["cultuur"]),
        (["", "  ", None, 12, ["nested"]], []),
        (None, []),
        ({"zorg": 1}, []),
        (["<b>Sport</b>"], ["sport-bewegen"]),
    ],
)
def test_map_categories(raw, expected):
    assert map_categories(raw) == expected


def test_categories_are_sorted_so_reordering_is_not_an_edit():
    assert map_categories(["Sport", "Cultuur"]) == map_categories(["Cultuur", "Sport"])


def test_categories_are_capped():
    assert len(map_categories([f"label {i}" for i in range(500)])) == MAX_CATEGORIES
    assert all(len(c) <= 60 for c in map_categories(["x" * 1000 + " y"]))


def test_normalize_label_and_slugify():
    assert normalize_label("Zorg & Welzijn") == "zorg welzijn"
    assert normalize_label("Kunst en Cultuur") == "kunst cultuur"
    assert slugify("Sint-Pieter (Maastricht)") == "sint-pieter-maastricht"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("event", "event"), ("Vacature", "vacancy"), ("JobPosting", "vacancy"), ("Event", "event"),
     ("activiteit", "event"), ("NewsArticle", "news"), ("Proposal", "participation"),
     ("Organization", "network"), ("bewonersinitiatief", "initiative"),
     ("iets anders", "initiative"), ("", "initiative"), (None, "initiative"), (["event"], "event"),
     ({"kind": "event"}, "initiative")],
)
def test_map_kind(raw, expected):
    assert map_kind(raw, "initiative") == expected
