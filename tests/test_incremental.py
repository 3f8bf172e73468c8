"""What did not change is not done again (issue #11): pages that come back 304 stand for their
stored items, records identical to what an item was made from are not normalised again, and the
stored result is the same as reading everything."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from tim.config import Config
from tim.demo.web import Response
from tim.pipeline import Pipeline
from tim.store.db import make_engine
from tim.store.tables import ItemRow


class Api:
    """A paged JSON API (``/api/1`` -> ``/api/2`` -> ``/api/3``) answering ETag / If-None-Match."""

    def __init__(self, web, pages: int = 3, per_page: int = 4):
        self.web = web
        self.sent: list[int] = []
        self.pages = {n: [{"id": f"r{n}-{i}", "title": f"Vrijwilliger gezocht {n}-{i}",
                           "postcode": "6211 PE"} for i in range(per_page)] for n in range(1, pages + 1)}
        for n in self.pages:
            web.route(f"/api/{n}", lambda req, n=n: self._page(req, n))

    def _page(self, req, n: int) -> Response:
        nxt = f"/api/{n + 1}" if n + 1 in self.pages else None
        body = json.dumps({"items": self.pages[n], "next": nxt})
        etag = '"' + hashlib.sha1(body.encode()).hexdigest()[:12] + '"'
        if req.headers.get("if-none-match") == etag:
            self.sent.append(304)
            return Response(b"", status=304, headers={"ETag": etag})
        self.sent.append(200)
        return Response(body, content_type="application/json", headers={"ETag": etag})

    def answers(self, status: int) -> int:
        return self.sent.count(status)


def _config(web, **extra) -> Config:
    return Config.model_validate({"settings": {"delay": 0}, "sources": [{
        "id": "bank", "kind": "json", "url": web.url("/api/1"), "items": "items", "next": "next",
        "item_kind": "vacancy", "allow_private_network": True, **extra}]})


def _rows(engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        return {r.id: (r.title, r.status, r.content_hash, r.buurt_code, r.missing_runs)
                for r in conn.execute(select(ItemRow))}


def _crawl(engine, cfg):
    """One stored run of the source; (the crawl's outcome, the report)."""
    from tim.store.validators import DbValidatorStore

    pipe = Pipeline(cfg, engine)
    src = cfg.sources[0]
    outcome = pipe.crawl(src, validators=DbValidatorStore(engine, src.id))
    return outcome, pipe.run_source(src)


def _etagged(web, sent: list):
    """``etagged(path, body_fn)``: serve ``body_fn()`` at ``path`` with an ETag, 304 when it matches."""
    def etagged(path: str, body) -> None:
        def handler(req):
            text = body()
            etag = '"' + hashlib.sha1(text.encode()).hexdigest()[:12] + '"'
            if req.headers.get("if-none-match") == etag:
                sent.append((path, 304))
                return Response(b"", status=304, headers={"ETag": etag})
            sent.append((path, 200))
            return Response(text, content_type="text/html; charset=utf-8", headers={"ETag": etag})
        web.route(path, handler)
    return etagged


@pytest.fixture
def api(web):
    return Api(web)


def test_unchanged_pages_come_back_304_and_nothing_is_normalised(web, api, sqlite_url):
    engine = make_engine(sqlite_url)
    cfg = _config(web)
    first = Pipeline(cfg, engine).run_source(cfg.sources[0])
    assert first.inserted == 12 and first.complete
    before = _rows(engine)
    api.sent.clear()
    outcome, report = _crawl(engine, cfg)
    # every page was asked conditionally and answered 304; the walk went on by the noted next URL
    assert api.answers(304) == 6 and api.answers(200) == 0  # 3 pages, twice (outcome + run)
    assert outcome.items == [] and sorted(outcome.seen) == sorted(before)
    assert (report.status, report.fetched, report.unchanged, report.inserted, report.updated) == ("ok", 12, 12, 0, 0)
    assert report.complete
    assert _rows(engine) == before


def test_a_changed_page_is_read_and_only_its_changed_record_normalised(web, api, sqlite_url):
    engine = make_engine(sqlite_url)
    cfg = _config(web)
    Pipeline(cfg, engine).run_source(cfg.sources[0])
    api.pages[2][1]["title"] = "Vrijwilliger gezocht: voorlezen"
    outcome, report = _crawl(engine, cfg)
    assert [i.source_key for i in outcome.items] == ["r2-1"]  # the other 3 of page 2: seen, unchanged
    assert len(outcome.seen) == 11
    assert (report.updated, report.unchanged, report.inserted) == (1, 11, 0)
    assert _rows(engine)["bank-" + hashlib.sha1(b"r2-1").hexdigest()[:12]][0] == "Vrijwilliger gezocht: voorlezen"


def test_a_record_gone_from_a_page_is_not_replayed_and_expires(web, api, sqlite_url):
    engine = make_engine(sqlite_url)
    cfg = _config(web)
    Pipeline(cfg, engine).run_source(cfg.sources[0])
    gone = api.pages[3].pop()
    expired = [Pipeline(cfg, engine).run_source(cfg.sources[0]).expired for _ in range(3)]
    # read once without it (a miss), then 304 twice: the replay stands for the page as it is now
    assert expired == [0, 1, 0]
    rows = _rows(engine)
    assert [v[1] for k, v in rows.items() if k.endswith(hashlib.sha1(gone["id"].encode()).hexdigest()[:12])] == ["expired"]
    assert sum(1 for v in rows.values() if v[1] == "active") == 11


def test_other_settings_normalise_everything_again(web, api, sqlite_url):
    engine = make_engine(sqlite_url)
    Pipeline(_config(web), engine).run_source(_config(web).sources[0])
    api.pages[1][0]["title"] = "Buurtfeest"  # page 1 is read again; its other records are as they were
    cfg = _config(web, item_kind="event")  # ... but they would be made into other items now
    outcome, _ = _crawl(engine, cfg)
    assert len(outcome.items) == 4 and {i.kind for i in outcome.items} == {"event"}


def test_a_page_whose_record_failed_replays_incomplete(web, api, sqlite_url):
    engine = make_engine(sqlite_url)
    api.pages[2][0]["title"] = ""  # fails alone: the run is not complete
    cfg = _config(web)
    first = Pipeline(cfg, engine).run_source(cfg.sources[0])
    assert (first.failed, first.complete) == (1, False)
    again = Pipeline(cfg, engine).run_source(cfg.sources[0])
    assert (again.failed, again.complete, again.unchanged) == (1, False, 11)
    assert any("failed when it was last read" in e for e in again.errors)


def test_replayed_runs_store_what_full_reads_store(web, api, sqlite_url, tmp_path):
    """The same sequence of changes, read with and without what the last run noted."""
    from tim.store.tables import HttpValidatorRow

    cfg = _config(web)
    remembering = make_engine(sqlite_url)
    forgetting = make_engine(f"sqlite:///{tmp_path / 'full.db'}")
    for step in range(4):
        if step == 1:
            api.pages[1][2]["title"] = "Maatje gezocht"
        if step == 2:
            api.pages[2].append({"id": "new", "title": "Chauffeur gezocht", "postcode": "6221 BM"})
        for engine in (remembering, forgetting):
            if engine is forgetting:
                with engine.begin() as conn:  # no validators: every page read in full
                    conn.execute(HttpValidatorRow.__table__.delete())
                    conn.execute(ItemRow.__table__.update().values(normalised_as=None))
            Pipeline(cfg, engine).run_source(cfg.sources[0])
        a, b = _rows(remembering), _rows(forgetting)
        assert a == b, step


def test_jsonld_listing_and_detail_pages_replay(web, sqlite_url):
    """An unchanged listing page is walked on its noted links; unchanged detail pages replay; a
    changed detail page is read and only its entity normalised."""
    sent: list[tuple[str, int]] = []
    titles = {n: f"Burendag in Wyck {n}" for n in range(1, 5)}
    etagged = _etagged(web, sent)

    etagged("/agenda/1", lambda: '<a class="e" href="/e/1">1</a><a class="e" href="/e/2">2</a>'
                                 '<a class="next" href="/agenda/2">verder</a>')
    etagged("/agenda/2", lambda: '<a class="e" href="/e/3">3</a><a class="e" href="/e/4">4</a>')
    for n in titles:
        etagged(f"/e/{n}", lambda n=n: '<script type="application/ld+json">' + json.dumps(
            {"@context": "https://schema.org", "@type": "Event", "name": titles[n],
             "startDate": "2027-03-0%dT14:00:00+01:00" % n, "url": web.url(f"/e/{n}")}) + "</script>")
    cfg = Config.model_validate({"settings": {"delay": 0}, "sources": [{
        "id": "agenda", "kind": "jsonld", "url": web.url("/agenda/1"), "follow": "a.e", "next": "a.next",
        "item_kind": "event", "allow_private_network": True}]})
    engine = make_engine(sqlite_url)
    assert Pipeline(cfg, engine).run_source(cfg.sources[0]).inserted == 4
    titles[3] = "Burendag in Wyck: met muziek"
    sent.clear()
    outcome, report = _crawl(engine, cfg)
    assert [i.title for i in outcome.items] == ["Burendag in Wyck: met muziek"] and len(outcome.seen) == 3
    assert {p: s for p, s in sent[:6]} == {"/agenda/1": 304, "/agenda/2": 304, "/e/1": 304, "/e/2": 304,
                                           "/e/3": 200, "/e/4": 304}
    assert (report.updated, report.unchanged, report.complete) == (1, 3, True)


def test_an_incremental_dedup_pass_leaves_what_a_fresh_full_pass_would_write(web, sqlite_url):
    """A long-lived pipeline rebuilds only the bundled items whose members changed; a fresh full
    pass over the same database afterwards finds nothing to change."""
    from tim.store.clusters import Reclusterer, recluster
    from tim.store.tables import ClusterRow

    a, b = Api(web), Api(web, pages=1)
    web.route("/b/1", lambda req: b._page(req, 1))
    b.pages[1] = [dict(r, id="b" + r["id"]) for r in a.pages[1][:3]]  # twins of three of a's records
    cfg = Config.model_validate({"settings": {"delay": 0}, "sources": [
        {"id": "bank", "kind": "json", "url": web.url("/api/1"), "items": "items", "next": "next",
         "item_kind": "vacancy", "allow_private_network": True},
        {"id": "twin", "kind": "json", "url": web.url("/b/1"), "items": "items", "next": "next",
         "item_kind": "vacancy", "allow_private_network": True, "priority": 30}]})
    engine = make_engine(sqlite_url)
    pipe = Pipeline(cfg, engine)
    changes = [lambda: None,
               lambda: a.pages[1][0].update(title="Vrijwilliger gezocht 1-0: voorlezen"),
               lambda: b.pages[1].pop(),
               lambda: a.pages[3].append({"id": "extra", "title": "Chauffeur gezocht", "postcode": "6221 BM"})]
    for step, change in enumerate(changes):
        change()
        pipe.run()
        with engine.connect() as conn:
            multi = conn.execute(select(ClusterRow.member_count).where(ClusterRow.member_count > 1)).scalars().all()
        assert len(multi) == (3 if step < 3 else 2), step  # the twins are bundled; a twin gone twice expires
        with engine.begin() as conn:
            counts = recluster(conn, cfg.dedup, {s.id: s.priority for s in cfg.sources}, Reclusterer(cfg.dedup),
                               skip_unchanged=False)
            assert (counts["new"], counts["changed"], counts["deleted"]) == (0, 0, 0), (step, counts)
            conn.rollback()


def test_html_detail_pages_replay_through_the_scrapy_service(web, sqlite_url):
    """The html kind (Scrapy): listing and detail pages conditional; an unchanged detail page is a
    replay, a changed one is read; a page without a title replays as failed."""
    sent: list[tuple[str, int]] = []
    etagged = _etagged(web, sent)
    titles = {n: f"Vrijwilliger gezocht {n}" for n in range(1, 5)}
    etagged("/vac/", lambda: "".join(f'<a class="v" href="/vac/{n}">{n}</a>' for n in titles))
    for n in titles:
        etagged(f"/vac/{n}", lambda n=n: f'<article data-id="v{n}"><h1>{titles[n]}</h1>'
                                         '<p class="d">Voor de voedselbank in Wyck.</p></article>')
    cfg = Config.model_validate({"settings": {"delay": 0}, "sources": [{
        "id": "vac", "kind": "html", "url": web.url("/vac/"), "follow": "a.v", "item_kind": "vacancy",
        "allow_private_network": True, "fields": {"id": "article::attr(data-id)", "title": "h1::text",
                                                  "description": "p.d"}}]})
    engine = make_engine(sqlite_url)
    titles[4] = ""  # no title: fails alone
    first = Pipeline(cfg, engine).run_source(cfg.sources[0])
    assert (first.inserted, first.failed, first.complete) == (3, 1, False)
    titles[2] = "Vrijwilliger gezocht: chauffeur"
    sent.clear()
    outcome, report = _crawl(engine, cfg)
    assert [i.title for i in outcome.items] == ["Vrijwilliger gezocht: chauffeur"] and len(outcome.seen) == 2
    assert dict(sent[:5]) == {"/vac/": 304, "/vac/1": 304, "/vac/2": 200, "/vac/3": 304, "/vac/4": 304}
    assert (report.updated, report.unchanged, report.failed, report.complete) == (1, 2, 1, False)
    assert any("failed when it was last read" in e for e in report.errors)


def _sitemap_source(web, kind: str, **extra) -> Config:
    src = {"id": "kaart", "kind": kind, "url": web.url("/"), "sitemap": web.url("/sitemap.xml"),
           "item_kind": "event" if kind == "jsonld" else "vacancy", "allow_private_network": True, **extra}
    if kind == "html":
        src["fields"] = {"id": "article::attr(data-id)", "title": "h1::text"}
    return Config.model_validate({"settings": {"delay": 0}, "sources": [src]})


@pytest.mark.parametrize("kind", ["jsonld", "html"])
def test_a_sitemap_lastmod_before_the_last_read_spares_the_request(web, sqlite_url, kind):
    """Pages from a sitemap: one read after its ``<lastmod>`` is not requested again (its items
    stand); a newer lastmod, a date-only lastmod of today, or ``sitemap_recheck_days`` passed make
    it fetched again (conditionally)."""
    sent: list[tuple[str, int]] = []
    etagged = _etagged(web, sent)
    titles = {n: f"Burendag in Wyck {n}" for n in range(1, 4)}
    lastmod = {n: f"2026-01-0{n}T10:00:00+01:00" for n in titles}

    def sitemap(_req):
        sent.append(("/sitemap.xml", 200))
        urls = "".join(f"<url><loc>{web.url(f'/e/{n}')}</loc><lastmod>{lastmod[n]}</lastmod></url>" for n in titles)
        return Response('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                        f'sitemap/0.9">{urls}</urlset>', content_type="application/xml")

    web.route("/sitemap.xml", sitemap)
    for n in titles:
        if kind == "jsonld":
            etagged(f"/e/{n}", lambda n=n: '<script type="application/ld+json">' + json.dumps(
                {"@context": "https://schema.org", "@type": "Event", "name": titles[n],
                 "startDate": "2027-03-0%dT14:00:00+01:00" % n, "url": web.url(f"/e/{n}")}) + "</script>")
        else:
            etagged(f"/e/{n}", lambda n=n: f'<article data-id="v{n}"><h1>{titles[n]}</h1></article>')
    cfg = _sitemap_source(web, kind)
    engine = make_engine(sqlite_url)
    pipe = Pipeline(cfg, engine)
    assert pipe.run_source(cfg.sources[0]).inserted == 3
    assert sorted(sent) == [("/e/1", 200), ("/e/2", 200), ("/e/3", 200), ("/sitemap.xml", 200)]

    sent.clear()  # nothing modified since it was read: the sitemap alone
    report = pipe.run_source(cfg.sources[0])
    assert sent == [("/sitemap.xml", 200)]
    assert (report.status, report.unchanged, report.inserted, report.updated, report.complete) == ("ok", 3, 0, 0, True)
    assert {r[1] for r in _rows(engine).values()} == {"active"}

    titles[2] = "Burendag in Wyck: met muziek"  # modified after the read: fetched and read
    lastmod[2] = (datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat(timespec="seconds")
    lastmod[3] = datetime.now(timezone.utc).date().isoformat()  # today, no time: may be after the read
    sent.clear()
    report = pipe.run_source(cfg.sources[0])
    assert sorted(sent) == [("/e/2", 200), ("/e/3", 304), ("/sitemap.xml", 200)]
    assert (report.updated, report.unchanged) == (1, 2)
    assert "Burendag in Wyck: met muziek" in {r[0] for r in _rows(engine).values()}

    recheck = _sitemap_source(web, kind, sitemap_recheck_days=1e-9)  # every page is due again
    sent.clear()
    report = Pipeline(recheck, engine).run_source(recheck.sources[0])
    assert sorted(sent) == [("/e/1", 304), ("/e/2", 304), ("/e/3", 304), ("/sitemap.xml", 200)]
    assert report.unchanged == 3

    off = _sitemap_source(web, kind, sitemap_lastmod=False)
    sent.clear()
    Pipeline(off, engine).run_source(off.sources[0])
    assert sorted(sent) == [("/e/1", 304), ("/e/2", 304), ("/e/3", 304), ("/sitemap.xml", 200)]


@pytest.mark.parametrize(("text", "latest"), [
    ("2026-05-01", "2026-05-02T12:00:00+00:00"),  # a date: the end of that day anywhere
    ("2026-05-01T10:00:00+02:00", "2026-05-01T08:00:00+00:00"),
    ("2026-05-01T10:00Z", "2026-05-01T10:00:00+00:00"),
    ("2026-05-01T10:00:00", "2026-05-01T22:00:00+00:00"),  # no zone: its latest reading
    ("gisteren", None), ("", None), (None, None),
])
def test_lastmod_is_read_as_the_latest_time_it_can_mean(text, latest):
    from tim.crawlers.sitemap import lastmod_latest

    got = lastmod_latest(text)
    assert (got.isoformat() if got else None) == latest
