"""Place fields: coordinates, postcodes, house numbers and address parts."""

from __future__ import annotations

import pytest

from tim.normalizers import (
    clean_point,
    normalize,
    normalize_housenumber,
    normalize_postcode,
    parse_coordinate,
)

from .conftest import FakeParts, make_raw, make_source


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(50.8514, 50.8514), ("50.8514", 50.8514), ("50,8514", 50.8514), (" 5,6909° ", 5.6909),
     (5, 5.0), ("-0.5", -0.5), (".5", 0.5), ("50.851.234", None), ("1,234.5", None), ("abc", None),
     ("", None), (None, None), (True, None), (float("nan"), None), (float("inf"), None),
     ("1e5", None), ([50.85], None)],
)
def test_parse_coordinate(raw, expected):
    assert parse_coordinate(raw) == expected


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (50.8514, 5.6909, (50.8514, 5.6909)),
        ("50,8514", "5,6909", (50.8514, 5.6909)),
        (5.6909, 50.8514, (50.8514, 5.6909)),  # swapped for the Netherlands
        (0, 0, (None, None)),
        ("0.0", "0,0", (None, None)),
        (91, 5.69, (None, None)),
        (50.85, 181, (None, None)),
        (176000, 317000, (None, None)),  # RD metres, not degrees
        (50.85, None, (None, None)),
        (None, 5.69, (None, None)),
        (48.8566, 2.3522, (48.8566, 2.3522)),  # Paris stays Paris
        (-33.9, 18.4, (-33.9, 18.4)),
    ],
)
def test_clean_point(lat, lon, expected):
    assert clean_point(lat, lon) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("6211 PE", "6211PE"), ("6211pe", "6211PE"), (" 6211\u00a0 pe ", "6211PE"), ("6211", "6211"),
     ("6211 SS", None), ("0211 PE", None), ("62111 PE", None), ("Maastricht", None), ("", None),
     (None, None), (6211, "6211")],
)
def test_normalize_postcode(raw, expected):
    assert normalize_postcode(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("38", "38"), ("38 a", "38A"), ("38-a", "38A"), ("38A", "38A"), ("38-2", "38-2"),
     ("38 bis", "38 bis"), (38, "38"), ("", None), ("1" * 50, None), ("bis", None),
     ("12-14", "12-14"), ("38 hs", "38 hs"), ("ipt>alert(1)", None), ("1<b>2</b>", "12"),
     ("38, 2e etage", None)],
)
def test_normalize_housenumber(raw, expected):
    assert normalize_housenumber(raw) == expected


def test_free_text_address_is_split(fake_address):
    fake_address.answers["Brusselsestraat 38, 6211 PG Maastricht"] = FakeParts(
        "Brusselsestraat", "38", "6211 pg", "Maastricht", True
    )
    item = normalize(
        make_raw({"id": "1", "title": "Buurtfeest",
                  "address": " Brusselsestraat 38,  6211 PG Maastricht"}),
        make_source(),
    )
    assert (item.address, item.street, item.housenumber, item.postcode, item.city) == (
        "Brusselsestraat 38, 6211 PG Maastricht", "Brusselsestraat", "38", "6211PG", "Maastricht"
    )
    assert fake_address.calls == [("parse_address", "Brusselsestraat 38, 6211 PG Maastricht")]


def test_given_parts_win_and_address_is_not_reparsed(fake_address):
    item = normalize(
        make_raw({"id": "1", "title": "Buurtfeest", "address": "Markt 78, Maastricht",
                  "street": "Markt", "housenumber": "78", "postcode": "6211 cl"}),
        make_source(),
    )
    assert (item.street, item.housenumber, item.postcode) == ("Markt", "78", "6211CL")
    assert fake_address.calls == []


def test_address_in_description_when_no_place(fake_address):
    parts = FakeParts("Lanakerweg", "25", "6222AB", "Maastricht", True)
    fake_address.answers["Lanakerweg 25"] = parts
    item = normalize(
        make_raw({"id": "1", "title": "Inloopavond",
                  "description": "<p>Kom langs!</p><p>Adres: Lanakerweg 25, 6222 AB Maastricht"}),
        make_source(),
    )
    assert (item.street, item.housenumber, item.postcode, item.city) == (
        "Lanakerweg", "25", "6222AB", "Maastricht")
    assert item.address == "Lanakerweg 25, 6222 AB Maastricht"
    assert fake_address.calls[-1][0] == "find_address_in_text"


def test_location_name_searched_before_description(fake_address):
    fake_address.answers["Lanakerweg 25"] = FakeParts("Lanakerweg", "25", None, None, None)
    fake_address.answers["Markt 78"] = FakeParts("Markt", "78", None, None, None)
    item = normalize(
        make_raw({"id": "1", "title": "Inloopavond", "location_name": "Buurthuis, Lanakerweg 25",
                  "description": "Daarna borrel op de Markt 78"}),
        make_source(),
    )
    assert (item.street, item.housenumber, item.address) == ("Lanakerweg", "25", "Lanakerweg 25")


@pytest.mark.parametrize(
    "extra",
    [{"lat": "50.85", "lon": "5.69"}, {"postcode": "6211PE"}, {"street": "Markt"},
     {"address": "Markt 78"}],
)
def test_description_not_searched_when_record_has_a_place(fake_address, extra):
    fields = {"id": "1", "title": "Inloop",
              "description": "Adres: Lanakerweg 25, 6222 AB Maastricht"}
    normalize(make_raw({**fields, **extra}), make_source())
    assert not any(name == "find_address_in_text" for name, _ in fake_address.calls)


def test_no_address_found_leaves_fields_empty(fake_address):
    item = normalize(make_raw({"id": "1", "title": "Stadsbrede oproep", "description": "Doe mee!"}),
                     make_source())
    assert (item.address, item.street, item.postcode, item.city) == (None, None, None, None)


def test_real_address_parser_end_to_end(real_address):
    item = normalize(
        make_raw({"id": "1", "title": "Buurtfeest",
                  "address": "Brusselsestraat 38, 6211 PG Maastricht"}),
        make_source(),
    )
    assert (item.street, item.housenumber, item.postcode, item.city) == (
        "Brusselsestraat", "38", "6211PG", "Maastricht")
    found = normalize(
        make_raw({"id": "2", "title": "Koffieochtend",
                  "description": "<p>Locatie: Brusselsestraat 38, 6211 PG Maastricht</p>"}),
        make_source(),
    )
    assert (found.street, found.housenumber, found.postcode) == ("Brusselsestraat", "38", "6211PG")
