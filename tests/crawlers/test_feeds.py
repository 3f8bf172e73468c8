"""rss and ical crawlers against a local web (issue 2; hostile XML and recurrence: issue 8)."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tim.demo.web import Response
from tim.errors import SourceError

from .conftest import crawl, make_source

DATA = Path(__file__).parent / "testdata"
AMS = ZoneInfo("Europe/Amsterdam")


def serve(web, path: str, name: str, content_type: str) -> str:
    web.route(path, Response((DATA / name).read_bytes(), content_type=content_type))
    return web.url(path)


def test_rss2_entries_raw_fields(web):
    url = serve(web, "/nieuws.rss", "gemeente-nieuws.rss", "application/rss+xml")
    records, crawler = crawl(make_source(url, "rss"))
    assert crawler.complete and not crawler.not_modified
    first, second = records
    assert first.key == "gm-nieuws-48213" and first.source_id == "test-source"
    assert first.fields["title"] == "Buurtbudget Malberg: dien nu je idee in"
    assert "<strong>Malberg</strong>" in first.fields["description"]  # HTML stays raw
    assert first.fields["published_at"] == "Tue, 04 Mar 2025 09:30:00 +0100"  # not parsed here
    assert first.fields["categories"] == ["Participatie", "Malberg"]
    assert float(first.fields["lat"]) == pytest.approx(50.8596798)
    assert float(first.fields["lon"]) == pytest.approx(5.6691974)
    assert second.fields["image"].endswith("brusselsestraat.jpg")
    assert first.raw_hash != second.raw_hash and first.fetched_url == url


@pytest.mark.parametrize("name,title", [
    ("trajekt-buurtnetwerken.atom", "Buurtnetwerk Wittevrouwenveld zoekt vrijwilligers voor de huiskamer"),
    ("oud-nieuws-091.rss", "Café Caberg opent buurtkamer"),
    ("rdf-10.rdf", "Taalcafé Wyck"),
])
def test_atom_rss091_and_rss10(web, name, title):
    url = serve(web, "/feed", name, "application/xml")
    [record], _ = crawl(make_source(url, "rss"))
    assert record.fields["title"] == title
    assert record.fields["url"].startswith("https://")


def test_atom_content_and_author(web):
    url = serve(web, "/feed", "trajekt-buurtnetwerken.atom", "application/atom+xml")
    [record], _ = crawl(make_source(url, "rss"))
    assert record.key == "tag:trajekt.nl,2025:buurtnetwerk-wittevrouwenveld-huiskamer"
    assert "6224 ER" in record.fields["description"] and record.fields["organizer"] == "Trajekt"


@pytest.mark.parametrize("name", ["billion-laughs.rss", "xxe.rss", "xxe-malformed.rss"])
def test_entity_bombs_and_xxe_fail_fast(web, name):
    url = serve(web, "/feed", name, "application/rss+xml")
    started = time.monotonic()
    with pytest.raises(SourceError, match="XML refused"):
        crawl(make_source(url, "rss"))
    assert time.monotonic() - started < 1.0  # issue 8: the bomb fails in < 1 s


def test_not_a_feed_is_a_source_error(web):
    web.route("/feed", "<html><body>Onderhoud</body></html>")
    with pytest.raises(SourceError, match="feed"):
        crawl(make_source(web.url("/feed"), "rss"))


def test_304_means_zero_parsing(web, store):
    body = (DATA / "gemeente-nieuws.rss").read_bytes()

    def feed(req):
        if req.headers.get("if-modified-since") == "Tue, 04 Mar 2025 09:30:00 GMT":
            return Response(b"", 304)
        return Response(body, headers={"Last-Modified": "Tue, 04 Mar 2025 09:30:00 GMT"},
                        content_type="application/rss+xml")

    web.route("/feed", feed)
    src = make_source(web.url("/feed"), "rss")
    first, crawler = crawl(src, validators=store)
    assert len(first) == 2 and not crawler.not_modified
    again, crawler = crawl(src, validators=store)
    assert again == [] and crawler.not_modified
    assert web.requests_to("/feed")[-1].headers["if-modified-since"].startswith("Tue, 04 Mar")


# -- iCal ---------------------------------------------------------------------------------------
def agenda(today: date) -> bytes:
    text = (DATA / "buurtagenda.ics.tmpl").read_text(encoding="utf-8")
    text = re.sub(r"@D([+-]\d+)@", lambda m: (today + timedelta(days=int(m.group(1)))).strftime("%Y%m%d"), text)
    return text.replace("\n", "\r\n").encode()


def test_ical_events_timezones_geo_and_recurrence_window(web):
    today = datetime.now(AMS).date()
    web.route("/agenda.ics", Response(agenda(today), content_type="text/calendar"))
    records, crawler = crawl(make_source(web.url("/agenda.ics"), "ical", item_kind="event"))
    by_title: dict[str, list] = {}
    for r in records:
        by_title.setdefault(r.fields["title"].split(" (")[0], []).append(r)
    assert set(by_title) == {"Repair Café Wittevrouwenveld", "Taalcafé Centre Céramique",
                             "Buurtfeest Malberg", "Ommetje Jekerkwartier"}  # -60 and +400 days left out
    [repair] = by_title["Repair Café Wittevrouwenveld"]
    start = repair.fields["starts_at"]
    assert start == datetime.combine(today + timedelta(days=7), datetime.min.time().replace(hour=14), AMS)
    assert start.utcoffset() == start.astimezone(AMS).utcoffset()  # TZID honoured, still aware
    assert (repair.fields["lat"], repair.fields["lon"]) == (50.8532668, 5.7127396)
    assert repair.fields["address"] == "Buurthuis, Burgemeester van Oppenstraat 107, 6224 ER Maastricht"
    assert repair.fields["organizer"] == "Buurtnetwerk Wittevrouwenveld"
    assert repair.fields["categories"] == ["Duurzaam", "Ontmoeten"]
    assert repair.key == repair.fields["id"]  # a single event keeps its UID
    taal = by_title["Taalcafé Centre Céramique"]
    assert len(taal) == 9  # COUNT=10 minus one EXDATE
    assert len({r.key for r in taal}) == 9 and all(r.key.startswith("taalcafe-ceramique@") for r in taal)
    moved = [r for r in taal if "lezing" in r.fields["title"]]
    assert len(moved) == 1 and moved[0].fields["starts_at"].hour == 20
    [feest] = by_title["Buurtfeest Malberg"]
    assert feest.fields["starts_at"] == today + timedelta(days=30)  # all-day stays a date
    [ommetje] = by_title["Ommetje Jekerkwartier"]
    assert ommetje.fields["starts_at"].tzinfo is not None and ommetje.fields["starts_at"].utcoffset() == timedelta(0)
    assert crawler.complete


def test_ical_unbounded_dense_rrule_is_refused_quickly(web):
    today = datetime.now(UTC)
    bomb = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//NL\r\n"
        "BEGIN:VEVENT\r\nUID:bom@x\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20150101T000000Z\r\n"
        "DURATION:PT1S\r\nRRULE:FREQ=SECONDLY\r\nSUMMARY:bom\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:wekelijks@x\r\nDTSTAMP:20250101T000000Z\r\n"
        f"DTSTART:{(today - timedelta(days=3)):%Y%m%d}T180000Z\r\nDURATION:PT1H\r\n"
        "RRULE:FREQ=WEEKLY\r\nSUMMARY:Buurtkoor Heer\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    web.route("/bom.ics", Response(bomb, content_type="text/calendar"))
    started = time.monotonic()
    records, crawler = crawl(make_source(web.url("/bom.ics"), "ical"))
    assert time.monotonic() - started < 5.0
    assert {r.fields["title"] for r in records} == {"Buurtkoor Heer"}
    assert 52 <= len(records) <= 54  # the unbounded weekly rule, cut at the window
    assert not crawler.complete and crawler.errors[0].key == "bom@x"


def test_ical_garbage_is_a_source_error(web):
    web.route("/x.ics", "dit is geen agenda")
    with pytest.raises(SourceError, match="iCalendar"):
        crawl(make_source(web.url("/x.ics"), "ical"))


def test_ical_unchanged_calendar_is_not_reparsed_the_same_day(web, store):
    web.route("/agenda.ics", Response(agenda(datetime.now(AMS).date()), content_type="text/calendar"))
    src = make_source(web.url("/agenda.ics"), "ical")
    first, _ = crawl(src, validators=store)
    again, crawler = crawl(src, validators=store)
    assert first and again == [] and crawler.not_modified
