"""Issue 8 items 1-2: bombs cost a bounded amount of memory and time, end to end.

Decompression bombs, an endless body and a 50 MB page stop at the decoded-size cap
(``crawlers.decode`` + ``HttpClient._read_capped``): traced peak memory during the whole pipeline
run stays a small multiple of ``max_bytes``, however large the bomb. XML entity bombs and external
entities are refused before any parser expands them (``crawlers.safexml``) in well under a
second, and an external entity never opens a connection.
"""

from __future__ import annotations

import time
import tracemalloc

import pytest
from sqlalchemy import text

from tim.demo.faultweb import gzip_bomb

from .conftest import assert_failed_cleanly, run_one, source

MB = 1_000_000
CAP = 10 * MB  # the default max_bytes

BOMBS = [
    ("/body/gzip-bomb.rss", "rss", {}),  # 200 MB decoded
    ("/body/layered-bomb.rss", "rss", {}),  # gzip inside gzip
    ("/body/endless", "rss", {}),
    ("/body/huge.rss", "rss", {}),  # 50 MB
    ("/xml/sitemap-bomb.xml.gz", "jsonld", {"sitemap": "/xml/sitemap-bomb.xml.gz"}),
]


@pytest.fixture(scope="module", autouse=True)
def _bomb_ready():
    gzip_bomb(200)  # built once, before any memory is traced


@pytest.mark.parametrize("path,kind,extra", BOMBS, ids=[b[0] for b in BOMBS])
def test_bomb_memory_is_bounded_by_the_cap(fault_web, engine, locator, path, kind, extra):
    run_one(engine, locator, source("warm", fault_web.url("/redirect/landing")))  # imports, caches
    if "sitemap" in extra:
        extra = {"sitemap": fault_web.url(extra["sitemap"])}
    entry = source("bom", fault_web.url(path) if not extra else None, kind, **extra)
    tracemalloc.start()
    try:
        report = run_one(engine, locator, entry)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_failed_cleanly(engine, report, "bom", r"max_bytes=10000000|exceeded the specified maximum")
    print(f"{path}: traced peak {peak / MB:.1f} MB (cap {CAP / MB:.0f} MB)")
    assert peak < 2.5 * CAP, f"{path}: peak {peak / MB:.1f} MB"
    if path in ("/body/endless", "/body/huge.rss"):
        assert fault_web.sent[path] < 50 * 2**20  # the client stopped reading


def test_a_small_cap_gives_a_small_peak(fault_web, engine, locator):
    """The bound follows the cap, not the bomb: 2 MB allowed, 200 MB offered."""
    run_one(engine, locator, source("warm", fault_web.url("/redirect/landing")))
    tracemalloc.start()
    try:
        report = run_one(engine, locator, source("bom", fault_web.url("/body/gzip-bomb.rss"),
                                                 http={"max_bytes": 2 * MB}))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.status == "failed" and peak < 6 * MB, peak


@pytest.mark.parametrize("path", ["/xml/billion-laughs.rss", "/xml/xxe-file.rss", "/xml/xxe-network.rss",
                                  "/xml/xxe-parameter.rss"])
def test_entity_bombs_and_external_entities_fail_fast_and_fetch_nothing(fault_web, engine, locator, path):
    run_one(engine, locator, source("warm", fault_web.url("/redirect/landing")))
    started = time.monotonic()
    report = run_one(engine, locator, source("xml", fault_web.url(path)))
    elapsed = time.monotonic() - started
    assert_failed_cleanly(engine, report, "xml", r"XML refused: EntitiesForbidden")
    assert elapsed < 1.0, elapsed  # issue 8: the billion-laughs feed fails in < 1 s
    assert fault_web.target.connections == 0
    assert [r.path for r in fault_web.log if r.path in ("/xxe", "/dtd")] == []
    with engine.connect() as conn:
        dump = " ".join(str(v) for row in conn.execute(text("SELECT * FROM items")) for v in row)
    assert "root:" not in dump


def test_a_sitemap_xxe_and_its_locs_reach_nothing(fault_web, engine, locator):
    """lxml reads sitemaps with entities unresolved; its <loc>s on other local ports are refused
    one by one (record errors), the source itself is readable."""
    report = run_one(engine, locator, source("kaart", None, "jsonld", sitemap=fault_web.url("/xml/sitemap-ssrf.xml")))
    assert report.status == "ok" and report.inserted == 0 and report.failed == 3, report.errors
    assert all("refused by the SSRF guard" in e for e in report.errors), report.errors
    assert fault_web.target.connections == 0
