"""The bundled item: fields from the best member, provenance, every source (issue 5, item 6)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tim.dedup import bundle


def item(id, source, **fields):
    base = {
        "id": id,
        "source_id": source,
        "kind": "event",
        "title": None,
        "description_html": "",
        "description_text": "",
        "url": None,
        "organizer": None,
        "starts_at": None,
        "ends_at": None,
        "location_name": None,
        "address": None,
        "postcode": None,
        "lat": None,
        "lon": None,
        "buurt_code": None,
        "buurt_name": None,
        "wijk_code": None,
        "geo_method": "none",
        "geo_confidence": 0.0,
        "image": None,
        "categories": [],
        "first_seen": None,
        "last_seen": None,
        "status": "active",
    }
    base.update(fields)
    return base


def t(day):
    return datetime(2025, 6, day, 12, tzinfo=UTC)


PRIORITIES = {"gemeente": 90, "trajekt": 70, "uitagenda": 50, "limburger": 30}

PRIMARY = item(
    "gm-1",
    "gemeente",
    title="Buurtfeest Malberg",
    url="https://www.gemeentemaastricht.nl/buurtfeest",
    starts_at=t(14),
    description_text="Muziek en hapjes.",
    categories=["feest"],
    first_seen=t(2),
    last_seen=t(9),
)
AGENDA = item(
    "ua-1",
    "uitagenda",
    title="Groot buurtfeest in Malberg!",
    url="https://www.uitinmaastricht.nl/agenda/1",
    starts_at=t(14),
    ends_at=t(15),
    description_text="Muziek, springkussen en hapjes voor iedereen.",
    description_html="<p>Muziek, springkussen en hapjes voor iedereen.</p>",
    location_name="Buurtcentrum Malberg",
    address="Bergerstraat 12, 6226 AA Maastricht",
    postcode="6226AA",
    lat=50.86,
    lon=5.65,
    buurt_code="BU09350207",
    buurt_name="Malberg",
    wijk_code="WK093502",
    geo_method="address_point",
    geo_confidence=0.9,
    image="https://x/y.jpg",
    categories=["feest", "kinderen"],
    first_seen=t(1),
    last_seen=t(10),
)
SPARSE = item(
    "lb-1",
    "limburger",
    title="Buurtfeest",
    url="https://www.limburger.nl/uit/agenda/9",
    categories=["muziek"],
    first_seen=t(3),
    last_seen=t(8),
    status="expired",
)


def test_fields_come_from_the_highest_priority_member_that_has_them():
    out = bundle([SPARSE, AGENDA, PRIMARY], PRIORITIES)
    assert out["title"] == "Buurtfeest Malberg"
    assert out["url"] == "https://www.gemeentemaastricht.nl/buurtfeest"
    assert out["provenance"]["title"] == {"source_id": "gemeente", "item_id": "gm-1"}
    # the primary has no place: the whole place comes from one member, never mixed
    assert (out["address"], out["lat"], out["buurt_code"], out["geo_method"]) == (
        "Bergerstraat 12, 6226 AA Maastricht",
        50.86,
        "BU09350207",
        "address_point",
    )
    assert out["provenance"]["lat"] == {"source_id": "uitagenda", "item_id": "ua-1"}
    # start and end belong together: the primary's start, and no end mixed in from another member
    assert out["starts_at"] == t(14) and out["ends_at"] is None
    assert out["description_text"] == "Muziek en hapjes." and out["description_html"] == ""
    assert out["image"] == "https://x/y.jpg"


def test_completeness_decides_between_equal_priorities():
    rich = dict(AGENDA, id="ua-2", source_id="trajekt")
    poor = dict(SPARSE, id="lb-2", source_id="trajekt", title="Feest")
    out = bundle([poor, rich], {"trajekt": 70})
    assert out["title"] == "Groot buurtfeest in Malberg!"
    assert out["provenance"]["title"]["item_id"] == "ua-2"


def test_every_member_source_is_listed_and_derived_fields_are_combined():
    out = bundle([SPARSE, AGENDA, PRIMARY], PRIORITIES)
    assert out["sources"] == [
        {
            "source_id": "gemeente",
            "item_id": "gm-1",
            "url": "https://www.gemeentemaastricht.nl/buurtfeest",
        },
        {
            "source_id": "uitagenda",
            "item_id": "ua-1",
            "url": "https://www.uitinmaastricht.nl/agenda/1",
        },
        {
            "source_id": "limburger",
            "item_id": "lb-1",
            "url": "https://www.limburger.nl/uit/agenda/9",
        },
    ]
    assert out["member_count"] == 3
    assert out["categories"] == ["feest", "kinderen", "muziek"]
    assert out["first_seen"] == t(1) and out["last_seen"] == t(10)
    assert out["status"] == "active"
    assert bundle([SPARSE], PRIORITIES)["status"] == "expired"


def test_categories_stored_as_json_text_are_read():
    out = bundle([dict(SPARSE, categories='["muziek", "buurt"]')], PRIORITIES)
    assert out["categories"] == ["muziek", "buurt"]


def test_bundle_needs_a_member():
    with pytest.raises(ValueError):
        bundle([], PRIORITIES)
