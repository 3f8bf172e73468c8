"""Issue 8 item 3, failure containment: one bad record fails alone (named by source, key and raw
hash), one bad source fails alone (the other sources' data is untouched, by export hash), and a
failed or partial fetch never expires anything.

Defences: ``Pipeline._one`` (a record's failure is caught and named), ``Pipeline.run_source`` (a
source's failure is caught and recorded), ``store.items.apply_run`` (only a *complete* run counts
misses; a failed run never reaches it). Unit tests: ``tests/test_pipeline.py``,
``tests/store/test_items.py::test_incomplete_runs_never_expire``.
"""

from __future__ import annotations

import hashlib
import json
import logging

import pytest
from sqlalchemy import select

from tim.demo.faultweb import BAD_RECORD_KEYS, good_feed, rss
from tim.demo.web import Response
from tim.exports import export
from tim.pipeline import Pipeline
from tim.records import RawRecord
from tim.store.db import make_engine
from tim.store.tables import ItemRow

from .conftest import config, items_of, run_one, source


@pytest.fixture
def any_engine(db_url):
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


def test_one_bad_record_fails_alone_and_is_named(fault_web, any_engine, locator, caplog):
    caplog.set_level(logging.WARNING, logger="tim.pipeline")
    report = run_one(any_engine, locator, source("records", fault_web.url("/json/records.json"), "json", items="items"))
    assert (report.status, report.fetched, report.inserted, report.failed) == ("ok", 7, 4, 4)
    assert sorted(i.title for i in items_of(any_engine, "records")) == [f"Vacature {n}" for n in range(1, 5)]
    payload = json.loads(fault_web.routes["/json/records.json"](None).body)["items"]
    for key in BAD_RECORD_KEYS:
        raw_hash = RawRecord.hash_payload(next(r for r in payload if isinstance(r, dict) and r["id"] == key))
        assert any(f"source 'records' record '{key}' (raw {raw_hash[:12]})" in e for e in report.errors), key
        assert any(f"key={key}" in m and f"raw_hash={raw_hash[:12]}" in m for m in caplog.messages), key
    not_object = RawRecord.hash_payload("geen object")[:12]
    assert any(f"(raw {not_object}): " in e and "not a JSON object" in e for e in report.errors)


def _export_hashes(engine, tmp_path, name: str) -> dict[str, str]:
    """sha256 per source of its raw export rows (``by_source``), ``last_seen`` left out."""
    out = tmp_path / name
    export(engine, "jsonl", out, raw=True, by_source=True)
    hashes = {}
    for path in out.glob("*.jsonl"):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for row in rows:
            row.pop("last_seen")
        hashes[path.stem] = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
    return hashes


def test_one_bad_source_fails_alone_and_the_others_are_untouched(fault_web, any_engine, locator, tmp_path):
    fault_web.route("/goed/a.rss", good_feed("a", 4), content_type="application/rss+xml")
    fault_web.route("/goed/c.rss", good_feed("c", 5), content_type="application/rss+xml")
    fault_web.route("/wissel.rss", good_feed("b", 3), content_type="application/rss+xml")
    cfg = config(source("bron-a", fault_web.url("/goed/a.rss")),
                 source("bron-b", fault_web.url("/wissel.rss"), http={"timeout": 0.5}),
                 source("bron-c", fault_web.url("/goed/c.rss")))
    pipe = Pipeline(cfg, any_engine, locator=locator)
    assert [r.status for r in pipe.run()] == ["ok"] * 3
    before = _export_hashes(any_engine, tmp_path, "voor")
    with any_engine.connect() as conn:
        b_rows = list(conn.execute(select(ItemRow).where(ItemRow.source_id == "bron-b")))
    for n, fault in enumerate(["/status/500", "/slow/hang", "/body/gzip-bomb.rss", "/xml/billion-laughs.rss",
                               "/body/truncated.rss", "/redirect/other-port"]):
        fault_web.routes["/wissel.rss"] = fault_web.routes[fault]
        reports = {r.source_id: r for r in pipe.run()}
        assert reports["bron-b"].status == "failed", fault
        assert (reports["bron-a"].status, reports["bron-a"].unchanged) == ("not_modified", 4), fault
        assert (reports["bron-c"].status, reports["bron-c"].unchanged) == ("not_modified", 5), fault
        after = _export_hashes(any_engine, tmp_path, f"na-{n}")
        assert after == before, fault  # a and c: same rows; b: not a byte changed, not expired
        with any_engine.connect() as conn:
            assert list(conn.execute(select(ItemRow).where(ItemRow.source_id == "bron-b"))) == b_rows, fault
    assert fault_web.target.connections == 0


class Paged:
    """A two-page JSON API (``/pag/1`` -> ``/pag/2``) whose second page a test can break."""

    def __init__(self, web):
        self.web = web
        self.page2: object = [f"p2-{i}" for i in range(1, 4)]
        web.route("/pag/1", lambda _r: self._page(["p1-1", "p1-2", "p1-3"], "/pag/2"))
        web.route("/pag/2", lambda req: self.page2(req) if callable(self.page2) else self._page(self.page2, None))

    @staticmethod
    def _page(keys, nxt) -> Response:
        items = [{"id": k, "title": f"Vacature {k}"} if not k.startswith("bad") else {"id": k} for k in keys]
        return Response(json.dumps({"items": items, "next": nxt}), content_type="application/json")


def _active(engine, sid: str) -> set[str]:
    return {i.source_key for i in items_of(engine, sid) if i.status == "active"}


def test_a_failed_or_partial_fetch_never_expires_items(fault_web, any_engine, locator):
    paged = Paged(fault_web)
    entry = source("pag", fault_web.url("/pag/1"), "json", items="items", next="next", min_items=4)
    for _ in range(2):
        assert run_one(any_engine, locator, entry).status == "ok"
    everything = {f"p{p}-{i}" for p in (1, 2) for i in range(1, 4)}
    assert _active(any_engine, "pag") == everything
    scenarios = {
        "page 2 answers 500": fault_web.routes["/status/500"],
        "page 2 is cut short": fault_web.routes["/body/truncated.rss"],
        "page 2 never answers": fault_web.routes["/slow/hang"],
        "page 2 loses two records, one fails": ["p2-1", "bad-1"],  # ok but incomplete
        "page 2 is empty (below min_items)": [],  # suspect
    }
    expected = {"page 2 loses two records, one fails": "ok", "page 2 is empty (below min_items)": "suspect"}
    for what, page2 in scenarios.items():
        paged.page2 = page2
        for _ in range(3):  # more than expire_after_missing_runs = 2
            report = run_one(any_engine, locator, {**entry, "http": {**entry["http"], "timeout": 0.5}})
            assert report.status == expected.get(what, "failed"), (what, report.status, report.error)
            assert report.expired == 0, what
        assert _active(any_engine, "pag") == everything, what
        assert {i.missing_runs for i in items_of(any_engine, "pag")} == {0}, what
    # the control: complete runs that miss two records do expire them, after two misses
    paged.page2 = ["p2-1", "p2-extra"]
    reports = [run_one(any_engine, locator, entry) for _ in range(2)]
    assert [r.expired for r in reports] == [0, 2], [(r.status, r.complete, r.fetched, r.unchanged, r.inserted, r.updated, r.failed) for r in reports]
    assert _active(any_engine, "pag") == everything - {"p2-2", "p2-3"} | {"p2-extra"}


def test_a_listing_page_that_fails_later_expires_nothing(fault_web, any_engine, locator):
    """jsonld: a failed second listing page makes the crawl incomplete; page one is stored."""
    pages = {1: ["een", "twee"], 2: ["drie", "vier"]}
    broken = {"on": False}

    def listing(req):
        n = int(req.arg("p", "1"))
        if n == 2 and broken["on"]:
            return Response("kapot", 500)
        links = "".join(f'<a class="event" href="/lijst/{k}">{k}</a>' for k in pages.get(n, []))
        nxt = f'<a class="next" href="/lijst/?p={n + 1}">verder</a>' if n < 2 else ""
        return Response(f"<html><body>{links}{nxt}</body></html>")

    fault_web.route("/lijst/", listing)
    for k in pages[1] + pages[2]:
        fault_web.route(f"/lijst/{k}", '<script type="application/ld+json">'
                        + json.dumps({"@type": "Event", "@id": k, "name": f"Activiteit {k}", "startDate": "2031-01-01"})
                        + "</script>")
    entry = source("lijst", fault_web.url("/lijst/"), "jsonld", follow="a.event", next="a.next", min_items=2)
    assert [run_one(any_engine, locator, entry).complete for _ in range(2)] == [True, True]
    broken["on"] = True
    for _ in range(3):
        report = run_one(any_engine, locator, entry)
        assert (report.status, report.complete, report.expired) == ("ok", False, 0), report.error
    assert _active(any_engine, "lijst") == {"een", "twee", "drie", "vier"}


def test_an_rss_feed_replaced_by_an_error_page_expires_nothing(fault_web, any_engine, locator):
    """A 200 answer that is not a feed (maintenance page) fails the source; nothing expires."""
    fault_web.route("/nieuws.rss", rss([{"guid": f"n{i}", "title": f"Nieuws {i}"} for i in range(5)]),
                    content_type="application/rss+xml")
    entry = source("nieuws", fault_web.url("/nieuws.rss"))
    for _ in range(2):
        run_one(any_engine, locator, entry)
    fault_web.route("/nieuws.rss", "<html><body>Onderhoud</body></html>")
    for _ in range(3):
        assert run_one(any_engine, locator, entry).status == "failed"
    assert len(_active(any_engine, "nieuws")) == 5
