"""normalizers.address: Dutch address parsing and addresses inside texts (issue 4, item 1)."""

from __future__ import annotations

import pytest

from tim.normalizers.address import (
    AddressParts,
    find_address_in_text,
    fold,
    normalise_postcode,
    parse_address,
    street_key,
)


@pytest.mark.parametrize("text", ["6211PE", "6211 PE", "6211pe", " 6211  pe ", "6211 Pe"])
def test_postcode_any_spacing_and_case(text):
    assert normalise_postcode(text) == "6211PE"
    assert parse_address(text).postcode == "6211PE"


def test_not_a_postcode():
    assert normalise_postcode("6211 SS") is None  # SA, SD and SS are never used
    assert normalise_postcode("0211 AB") is None
    assert find_address_in_text("Op 12 mei 2024 en verder") is None  # "2024 en" is no postcode


@pytest.mark.parametrize(
    ("text", "street", "housenumber", "postcode", "city", "in_area"),
    [
        ("Brusselsestraat 12a, 6211 PE Maastricht", "Brusselsestraat", "12A", "6211PE", "Maastricht", True),
        ("Brusselsestr. 12-A 6211pe", "Brusselsestr.", "12A", "6211PE", None, True),
        ("St. Pieterstraat 12 bis, Maastricht", "St. Pieterstraat", "12-BIS", None, "Maastricht", True),
        ("Grote Gracht 70, 6211SZ MAASTRICHT", "Grote Gracht", "70", "6211SZ", "Maastricht", True),
        ("Markt 78 te Maastricht", "Markt", "78", None, "Maastricht", True),
        ("Clavecymbelstraat 73 A", "Clavecymbelstraat", "73A", None, None, None),
        ("Kerkstraat 1, Meerssen", "Kerkstraat", "1", None, "Meerssen", False),
        ("Kerkstraat 1 Meerssen", "Kerkstraat", "1", None, "Meerssen", False),
        ("Hoofdstraat 5, 3620 Lanaken", "Hoofdstraat", "5", None, "Lanaken", False),
        ("Rijksweg 12, 6271 AB Gulpen", "Rijksweg", "12", "6271AB", "Gulpen", False),
        ("Dorpstraat 3, 6231 AB", "Dorpstraat", "3", "6231AB", None, False),  # postcode outside Maastricht
        ("Cadier en Keer", None, None, None, "Cadier en Keer", False),
        ("Eijsden-Margraten", None, None, None, "Eijsden-Margraten", False),
        ("Valkenburg aan de Geul", None, None, None, "Valkenburg aan de Geul", False),
        ("Heer", None, None, None, "Maastricht", True),  # a buurt used as the place means Maastricht
        ("Brusselsestraat", "Brusselsestraat", None, None, None, None),
    ],
)
def test_parse_address(text, street, housenumber, postcode, city, in_area):
    p = parse_address(text)
    assert (p.street, p.housenumber, p.postcode, p.city, p.in_area) == (street, housenumber, postcode, city, in_area)


def test_housenumber_parts():
    p = parse_address("Brouwersweg 100 C02")
    assert (p.number, p.addition) == (100, "C02")
    assert parse_address("Kommel 4").addition is None


def test_po_box_has_no_street():
    p = parse_address("Postbus 1992, 6201 BZ Maastricht")
    assert p.street is None and p.housenumber is None and p.postcode == "6201BZ" and p.in_area is True


def test_abbreviations_share_a_street_key():
    assert street_key("St. Pieterstr.") == street_key("Sint-Pieterstraat") == street_key("sint pieter straat")
    assert street_key("O.L. Vrouweplein") == street_key("Onze Lieve Vrouweplein")
    assert street_key("Burg. v. Oppenstraat") == street_key("Burgemeester van Oppenstraat")
    assert fold("Belvédère") == "belvedere" and fold("Oud-Caberg") == "oud caberg"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Locatie: Brusselsestraat 38, 6211 PG Maastricht. Welkom!",
         AddressParts("Brusselsestraat", "38", "6211PG", "Maastricht", True)),
        ("We komen samen in de Brusselsestraat 38, 6211 PG Maastricht om 19 uur",
         AddressParts("Brusselsestraat", "38", "6211PG", "Maastricht", True)),
        ("Kom naar Markt 78 in Maastricht", AddressParts("Markt", "78", None, "Maastricht", True)),
        ("Adres: Vrijthof 18 (ingang links)", AddressParts("Vrijthof", "18", None, None, None)),
        ("Kom naar de Pastoor Moonenstraat 12a.", AddressParts("Pastoor Moonenstraat", "12A", None, None, None)),
        ("adres spilstr. 3, 6211 cn maastricht", AddressParts("Spilstraat", "3", "6211CN", "Maastricht", True)),
        ("Postcode 6221 AB", AddressParts(None, None, "6221AB", None, True)),
        ("meer info 6211pe maastricht", AddressParts(None, None, "6211PE", "Maastricht", True)),
        ("Wij wonen in de Hoofdstraat 5-2, Meerssen", AddressParts("Hoofdstraat", "5-2", None, "Meerssen", False)),
    ],
)
def test_find_address_in_text(text, expected):
    got = find_address_in_text(text)
    assert got is not None
    assert (got.street, got.housenumber, got.postcode, got.city, got.in_area) == (
        expected.street, expected.housenumber, expected.postcode, expected.city, expected.in_area)
    assert got.matched and got.matched in text


@pytest.mark.parametrize("text", ["Vrijwilligers gezocht voor de voedselbank", "Wandeling door Valkenburg",
                                  "Bel 043 350 1234", ""])
def test_no_address_in_text(text):
    assert find_address_in_text(text) is None


def test_a_glued_addition_does_not_hide_the_postcode():
    got = find_address_in_text("Tongerseweg 57-Unit-2a, 6213 GA Maastricht")
    assert (got.street, got.housenumber, got.postcode, got.in_area) == ("Tongerseweg", "57", "6213GA", True)
    got = find_address_in_text("Kom naar Markt 78-bar in Maastricht")
    assert (got.street, got.housenumber, got.city) == ("Markt", "78", "Maastricht")
    got = find_address_in_text("Markt 78-achter")  # nothing after it: the number stays as it was
    assert (got.street, got.housenumber, got.postcode) == ("Markt", "78", None)
