"""Issue 8 item 2: the SSRF guard, measured where it matters: the target port's accept count.

``demo.faultweb.ConnectionCounter`` listens on its own loopback port and counts every TCP
connection. A source without ``allow_private_network`` that names it (in any loopback spelling),
a redirect or a link from an allowed source to it, and an external entity pointing at it must all
leave that count at zero. Credentials never follow a redirect that leaves the origin.
Defences: ``crawlers.guard`` (``resolve_checked``, ``GuardedBackend``), ``HttpClient.check_url``
and ``_follow``; the Scrapy side is ``crawlers.scrapy_middlewares``. Unit tests of the same guard
on HTTP level: ``tests/crawlers/test_http.py::test_ssrf_guard_*``.
"""

from __future__ import annotations

import pytest

from tim.demo.faultweb import LOOPBACK_ALIASES

from .conftest import assert_failed_cleanly, run_one, source

KINDS = {
    "rss": {}, "ical": {}, "json": {"items": "items"}, "decidim": {},
    "jsonld": {"follow": "a.event"}, "html": {"follow": "a", "fields": {"title": "h1::text"}},
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_private_address_without_permission_is_never_connected(fault_web, engine, locator, kind):
    """Every loopback spelling of the target, every crawler kind: refused before connecting."""
    for n, alias in enumerate(LOOPBACK_ALIASES):
        sid = f"{kind}-{n}"
        url = alias.format(port=fault_web.target.port) + "feed"
        report = run_one(engine, locator, source(sid, url, kind, private=False, **KINDS[kind]))
        assert_failed_cleanly(engine, report, sid, r"refused by the SSRF guard")
    assert fault_web.target.connections == 0


def test_sitemap_on_a_private_address_is_never_connected(fault_web, engine, locator):
    report = run_one(engine, locator, source("kaart", None, "jsonld", private=False,
                                             sitemap=fault_web.target.url("/sitemap.xml")))
    assert_failed_cleanly(engine, report, "kaart", r"refused by the SSRF guard")
    assert fault_web.target.connections == 0


def test_the_allowed_source_itself_is_reached(fault_web, engine, locator):
    """The positive control: with permission, its own origin is crawled (so the zeros above are
    the guard's doing, not a dead target)."""
    report = run_one(engine, locator, source("eigen", fault_web.url("/redirect/landing")))
    assert (report.status, report.inserted) == ("ok", 3)


@pytest.mark.parametrize("n", range(len(LOOPBACK_ALIASES)))
def test_redirect_from_an_allowed_source_to_another_local_port(fault_web, engine, locator, n):
    report = run_one(engine, locator, source("omleiding", fault_web.url(f"/redirect/alias/{n}")))
    assert_failed_cleanly(engine, report, "omleiding", r"refused by the SSRF guard")
    assert fault_web.target.connections == 0


def test_links_to_other_local_ports_fail_one_by_one(fault_web, engine, locator):
    report = run_one(engine, locator, source("links", fault_web.url("/linkfarm/"), "jsonld", follow="a.event"))
    assert report.status == "ok" and report.failed == len(LOOPBACK_ALIASES), report.errors
    assert all("refused by the SSRF guard" in e for e in report.errors)
    assert fault_web.target.connections == 0


@pytest.mark.slow
def test_scrapy_links_to_other_local_ports_are_never_connected(fault_web, engine, locator):
    """The html kind runs Scrapy in a subprocess with its own guard middleware."""
    from scrapy import Request

    report = run_one(engine, locator, source("html-links", fault_web.url("/linkfarm/"), "html",
                                             follow="a.event", fields={"title": "h1::text"}))
    assert report.status == "ok" and report.inserted == 0, (report.status, report.error)
    # Scrapy requests a link as the URL standard writes it (w3lib >= 2.6 writes 127.1, 2130706433
    # and 0x7f000001 as 127.0.0.1): each distinct request is refused, a repeat is not requested
    requests = {Request(a.format(port=fault_web.target.port) + "x").url for a in LOOPBACK_ALIASES}
    assert report.failed == len(requests), report.errors
    assert all("refused by the SSRF guard" in e for e in report.errors)
    assert fault_web.target.connections == 0


def test_credentials_are_stripped_when_a_redirect_leaves_the_origin(fault_web, engine, locator, monkeypatch):
    monkeypatch.setenv("TIM_FAULT_TOKEN", "Bearer geheim-token")
    monkeypatch.setenv("TIM_FAULT_KEY", "geheime-sleutel")
    headers = {"Authorization": "env:TIM_FAULT_TOKEN", "X-Api-Key": "env:TIM_FAULT_KEY",
               "Cookie": "sessie=geheim", "X-Taal": "nl"}
    # localhost -> 127.0.0.1: the same server, another origin
    url = f"http://localhost:{fault_web.port}/redirect/cross-origin"
    report = run_one(engine, locator, source("cred", url, headers=headers))
    assert (report.status, report.inserted) == ("ok", 3), report.error
    [start] = fault_web.requests_to("/redirect/cross-origin")
    [landing] = fault_web.requests_to("/redirect/landing")
    assert start.headers["authorization"] == "Bearer geheim-token"  # sent where configured
    assert start.headers["x-api-key"] == "geheime-sleutel" and start.headers["cookie"] == "sessie=geheim"
    assert not {"authorization", "x-api-key", "cookie"} & set(landing.headers), landing.headers
    assert landing.headers["x-taal"] == "nl"  # not a credential: kept
    robots = fault_web.requests_to("/robots.txt")
    assert robots and all("authorization" not in r.headers for r in robots)
