"""The demo source sites: served on 127.0.0.1, parseable by the libraries the crawlers use, with
real addresses over >= 25 buurten, and with the planted duplicates and hard negatives present."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import extruct
import feedparser
import httpx
import icalendar
import parsel
import pytest
import recurring_ical_events
from protego import Protego

from tim.demo.catalog import SOURCE_IDS, TZ, load_catalog
from tim.demo.sites import (
    BASE_KINDS,
    DECIDIM_SOURCE_ID,
    build_demo_web,
    decidim_module,
    demo_config_text,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
#: fixed start day: the demo's 24 days then cross the switch to summer time (30 March 2025)
TODAY = date(2025, 3, 24)


@pytest.fixture(scope="module")
def demo():
    with build_demo_web(today=TODAY) as web:
        yield web


@pytest.fixture(scope="module")
def cat():
    return load_catalog(TODAY)


def get(web, path: str, **kw) -> httpx.Response:
    return httpx.get(path if path.startswith("http") else web.url(path), timeout=10, **kw)


def walk_listing(web, start: str, next_sel: str) -> list[parsel.Selector]:
    pages, url = [], web.url(start)
    while url:
        resp = get(web, url)
        assert resp.status_code == 200, url
        sel = parsel.Selector(resp.text)
        pages.append(sel)
        nxt = sel.css(f"{next_sel}::attr(href)").get()
        url = str(resp.url.join(nxt)) if nxt else None
        assert len(pages) < 20
    return pages


def jsonld_of(html: str, url: str) -> list[dict]:
    return extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)["json-ld"]


def ical_events(web) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(get(web, "/agenda/agenda.ics").content).walk("VEVENT"))


def api_records(web) -> tuple[list[dict], int]:
    records, url, pages = [], web.url("/api/vacatures?page=1"), 0
    while url:
        data = get(web, url).json()["data"]
        records += data["results"]
        url, pages = data["next"], pages + 1
        assert pages < 10
    return records, pages


def uitagenda_events(web) -> list[dict]:
    events = []
    for sel in walk_listing(web, "/uitagenda/", "a.volgende"):
        for href in sel.css("a.event::attr(href)").getall():
            url = web.url(href)
            docs = [d for d in jsonld_of(get(web, url).text, url) if d.get("@type") == "Event"]
            assert len(docs) == 1, url
            events.append(docs[0])
    return events


def bank_details(web) -> dict[str, parsel.Selector]:
    out = {}
    for sel in walk_listing(web, "/vrijwilligersbank/", "a.volgende"):
        for href in sel.css("a.vacature::attr(href)").getall():
            resp = get(web, href)
            assert resp.status_code == 200, href
            out[href] = parsel.Selector(resp.text)
    return out


def parse_when(value: str) -> datetime:
    """A schema.org date-time; without a zone it is Amsterdam local time."""
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=TZ)


# -- the server, robots.txt --------------------------------------------------------------------


def test_server_starts_with_index_and_robots(demo):
    index = get(demo, "/")
    assert index.status_code == 200 and "text/html" in index.headers["content-type"]
    robots = get(demo, "/robots.txt")
    assert robots.headers["content-type"].startswith("text/plain")
    rp = Protego.parse(robots.text)
    ua = "ThuisInMaastrichtBot/0.1"
    crawled = [
        "/gemeente/nieuws.rss",
        "/agenda/agenda.ics",
        "/api/vacatures?page=2",
        "/buurtnetwerken/netwerken.json",
        "/uitagenda/",
        "/uitagenda/pagina/3",
        "/uitagenda/evenement/buurtfeest-in-malberg",
        "/vrijwilligersbank/?pagina=3",
        "/vrijwilligersbank/vacature/chauffeur-buurtbus-heer",
        "/vrijwilligersbank/sitemap.xml",
        "/decidim/api",
    ]
    for path in crawled:
        assert rp.can_fetch(demo.url(path), ua), path
    assert not rp.can_fetch(demo.url("/vrijwilligersbank/zoeken?q=taal"), ua)
    assert list(rp.sitemaps) == [demo.url("/vrijwilligersbank/sitemap.xml")]
    if decidim_module() is not None:  # registered under /decidim when demo/decidim.py exists
        assert get(demo, "/decidim/api").status_code == 200


# -- RSS ---------------------------------------------------------------------------------------


def test_rss_feed_parses_with_all_items(demo, cat):
    resp = get(demo, "/gemeente/nieuws.rss")
    assert resp.headers["content-type"].startswith("application/rss+xml")
    feed = feedparser.parse(resp.content)
    assert not feed.bozo, feed.get("bozo_exception")
    entries = cat.site("nieuws")
    assert len(feed.entries) == len(entries) == 17
    assert {e.id for e in feed.entries} == {e.key for e in entries}
    by_id = {e.id: e for e in feed.entries}
    for entry in entries:
        item = by_id[entry.key]
        assert item.title == entry.title
        assert item.published_parsed is not None
        assert "<p>" in item.description
        if entry.mode == "tekst":
            assert "Locatie: " in item.description
        if entry.mode == "geo":
            assert item.where["coordinates"] == (entry.place.lon, entry.place.lat)
        assert get(demo, item.link).status_code == 200
    assert "Locatie: De Beyart" not in resp.text  # De Beyart is in the other sources only
    assert "Locatie: Gemeentehuis Lanaken, Jan Rosierlaan 1, 3620 Lanaken" in resp.text


@pytest.mark.parametrize(
    "path, ctype",
    [
        ("/gemeente/nieuws.rss", "application/rss+xml"),
        ("/agenda/agenda.ics", "text/calendar"),
        ("/api/vacatures?page=1", "application/json"),
        ("/api/vacatures?page=2", "application/json"),
        ("/buurtnetwerken/netwerken.json", "application/json"),
    ],
)
def test_conditional_get_answers_304(demo, path, ctype):
    first = get(demo, path)
    assert first.status_code == 200 and first.headers["content-type"].startswith(ctype)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = get(demo, path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert get(demo, path, headers={"If-Modified-Since": modified}).status_code == 304
    assert get(demo, path, headers={"If-None-Match": '"anders"'}).status_code == 200
    assert get(demo, path).content == first.content  # stable body, stable ETag


# -- iCal --------------------------------------------------------------------------------------


def test_ical_parses_with_tzid_geo_and_one_weekly_rrule(demo, cat):
    raw = get(demo, "/agenda/agenda.ics").content
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded
    events = ical_events(demo)
    entries = cat.site("agenda")
    assert len(events) == len(entries) == 18
    assert b"DTSTART;TZID=Europe/Amsterdam:" in raw and b"DTSTART;VALUE=DATE:" in raw
    assert re.search(rb"DTSTART:\d{8}T\d{6}Z", raw)
    assert sum(1 for ev in events if ev.get("GEO")) >= 5
    assert sum(1 for ev in events if ev.get("LOCATION")) >= 12
    rrules = [ev for ev in events if ev.get("RRULE")]
    assert len(rrules) == 1 and rrules[0]["RRULE"]["FREQ"] == ["WEEKLY"]
    for ev in events:
        start = ev.decoded("DTSTART")
        entry = cat.entry("agenda", str(ev["UID"]).split("@")[0])
        assert str(ev["SUMMARY"]) == entry.title
        if isinstance(start, datetime):
            assert start == entry.starts_at and start.tzinfo is not None
        else:
            assert start == entry.starts_at
    cal = icalendar.Calendar.from_ical(raw)
    occurrences = recurring_ical_events.of(cal).between(TODAY, TODAY + timedelta(days=60))
    koffie = sorted(
        o.decoded("DTSTART") for o in occurrences if "Koffieochtend" in str(o["SUMMARY"])
    )
    assert len(koffie) == 5  # COUNT=6 with one EXDATE
    assert len({k.date() for k in koffie}) == 5
    assert all(k.astimezone(TZ).hour == 10 for k in koffie)  # across the DST switch
    assert len(occurrences) == len(entries) - 1 + 5


# -- JSON API ----------------------------------------------------------------------------------


def test_json_api_pages_to_the_end(demo, cat):
    records, pages = api_records(demo)
    assert pages == 3
    assert len(records) == len({r["id"] for r in records}) == len(cat.site("vacatures")) == 24
    first = get(demo, "/api/vacatures?page=1").json()["data"]
    assert first["count"] == 24 and first["next"] == demo.url("/api/vacatures?page=2")
    for r in records:
        assert set(r) >= {
            "id",
            "titel",
            "omschrijving",
            "link",
            "periode",
            "organisatie",
            "locatie",
        }
        assert r["periode"]["start"] and r["organisatie"]["naam"]
        assert get(demo, r["link"]).status_code == 200
    by_id = {r["id"]: r for r in records}
    assert by_id[1002]["locatie"] == {
        "naam": None,
        "adres": None,
        "postcode": "6227BS",
        "plaats": None,
        "lat": None,
        "lon": None,
    }  # postcode only
    assert (
        by_id[1012]["locatie"]["adres"] is None and by_id[1012]["locatie"]["lat"]
    )  # coordinates only
    assert by_id[1019]["locatie"] is None
    assert (
        "Locatie: De Beyart, Brusselsestraat 38, 6211 PG Maastricht" in by_id[1019]["omschrijving"]
    )
    assert (
        by_id[1013]["locatie"]["plaats"] == "Meerssen"
    )  # out of the area, and Maastricht has a Markt too
    beyond = get(demo, "/api/vacatures?page=9").json()["data"]
    assert beyond["results"] == [] and beyond["next"] is None


def test_networks_json_is_one_page_with_kinds(demo, cat):
    data = get(demo, "/buurtnetwerken/netwerken.json").json()
    records = data["netwerken"]
    assert len(records) == len(cat.site("buurtnetwerken")) == 15
    assert {r["type"] for r in records} == {"network", "initiative"}
    assert sum(1 for r in records if r["ontmoetingsplek"] is None) >= 4


# -- JSON-LD agenda ----------------------------------------------------------------------------


def test_jsonld_listing_pages_link_to_events_with_addresses(demo, cat):
    listing = walk_listing(demo, "/uitagenda/", "a.volgende")
    assert len(listing) >= 3
    assert all(sel.css("a.event") for sel in listing)
    events = uitagenda_events(demo)
    assert len(events) == len(cat.site("uitagenda")) == 23
    with_address = [
        e
        for e in events
        if e.get("location", {}).get("address", {}).get("@type") == "PostalAddress"
    ]
    assert len(with_address) >= 15
    assert any(
        "streetAddress" in e["location"]["address"] and "postalCode" in e["location"]["address"]
        for e in with_address
    )
    assert sum(1 for e in events if "geo" in e.get("location", {})) >= 6
    assert sum(1 for e in events if "location" not in e) >= 3
    for e in events:
        start = parse_when(e["startDate"])
        assert start.astimezone(TZ).date() > TODAY
        assert parse_when(e["endDate"]) > start
    notations = {
        ("Z" if e["startDate"].endswith("Z") else "+" if "+" in e["startDate"][10:] else "local")
        for e in events
    }
    assert notations == {"Z", "+", "local"}


# -- HTML vacancy bank and its sitemap ---------------------------------------------------------


def _html_fields() -> dict[str, str]:
    config = tomllib.loads(demo_config_text("http://127.0.0.1:1", kinds=BASE_KINDS | {"html"}))
    return next(s for s in config["sources"] if s["id"] == "vrijwilligersbank")["fields"]


def _select(sel: parsel.Selector, selector: str) -> list[str]:
    if selector.startswith("xpath:"):
        return sel.xpath(selector.removeprefix("xpath:")).getall()
    return sel.css(selector).getall()


def test_html_bank_has_three_listing_pages_and_detail_pages(demo, cat):
    listing = walk_listing(demo, "/vrijwilligersbank/", "a.volgende")
    assert len(listing) == 3
    details = bank_details(demo)
    entries = cat.site("vrijwilligersbank")
    assert len(details) == len(entries) == 18
    fields = _html_fields()
    with_jsonld = []
    for href, sel in details.items():
        for name in ("id", "title", "description", "url", "organizer", "starts_at", "categories"):
            assert _select(sel, fields[name]), (href, name)
        assert sel.css("dl.gegevens dt") and sel.css("h1")
        if sel.css('script[type="application/ld+json"]'):
            with_jsonld.append((href, sel))
    assert len(with_jsonld) == 1
    href, sel = with_jsonld[0]
    assert not _select(sel, fields["address"])  # the address is only in the JSON-LD
    (posting,) = jsonld_of(sel.get(), demo.url(href))
    assert posting["@type"] == "JobPosting"
    assert posting["jobLocation"]["address"]["streetAddress"] == "Von Dopfflaan 4"
    addresses = [_select(s, fields["address"]) for s in details.values()]
    assert sum(1 for a in addresses if a) >= 13
    assert ["6228 sc Maastricht"] in addresses  # postcodes as people type them


def test_sitemap_lists_every_detail_page(demo):
    resp = get(demo, "/vrijwilligersbank/sitemap.xml")
    assert resp.headers["content-type"].startswith("application/xml")
    locs = parsel.Selector(resp.text, type="xml").xpath("//*[local-name()='loc']/text()").getall()
    assert {loc.removeprefix(demo.url("")) for loc in locs} == set(bank_details(demo))


# -- config ------------------------------------------------------------------------------------


def _load(text: str, tmp_path):
    from tim.config import load_config

    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_demo_config_validates_with_the_registered_kinds(demo, tmp_path):
    config = _load(demo_config_text(demo.url("")), tmp_path)
    ids = [s.id for s in config.sources]
    assert ids[:5] == [
        SOURCE_IDS[k] for k in ("nieuws", "agenda", "vacatures", "buurtnetwerken", "uitagenda")
    ]
    for src in config.sources:
        assert src.allow_private_network and src.url or src.sitemap
        assert src.url is None or src.url.startswith(demo.url("/"))
        assert get(demo, src.url or src.sitemap).status_code == 200
    assert config.settings.delay <= 0.1
    prio = {s.id: s.priority for s in config.sources}
    assert prio["trajekt-agenda"] > prio["uitagenda"] and prio["maastrichtdoet"] > prio.get(
        "vrijwilligersbank", 0
    )


def test_demo_config_with_every_kind_validates(tmp_path, monkeypatch):
    from tim.crawlers import REGISTRY

    for kind in ("html", "decidim"):
        monkeypatch.setitem(REGISTRY, kind, REGISTRY.get(kind, object))
    text = demo_config_text("http://127.0.0.1:8765/", kinds=set(REGISTRY))
    config = _load(text, tmp_path)
    bank = config.source("vrijwilligersbank")
    assert bank.kind == "html" and bank.follow == "a.vacature" and bank.next == "a.volgende"
    sitemap = config.source("vrijwilligersbank-sitemap")
    assert not sitemap.enabled and sitemap.sitemap.endswith("/vrijwilligersbank/sitemap.xml")
    if decidim_module() is not None:
        decidim = config.source(DECIDIM_SOURCE_ID)
        assert decidim.kind == "decidim" and decidim.url == "http://127.0.0.1:8765/decidim/api"
    assert 'kind = "html"' not in demo_config_text("http://127.0.0.1:8765", kinds=BASE_KINDS)


# -- content: real places, buurten, overlaps ---------------------------------------------------


def _csv(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_places_are_real_addresses_from_the_data_files(cat):
    osm: dict[tuple, list[dict]] = {}
    for r in _csv("maastricht_osm_poi_addresses.csv"):
        osm.setdefault((r["street"], r["housenumber"]), []).append(r)
    pc6 = {r["postcode"]: r for r in _csv("maastricht_pc6_centroids.csv")}
    for place in cat.places.values():
        if place.bron == "osm":
            rows = [
                r
                for r in osm[(place.straat, place.huisnummer)]
                if abs(float(r["lat"]) - place.lat) < 1e-5
                and abs(float(r["lon"]) - place.lon) < 1e-5
            ]
            assert len(rows) == 1, place.id
            row = rows[0]
            assert (row["postcode"] or None) == place.postcode and row[
                "buurtcode"
            ] == place.buurtcode, place.id
            if place.postcode in pc6:  # the postcode's centroid agrees on the buurt
                assert pc6[place.postcode]["buurtcode"] == place.buurtcode, place.id
        elif place.bron == "pc6":
            row = pc6[place.postcode]
            assert row["buurtcode"] == place.buurtcode and row["buurt_match"] == "contains", (
                place.id
            )
        else:
            assert (
                place.bron == "buiten" and place.buurtcode is None and place.plaats != "Maastricht"
            )


def test_content_covers_at_least_25_buurten(cat):
    osm = {
        (r["street"], r["housenumber"], r["postcode"]): r["buurtcode"]
        for r in _csv("maastricht_osm_poi_addresses.csv")
    }
    pc6 = {r["postcode"]: r["buurtcode"] for r in _csv("maastricht_pc6_centroids.csv")}
    names = {r["name"]: r["buurtcode"] for r in _csv("maastricht_buurt_names.csv")}
    codes = set()
    for e in cat.all_entries():
        if e.mode == "buurt":
            assert names[e.buurt] == e.buurtcode_hint
            assert e.buurt in e.title + e.description_text(), e.key
            codes.add(names[e.buurt])
        elif e.mode == "bron":  # no place of its own: the source's area / venue (the site's "bron")
            assert e.place is None and names[cat.meta[e.site]["bron"]["buurt"]] == e.buurtcode_hint
            codes.add(e.buurtcode_hint)
        elif e.place and e.place.in_maastricht and e.mode != "geen":
            p = e.place
            codes.add(
                osm[(p.straat, p.huisnummer, p.postcode or "")]
                if p.bron == "osm"
                else pc6[p.postcode]
            )
    assert len(codes) >= 25, sorted(codes)
    assert codes == {x["buurt_code"] for x in cat.expected_items()} - {None}
    modes = {e.mode for e in cat.all_entries()}
    assert modes >= {
        "adres",
        "adres+geo",
        "geo",
        "straat",
        "postcode",
        "tekst",
        "jsonld",
        "buurt",
        "geen",
        "bron",
    }
    out = [e for e in cat.all_entries() if e.place and not e.place.in_maastricht]
    assert {e.place.plaats for e in out} == {"Meerssen", "Valkenburg aan de Geul", "Lanaken"}


def test_planted_duplicates_are_in_both_sources(demo, cat):
    ical = {str(ev["UID"]).split("@")[0]: ev for ev in ical_events(demo)}
    uit = {e["url"].rsplit("/", 1)[1]: e for e in uitagenda_events(demo)}
    api = {str(r["id"]): r for r in api_records(demo)[0]}
    bank = {
        sel.xpath("//article/@data-vacature-id").get(): sel for sel in bank_details(demo).values()
    }
    served = {"agenda": ical, "uitagenda": uit, "vacatures": api, "vrijwilligersbank": bank}
    pairs = cat.duplicates()
    assert len(pairs) == 5
    for a, b, _why in pairs:
        assert a.key in served[a.site] and b.key in served[b.site]
        assert a.title != b.title and a.source_id != b.source_id
        assert a.expected_buurtcode == b.expected_buurtcode is not None
        if a.site == "agenda":
            start_a = ical[a.key].decoded("DTSTART")
            start_b = parse_when(uit[b.key]["startDate"])
            assert start_a == start_b  # the same instant in different notations
            assert ical[a.key]["DTSTART"].to_ical() != uit[b.key]["startDate"].encode()
        else:
            assert api[a.key]["titel"] == a.title
            assert bank[b.key].css("h1::text").get() == b.title


def test_hard_negatives_are_served(demo, cat):
    negatives = cat.hard_negatives()
    assert len(negatives) == 6
    koffie = [e for e in uitagenda_events(demo) if e["name"] == "Koffieochtend Buurtcentrum Tragos"]
    starts = sorted(parse_when(e["startDate"]) for e in koffie)
    assert len(koffie) == 3 and len({s.date() for s in starts}) == 3
    assert all((b.date() - a.date()).days == 7 for a, b in zip(starts, starts[1:]))
    assert {s.astimezone(TZ).hour for s in starts} == {10}  # one of them after the DST switch
    assert len({e["location"]["geo"]["latitude"] for e in koffie}) == 1
    records = {r["id"]: r for r in api_records(demo)[0]}
    assert records[1003]["organisatie"] == records[1004]["organisatie"]
    assert records[1003]["locatie"] == records[1004]["locatie"]
    orgs = [sel.css("dd.organisatie a::text").get() for sel in bank_details(demo).values()]
    assert orgs.count("Stichting Buurtbus Heer") == 2 and "Voedselbank Maastricht" in orgs


def test_expected_items_cover_every_served_record(cat):
    items = cat.expected_items()
    per_source = {}
    for x in items:
        per_source[x["source_id"]] = per_source.get(x["source_id"], 0) + 1
    assert per_source == {
        "gemeente-nieuws": 17,
        "trajekt-agenda": 22,
        "maastrichtdoet": 24,
        "uitagenda": 23,
        "vrijwilligersbank": 18,
        "trajekt-buurtnetwerken": 15,
        "buurtplatform-malberg": 15,
        "buurtcentrum-tragos": 5,
    }
    assert sum(1 for x in items if x["out_of_area"]) == 7
    assert all(x["buurt_code"] is None for x in items if x["out_of_area"] or x["mode"] == "geen")


def test_dates_are_relative_to_today_and_deterministic():
    today = datetime.now(TZ).date()
    cat = load_catalog()
    events = [e for e in cat.all_entries() if e.kind == "event"]
    assert all(
        occ.date() > today for e in events for occ in e.occurrences if isinstance(occ, datetime)
    )
    assert all(
        (e.starts_at.date() if isinstance(e.starts_at, datetime) else e.starts_at) > today
        for e in events
    )
    with build_demo_web(today=TODAY) as one, build_demo_web(today=TODAY) as two:
        for path in ("/agenda/agenda.ics", "/api/vacatures?page=1", "/uitagenda/pagina/2"):
            assert get(one, path).text.replace(one.url(""), "") == get(two, path).text.replace(
                two.url(""), ""
            )


def test_content_is_dutch_prose_without_placeholders(cat):
    text = " ".join(e.title + " " + e.description_text() for e in cat.all_entries()).lower()
    assert "lorem" not in text and "ipsum" not in text and "todo" not in text
    assert text.count(" de ") > 100 and text.count(" het ") > 40


def test_python_m_demo_serves_and_prints_the_base_url():
    proc = subprocess.Popen(
        [sys.executable, "-m", "tim.demo", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base), base
        assert httpx.get(base + "/robots.txt", timeout=10).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_times_in_utc_match_local_notation(cat):
    """The UTC (Z) notation of the iCal wijkwandeling is 10:00 local across DST."""
    e = cat.entry("agenda", "trajekt-act-5104")
    assert e.notation == "utc" and e.starts_at.astimezone(TZ).hour == 10
    assert e.starts_at.astimezone(timezone.utc).hour in (8, 9)
