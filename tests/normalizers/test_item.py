"""``normalize``: identity, required fields, the wiring of every rule, and the sample payloads
in ``testdata/record_*.json`` (realistic Maastricht records of each source type)."""

from __future__ import annotations

import copy
import hashlib
from datetime import date, datetime, timezone

import pytest

from tim.errors import RecordError
from tim.normalizers import normalize
from tim.records import Item, RawRecord

from .conftest import (
    load_sample,
    make_raw,
    make_source,
    norm,
    sample_names,
)

UTC = timezone.utc


def sha12(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]


# --- identity ---------------------------------------------------------------------------------


def test_id_from_raw_key():
    item = normalize(make_raw({"id": "999", "title": "x"}, key="vac-1"), make_source())
    assert item.source_key == "vac-1"
    assert item.id == f"maastrichtdoet-{sha12('vac-1')}"
    assert item.source_id == "maastrichtdoet"


def test_id_from_field_id_when_no_key():
    item = normalize(make_raw({"id": 10482, "title": "x"}), make_source())
    assert item.source_key == "10482" and item.id == f"maastrichtdoet-{sha12('10482')}"


def test_id_from_canonical_url_ignores_tracking_and_fragment():
    urls = [
        "https://www.trajekt.nl/agenda/koffie?utm_source=nieuwsbrief&utm_medium=email",
        "https://WWW.trajekt.nl/agenda/koffie#aanmelden",
        "https://www.trajekt.nl/agenda/koffie?fbclid=IwAR0&gclid=x&mc_cid=1&mc_eid=2",
        "/agenda/koffie?utm_campaign=maart",
    ]
    items = [
        normalize(
            make_raw({"title": "Koffie", "url": u}, fetched_url="https://www.trajekt.nl/agenda/"),
            make_source("trajekt"),
        )
        for u in urls
    ]
    assert {i.source_key for i in items} == {"https://www.trajekt.nl/agenda/koffie"}
    assert len({i.id for i in items}) == 1
    # item.url loses the tracking params too (a new campaign is not an edit); it keeps the
    # fragment, which is what the link points at.
    assert len({item.content_hash for url, item in zip(urls, items) if "#" not in url}) == 1
    assert items[1].url == "https://www.trajekt.nl/agenda/koffie#aanmelden"


def test_fetched_url_is_not_an_identity():
    with pytest.raises(RecordError) as err:
        normalize(make_raw({"title": "Zonder id"}), make_source())
    assert "no id/guid and no usable url" in str(err.value)


@pytest.mark.parametrize("url", [None, "", "javascript:alert(1)", "mailto:a@b.nl", "   "])
def test_no_key_and_no_url_is_record_error_naming_source_key_hash(url):
    raw = make_raw({"title": "Buurtfeest", "url": url, "id": "  "}, key=None)
    with pytest.raises(RecordError) as err:
        normalize(raw, make_source())
    assert err.value.source_id == "maastrichtdoet"
    assert err.value.raw_hash == raw.raw_hash
    assert raw.raw_hash[:12] in str(err.value) and "maastrichtdoet" in str(err.value)


@pytest.mark.parametrize(
    "title", [None, "", "   ", "<p></p>", "&nbsp;", "<script>x</script>", {"nl": "x"}]
)
def test_missing_title_is_record_error(title):
    with pytest.raises(RecordError) as err:
        normalize(make_raw({"id": "42", "title": title}), make_source())
    assert err.value.key == "42" and "no title" in str(err.value)


def test_unexpected_failure_becomes_record_error(monkeypatch):
    import tim.normalizers.item as item_module

    def boom(*_args, **_kwargs):
        raise ZeroDivisionError("kapot")

    monkeypatch.setattr(item_module, "map_categories", boom)
    with pytest.raises(RecordError) as err:
        normalize(make_raw({"id": "1", "title": "x"}), make_source())
    assert isinstance(err.value.__cause__, ZeroDivisionError)


def test_same_record_same_id_and_hash():
    fields = {"id": "7", "title": "Wandelgroep Heer", "description": "<p>Elke dinsdag</p>",
              "starts_at": "dinsdag 10 maart 2026 10:00", "categories": ["Sport", "Ouderen"]}
    a = normalize(make_raw(fields), make_source())
    b = normalize(make_raw(copy.deepcopy(fields)), make_source())
    assert (a.id, a.content_hash) == (b.id, b.content_hash)
    assert a.content_hash == a.compute_content_hash() and len(a.content_hash) == 64
    # A new fetch of identical content from another page of the API is still unchanged.
    c = norm(copy.deepcopy(fields), fetched_url="https://www.maastrichtdoet.nl/api?page=9")
    assert (c.id, c.content_hash) == (a.id, a.content_hash)


@pytest.mark.parametrize(
    "edit",
    [{"title": "Wandelgroep Heer (vol)"}, {"description": "<p>Elke woensdag</p>"},
     {"starts_at": "dinsdag 17 maart 2026 10:00"}, {"categories": ["Sport"]},
     {"url": "https://www.maastrichtdoet.nl/v/7"}, {"lat": "50.84", "lon": "5.72"}],
)
def test_edit_keeps_id_changes_hash(edit):
    fields = {"id": "7", "title": "Wandelgroep Heer", "description": "<p>Elke dinsdag</p>",
              "starts_at": "dinsdag 10 maart 2026 10:00", "categories": ["Sport", "Ouderen"]}
    a = normalize(make_raw(fields), make_source())
    b = normalize(make_raw({**fields, **edit}), make_source())
    assert a.id == b.id and a.content_hash != b.content_hash


def test_cosmetic_differences_do_not_change_hash():
    a = norm({"id": "7", "title": "Wandelgroep  Heer", "categories": ["Sport", "Ouderen"]})
    b = norm({"id": "7", "title": " Wandelgroep Heer\n",
              "categories": ["ouderen", "Sport", "sport"]})
    assert a.content_hash == b.content_hash


def test_same_key_in_two_sources_gives_two_ids():
    a = normalize(make_raw({"id": "1", "title": "x"}), make_source("maastrichtdoet"))
    b = normalize(make_raw({"id": "1", "title": "x"}), make_source("trajekt"))
    assert a.id != b.id and a.id.startswith("maastrichtdoet-") and b.id.startswith("trajekt-")


def test_huge_key_is_bounded_but_unique():
    a = normalize(make_raw({"title": "x"}, key="k" * 5000), make_source())
    b = normalize(make_raw({"title": "x"}, key="k" * 4999 + "j"), make_source())
    assert len(a.source_key) < 100 and a.source_key != b.source_key


# --- kind -------------------------------------------------------------------------------------


def test_kind_from_record_else_source():
    src = make_source(item_kind="participation")
    assert normalize(make_raw({"id": "1", "title": "x", "kind": "event"}), src).kind == "event"
    odd = make_raw({"id": "1", "title": "x", "kind": "Vergadering?"})
    assert normalize(odd, src).kind == "participation"
    assert normalize(make_raw({"id": "1", "title": "x"}), src).kind == "participation"


# --- dates wiring -----------------------------------------------------------------------------


def test_dates_are_utc_and_published_falls_back_to_updated():
    item = normalize(make_raw({"id": "1", "title": "x", "starts_at": datetime(2026, 3, 12, 19, 30),
                               "ends_at": date(2026, 3, 13), "updated_at": "2026-03-01T10:00:00Z"}),
                     make_source())
    assert item.starts_at == datetime(2026, 3, 12, 18, 30, tzinfo=UTC)
    assert item.ends_at == datetime(2026, 3, 12, 23, 0, tzinfo=UTC)
    assert item.published_at == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def test_end_as_bare_time_is_on_the_start_day():
    item = norm({"id": "1", "title": "x", "starts_at": "12-03-2026 19:30", "ends_at": "21.30 uur"})
    assert item.ends_at == datetime(2026, 3, 12, 20, 30, tzinfo=UTC)


def test_range_in_start_field_fills_end():
    item = norm({"id": "1", "title": "x", "starts_at": "12 maart 2026 19:30 - 21:00"})
    assert (item.starts_at, item.ends_at) == (
        datetime(2026, 3, 12, 18, 30, tzinfo=UTC), datetime(2026, 3, 12, 20, 0, tzinfo=UTC))


def test_explicit_end_wins_over_range_in_start():
    item = normalize(make_raw({"id": "1", "title": "x", "starts_at": "12 maart 2026 19:30 - 21:00",
                               "ends_at": "2026-03-12T22:00:00+01:00"}), make_source())
    assert item.ends_at == datetime(2026, 3, 12, 21, 0, tzinfo=UTC)


def test_end_days_before_start_is_dropped_and_overnight_is_moved():
    dropped = normalize(make_raw({"id": "1", "title": "x", "starts_at": "14-03-2026 10:00",
                                  "ends_at": "10-03-2026 12:00"}), make_source())
    assert dropped.starts_at is not None and dropped.ends_at is None
    overnight = normalize(make_raw({"id": "1", "title": "x", "starts_at": "14-03-2026 22:00",
                                    "ends_at": "01:00"}), make_source())
    assert overnight.ends_at == datetime(2026, 3, 15, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "broken", ["TBA", "31-02-2026", "0000-00-00", 10**40, "", None, "2026-13-01"]
)
def test_broken_dates_are_none_not_now(broken):
    item = normalize(make_raw({"id": "1", "title": "x", "starts_at": broken, "ends_at": broken,
                               "published_at": broken}), make_source())
    assert (item.starts_at, item.ends_at, item.published_at) == (None, None, None)


# --- other fields -----------------------------------------------------------------------------


def test_url_and_image_only_absolute_http():
    item = normalize(make_raw({"id": "1", "title": "x", "url": "/v/1", "image": "ftp://x/y.jpg"},
                              fetched_url="https://www.maastrichtdoet.nl/api/"), make_source())
    assert item.url == "https://www.maastrichtdoet.nl/v/1" and item.image is None
    images = [{"url": "data:x"}, {"contentUrl": "/img/a.png"}]
    item = norm({"id": "1", "title": "x", "image": images},
                fetched_url="https://www.maastrichtdoet.nl/api/")
    assert item.image == "https://www.maastrichtdoet.nl/img/a.png"


def test_text_fields_are_capped():
    item = norm({"id": "1", "title": "Titel " * 200, "organizer": "Org " * 500,
                 "location_name": "Zaal " * 500, "description": "<p>" + "x" * 500_000})
    assert len(item.title) <= 300 and len(item.organizer) <= 500 and len(item.location_name) <= 500
    assert len(item.description_html) <= 100_020 and len(item.description_text) <= 100_000


def test_unknown_field_types_are_ignored():
    item = normalize(make_raw({"id": "1", "title": "x", "organizer": {"naam": "Trajekt"},
                               "lat": [50.8], "lon": {"x": 1}, "url": 42, "categories": 7,
                               "nonsense": object()}), make_source())
    got = (item.organizer, item.lat, item.lon, item.url, item.categories)
    assert got == (None, None, None, None, [])


def test_returns_item_with_raw_hash():
    raw = make_raw({"id": "1", "title": "x"})
    item = normalize(raw, make_source())
    assert isinstance(item, Item) and item.raw_hash == raw.raw_hash and item.geo is None


# --- realistic samples ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sample_names())
def test_sample_record(name):
    raw, source, data = load_sample(name)
    item = normalize(raw, source)
    expect = data["expect"]
    for field_name, expected in expect.items():
        if field_name == "description_html_contains":
            for needle in expected:
                assert needle in item.description_html, (needle, item.description_html)
            continue
        if field_name == "id":
            assert item.id == f"{source.id}-{sha12(raw.key)}"
            continue
        got = getattr(item, field_name)
        if isinstance(got, datetime):
            got = got.isoformat()
        assert got == expected, (field_name, got, expected)
    again = normalize(RawRecord(raw.source_id, raw.key, copy.deepcopy(raw.fields), raw.fetched_url,
                                raw.raw_hash), source)
    assert (again.id, again.content_hash) == (item.id, item.content_hash)


def test_samples_with_real_address_parser(real_address):
    raw, source, _ = load_sample("record_maastrichtdoet_vacature.json")
    item = normalize(raw, source)
    assert (item.street, item.housenumber, item.postcode, item.city) == (
        "Brusselsestraat", "38", "6211PG", "Maastricht")
    raw, source, _ = load_sample("record_decidim_meeting.json")
    item = normalize(raw, source)
    # found in the location name ("Buurthuis Limmel, Lanakerweg 25, 6222 AB Maastricht"); how
    # the venue name is split from the street is the address parser's business
    assert (item.housenumber, item.postcode) == ("25", "6222AB")
    assert item.street and item.street.endswith("Lanakerweg")
    raw, source, _ = load_sample("record_trajekt_activiteit.json")
    item = normalize(raw, source)
    # Address found in the description (venue name first, then the street); the split of
    # "Trefcentrum, Wittevrouwenveldstraat 60" into street/number is the address parser's job.
    assert (item.postcode, item.city) == ("6221BM", "Maastricht")
    assert item.address and "6221 BM Maastricht" in item.address
