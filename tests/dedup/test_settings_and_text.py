"""Settings are validated like every config model; titles are normalised as documented."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tim.config import DedupSettings
from tim.dedup.text import canonical_url, normalize_organizer, normalize_title


def test_unknown_setting_is_an_error():
    with pytest.raises(ValidationError, match="extra"):
        DedupSettings(title_treshold=80)


def test_geo_cells_must_cover_the_distance_limit():
    with pytest.raises(ValidationError, match="geo_cell_m"):
        DedupSettings(max_distance_m=400, geo_cell_m=500)


def test_every_setting_is_documented():
    for name, field in DedupSettings.model_fields.items():
        assert field.description, name


@pytest.mark.parametrize(
    "raw, expected, words",
    [
        ("Vrijwilliger gezocht: Taalmaatje (m/v) in Malberg!", "taalmaatje malberg", ("taal", "maatje")),
        # "repair cafe" is one word whichever way a source writes it
        ("Repair Café Maastricht-Oost za 14 juni 14.00 uur", "repaircafe oost", ("repair", "cafe")),
        ("Repaircafé", "repaircafe", ("repair", "cafe")),
        ("Koffie-ochtend in 't Trefcentrum 10:00u", "koffie ochtend trefcentrum", ("koffie", "ochtend", "trefcentrum")),
        ("Humanitas Maastricht zoekt een kok", "kok", ("kok",)),
        # English is read as Dutch; an age range is no date
        ("Coffee morning for newcomers", "koffieochtend nieuwkomers", ("koffie", "ochtend", "nieuwkomers")),
        ("Kinderworkshop 4-6 jaar", "kinderworkshop 4 6 jaar", ("kinder", "workshop", "4", "6", "jaar")),
    ],
)
def test_title_normalisation(raw, expected, words):
    t = normalize_title(raw)
    assert t.full == expected
    assert t.words == words  # compounds split at a known head (dedup/title_variants.txt)


def test_place_names_are_compared_apart_from_the_rest_of_the_title():
    a, b = normalize_title("Buurtfeest Oud-Caberg"), normalize_title("Buurtfeest Caberg")
    assert a.text == b.text == "buurtfeest"
    assert a.places and b.places and not a.places & b.places


def test_subtitles_codes_and_age_ranges():
    t = normalize_title("Buurtfeest Malberg: meer info volgt")
    assert t.main == ("buurt", "feest") and t.sub == ("meer", "info", "volgt")
    assert normalize_title("Buurtfeest Malberg").main is None
    assert normalize_title("Voetbaltoernooi JO11").numbers == {"jo11"}
    assert normalize_title("Kinderworkshop 4-6 jaar").numbers == {4, 6}
    assert normalize_title("Bijeenkomst 14-06").numbers == frozenset()  # a date, taken out


def test_organizer_and_url_normal_forms():
    assert (
        normalize_organizer("Stichting Trajekt Maastricht")
        == normalize_organizer("Trajekt")
        == "trajekt"
    )
    assert (
        canonical_url("https://www.MaastrichtDoet.nl/vacature/12/?utm_source=x#top")
        == "maastrichtdoet.nl/vacature/12"
    )
    assert canonical_url("https://www.trajekt.nl/") is None
