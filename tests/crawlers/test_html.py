"""html crawler on Scrapy in a subprocess: vacancy bank with three listing pages (issue 3)."""

from __future__ import annotations

import itertools

import pytest

from tim.demo.web import LocalWeb, Response
from tim.errors import BlockedError, FetchError

from .conftest import crawl, make_source
from .sites import VACATURES, sitemap_site, vacancy_bank

FIELDS = {
    "title": "h1::text",
    "description": "div.omschrijving",
    "organizer": "xpath://dl/dd[1]/text()",
    "address": "xpath://dt[text()='Adres']/following-sibling::dd[1]/text()",
    "categories": "ul.tags li::text",
    "url": "link[rel=canonical]::attr(href)",
    "image": "a.site::attr(href)",
}


def bank_source(web, **kw):
    return make_source(web.url("/vacatures"), "html", item_kind="vacancy", follow="a.vacature",
                       next="li.next a", fields=FIELDS, **kw)


def test_vacancy_bank_three_listing_pages_and_details(web):
    vacancy_bank(web)
    with LocalWeb() as other:  # a link to another local service: the SSRF middleware refuses it
        other.route("/admin", "<h1>Beheer</h1>")
        listing = web.routes["/vacatures"]
        web.route("/vacatures", lambda req: Response(listing(req).body.replace(
            "</ul>", f'<li><a class="vacature" href="{other.url("/admin")}">x</a></li></ul>', 1)))
        records, crawler = crawl(bank_source(web, http={"delay": 0.1}))
    assert other.log == []
    [refused] = crawler.errors
    assert "SSRF" in str(refused) and other.url("/admin") in str(refused)
    by_title = {r.fields["title"]: r.fields for r in records}
    assert set(by_title) == {v[1] for v in VACATURES}
    assert crawler.complete
    maatje = by_title["Maatje voor een oudere buurtgenoot"]
    assert maatje["organizer"] == "Trajekt"
    assert maatje["address"] == "Malbergsingel 68, 6218 AV Maastricht"
    assert maatje["categories"] == ["Ouderen", "Vrijwilligerswerk"]
    assert maatje["description"].startswith('<div class="omschrijving">')  # raw HTML
    assert maatje["url"] == web.url("/vacatures/maatje-malberg")  # no canonical link: page URL
    assert maatje["image"] == web.url("/organisaties/maatje-malberg")  # made absolute
    klus = by_title["Klusser voor buurtgenoten"]  # address only in JSON-LD
    assert "address" not in klus and klus["street"] == "Ridder van Heerstraat 10"
    assert klus["organizer"] == "Buurtplatform Heer" and klus["published_at"] == "2025-03-02"
    assert [r.arg("page") for r in web.requests_to("/vacatures")] == [None, "2", "3"]
    # robots.txt honoured and the per-host delay kept, measured on the server
    assert web.requests_to("/intern/concept") == []
    times = sorted(r.at for r in web.log)
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.1
    ua = web.requests_to("/vacatures")[0].headers["user-agent"]
    assert ua.startswith("ThuisInMaastrichtBot/")


def test_max_pages_marks_incomplete(web):
    vacancy_bank(web)
    records, crawler = crawl(bank_source(web, max_pages=2))
    assert len(records) == 6 and not crawler.complete
    assert [r.arg("page") for r in web.requests_to("/vacatures")] == [None, "2"]


def test_failed_detail_fails_alone_and_retry_after_honoured(web):
    vacancy_bank(web)
    web.route("/vacatures/tuin-landbouwbelang", Response("weg", 404))
    calls = []

    def busy(req):
        calls.append(req.at)
        if len(calls) == 1:
            return Response("druk", 503, headers={"Retry-After": "1"})
        return Response("<h1>Stadstuinier</h1>")

    web.route("/vacatures/chauffeur-caberg", busy)
    records, crawler = crawl(bank_source(web))
    assert len(records) == 7 and len(crawler.errors) == 1
    assert "tuin-landbouwbelang" in str(crawler.errors[0]) and "404" in str(crawler.errors[0])
    assert len(calls) == 2 and calls[1] - calls[0] >= 1.0


def test_first_listing_failure_robots_5xx_and_ssrf_fail_the_source(web):
    web.route("/vacatures", Response("kapot", 404))
    with pytest.raises(FetchError, match="404"):
        crawl(make_source(web.url("/vacatures"), "html", follow="a"))
    with LocalWeb() as down:  # robots.txt answering 503: nothing may be fetched (RFC 9309)
        down.route("/robots.txt", Response("onderhoud", 503))
        down.route("/vacatures", "<a href='/x'>x</a>")
        with pytest.raises(BlockedError, match="robots.txt"):
            crawl(make_source(down.url("/vacatures"), "html", follow="a", http={"retries": 0}))
        assert down.requests_to("/vacatures") == []
    web.log.clear()
    with pytest.raises(BlockedError, match="SSRF"):  # refused before Scrapy even starts
        crawl(make_source(web.url("/vacatures"), "html", follow="a", allow_private_network=False))
    assert web.log == []


def test_sitemap_discovery_jsonld_fallback_and_max_items(web):
    sitemap_site(web)
    src = make_source(None, "html", sitemap=web.url("/sitemap.xml"), sitemap_pattern=r"/agenda/[a-z-]+$",
                      fields={"title": "h1::text"}, max_items=3)
    records, crawler = crawl(src)
    assert len(records) == 3 and not crawler.complete  # max_items stopped it
    assert web.requests_to("/over-ons") == []  # sitemap_pattern
    repair = next(r.fields for r in records if r.fields["title"] == "Repair Café Wittevrouwenveld")
    assert repair["starts_at"] == "2025-04-12T14:00:00+02:00" and repair["postcode"] == "6224 ER"


def test_no_spider_callback_is_a_generator_returning_a_value():
    """Scrapy's own per-response check is off (it re-parsed the callback's source for every
    response): the spider's callbacks are checked here instead, once. A generator callback that
    returns a value loses it silently."""
    import inspect

    from scrapy.utils.misc import is_generator_with_return_value

    from tim.crawlers.scrapy_spider import TimSpider

    callbacks = [f for name, f in vars(TimSpider).items()
                 if inspect.isgeneratorfunction(f) or name.endswith("_failed")]
    assert len(callbacks) >= 4
    assert [f.__name__ for f in callbacks if is_generator_with_return_value(f)] == []


def test_an_exception_in_a_spider_callback_makes_the_run_incomplete_and_says_so(web, caplog):
    # notes that do not parse (a count that is no number) make the callback raise: Scrapy would log
    # it and walk on; the run must not pass for complete (complete runs expire missing items)
    from tim.crawlers.http import MemoryValidatorStore
    from tim.crawlers.sitemap import now_iso
    from tim.records import Validators

    sitemap_site(web)
    store = MemoryValidatorStore()
    store.put(web.url("/agenda/repair-cafe-wittevrouwenveld"), Validators('"x"', None, "0" * 64, {"count": "veel", "read_at": now_iso()}))
    src = make_source(None, "html", sitemap=web.url("/sitemap.xml"), sitemap_pattern=r"/agenda/[a-z-]+$",
                      fields={"title": "h1::text"})
    records, crawler = crawl(src, validators=store)
    assert not crawler.complete
    assert web.requests_to("/sitemap-pages.xml.gz")
