"""Issue 8 items 1-2: hostile *content* that arrives intact (bad encodings, broken dates, unbounded
recurrence, absurd nesting) is stored as valid data or refused alone, never crashes a run.

Unit tests of the same defences: ``tests/normalizers/test_dates.py`` (every broken date form),
``tests/crawlers/test_feeds.py::test_ical_unbounded_dense_rrule_is_refused_quickly`` and
``tests/crawlers/test_json.py::test_deeply_nested_json_is_refused``.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

from tim.demo.faultweb import BROKEN_DATE_VALUES, BROKEN_DATES, ODD_DATES

from .conftest import assert_failed_cleanly, items_of, run_one, run_row, source

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _valid_text(value: str | None) -> None:
    if value is not None:
        value.encode("utf-8")  # strict: no lone surrogates
        assert not CONTROL.search(value), repr(value)


def test_invalid_utf8_is_stored_as_valid_text(fault_web, engine, locator):
    report = run_one(engine, locator, source("utf", fault_web.url("/encoding/bad-utf8.rss")))
    assert (report.status, report.inserted, report.failed) == ("ok", 2, 0)
    items = sorted(items_of(engine, "utf"), key=lambda i: i.title)
    assert items[0].title.startswith("Buurtbericht enc 1 ") and items[1].title == "Buurtbericht enc 2"
    for it in items:
        for value in (it.title, it.description_text, it.description_html, it.url):
            _valid_text(value)


def test_a_wrong_charset_declaration_is_survived(fault_web, engine, locator):
    """Latin-1 bytes in a feed that says UTF-8, UTF-8 JSON served as Latin-1: the text is read
    right (feedparser's fallback, JSON's own UTF-8 rule), not turned into mojibake or an error."""
    rss = run_one(engine, locator, source("latin", fault_web.url("/encoding/latin1-as-utf8.rss")))
    js = run_one(engine, locator, source("jsonl", fault_web.url("/encoding/utf8-as-latin1.json"), "json"))
    assert (rss.status, rss.inserted, js.status, js.inserted) == ("ok", 2, "ok", 1)
    assert "Buurtbericht Céramique 1" in {i.title for i in items_of(engine, "latin")}
    assert [i.title for i in items_of(engine, "jsonl")] == ["Taalcafé Céramique"]


def test_broken_dates_are_none_never_now_and_odd_ones_are_read(fault_web, engine, locator):
    before = datetime.now(UTC)
    report = run_one(engine, locator, source("datums", fault_web.url("/json/dates.json"), "json", items="items"))
    after = datetime.now(UTC)
    expected = len(BROKEN_DATES) + len(BROKEN_DATE_VALUES) + len(ODD_DATES)
    assert (report.status, report.fetched, report.inserted, report.failed) == ("ok", expected, expected, 0)
    items = {i.source_key: i for i in items_of(engine, "datums")}
    for key, it in items.items():
        moments = [m for m in (it.starts_at, it.ends_at, it.published_at) if m is not None]
        assert not any(before - timedelta(days=1) <= m.replace(tzinfo=UTC) <= after + timedelta(days=1)
                       for m in moments), (key, moments)  # now() is never invented
        if not key.startswith("date-odd"):
            assert moments == [], (key, moments)
    for i, want in enumerate(ODD_DATES.values()):
        assert items[f"date-odd{i}"].starts_at.replace(tzinfo=UTC).isoformat() == want


def test_unbounded_rrules_are_refused_or_capped_inside_the_window(fault_web, engine, locator):
    started = time.monotonic()
    report = run_one(engine, locator, source("rrule", fault_web.url("/ical/unbounded.ics"), "ical", item_kind="event"))
    elapsed = time.monotonic() - started
    assert report.status == "ok" and report.failed == 2, (report.error, report.errors)
    assert {re.search(r"record '(\w+)@faultweb'", e).group(1) for e in report.errors} == {"secondly", "minutely"}
    assert all("recurrence too dense to expand" in e for e in report.errors)
    items = items_of(engine, "rrule")
    per_series = {uid: sum(1 for i in items if i.source_key.startswith(uid)) for uid in ("hourly", "weekly", "single")}
    assert per_series["hourly"] == 400 and 50 <= per_series["weekly"] <= 54 and per_series["single"] == 1, per_series
    now = datetime.now(UTC)
    assert all(now - timedelta(days=31) <= i.starts_at.replace(tzinfo=UTC) <= now + timedelta(days=366) for i in items)
    assert run_row(engine, report.run_id).complete is False  # capped: nothing may expire on it
    assert elapsed < 10, elapsed


def test_deeply_nested_jsonld_on_one_page_spares_its_sibling(fault_web, engine, locator):
    started = time.monotonic()
    report = run_one(engine, locator, source("diep", fault_web.url("/jsonld/nested/"), "jsonld", follow="a.event"))
    assert report.status == "ok" and time.monotonic() - started < 5
    assert [i.title for i in items_of(engine, "diep")] == ["Ondiep"]


def test_deeply_nested_graphql_answer_fails_the_source_by_name(fault_web, engine, locator):
    report = run_one(engine, locator, source("gql", fault_web.url("/decidim-nested/api"), "decidim"))
    assert_failed_cleanly(engine, report, "gql", r"GraphQL answer nested too deeply")


def test_megabyte_fields_are_capped_before_parsing(fault_web, engine, locator):
    """Every field of one record is megabytes long (a title of 2 MB, 1.5 MB of nested <div>s):
    the normaliser cuts before it parses (``normalizers.text``: ``RAW_TEXT_MAX_CHARS``,
    ``DESCRIPTION_MAX_CHARS``; ``normalizers.dates.MAX_DATE_CHARS``), so it costs little."""
    started = time.monotonic()
    report = run_one(engine, locator, source("groot", fault_web.url("/json/huge-fields.json"), "json", items="items"))
    assert (report.status, report.inserted, report.failed) == ("ok", 2, 0), report.errors
    assert time.monotonic() - started < 5
    big = next(i for i in items_of(engine, "groot") if i.source_key == "groot")
    assert len(big.title) <= 300 and len(big.address or "") <= 500 and len(big.description_html) <= 100_000
    assert big.organizer is None  # only markup: nothing left
