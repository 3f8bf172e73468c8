"""Issue 8 items 1-2: every hard fault of the fault web, crawled through the real pipeline, is a
failed run that names the source and the reason, within the deadline, storing nothing.

The HTTP policy itself is unit-tested in ``tests/crawlers/test_http.py`` (Retry-After, retries,
deadline, decoded-size cap, redirect cap, SSRF guard); these tests prove the same defences hold
end to end, where a failure must become a recorded run and never an exception.
"""

from __future__ import annotations

import time

import pytest

from .conftest import assert_failed_cleanly, run_one, source

MB = 1_000_000

# (path, kind, extra source keys, error pattern, at most seconds)
FAULTS = [
    ("/status/500", "rss", {}, r"HTTP 500 \(after 2 attempts\)", 3),
    ("/status/429", "rss", {}, r"HTTP 429; Retry-After 3600s exceeds max_retry_after", 1),
    ("/slow/hang", "rss", {"http": {"timeout": 0.5}}, r"deadline of 0.5s exceeded", 1.5),
    ("/slow/drip", "rss", {"http": {"timeout": 0.5}}, r"deadline of 0.5s exceeded", 1.5),
    ("/body/truncated.rss", "rss", {}, (r"RemoteProtocolError: peer closed connection without sending "
                                        r"complete message body .*\(after 2 attempts\)"), 3),
    ("/body/gzip-bomb.rss", "rss", {"http": {"max_bytes": 2 * MB}}, r"larger than max_bytes=2000000 \(decoded\)", 3),
    ("/body/layered-bomb.rss", "rss", {"http": {"max_bytes": 2 * MB}}, r"larger than max_bytes=2000000", 3),
    ("/body/endless", "rss", {"http": {"max_bytes": 2 * MB}}, r"larger than max_bytes=2000000", 3),
    ("/body/huge.rss", "rss", {}, r"larger than max_bytes=10000000 \(decoded\)", 3),
    ("/redirect/loop-a", "rss", {}, r"loop-a: too many redirects \(more than 5\)", 2),
    ("/redirect/other-port", "rss", {}, (r"/admin: host '127.0.0.1' resolves to 127.0.0.1 \(loopback\); "
                                         r"refused by the SSRF guard"), 2),
    ("/redirect/scheme/0", "rss", {}, r"file:///etc/passwd: only http\(s\) URLs are fetched", 2),
    ("/redirect/scheme/1", "rss", {}, r"gopher://.*: only http\(s\) URLs are fetched", 2),
    ("/xml/malformed.rss", "rss", {}, r"not a readable feed: .*mismatched tag", 2),
    ("/xml/billion-laughs.rss", "rss", {}, r"XML refused: EntitiesForbidden", 1),
    ("/xml/xxe-file.rss", "rss", {}, r"XML refused: EntitiesForbidden.*file:///etc/passwd", 1),
    ("/xml/xxe-network.rss", "rss", {}, r"XML refused: EntitiesForbidden", 1),
    ("/xml/xxe-parameter.rss", "rss", {}, r"XML refused: EntitiesForbidden", 1),
    ("/json/nested-deep.json", "json", {"items": "items"}, r"JSON nested too deeply", 2),
    ("/json/nested-100.json", "json", {"items": "items"}, r"JSON nested deeper than 64", 2),
]


@pytest.mark.parametrize("path,kind,extra,pattern,seconds", FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_is_a_clean_failed_run(fault_web, engine, locator, path, kind, extra, pattern, seconds):
    sid = "fout"
    started = time.monotonic()
    report = run_one(engine, locator, source(sid, fault_web.url(path), kind, **extra))
    elapsed = time.monotonic() - started
    assert_failed_cleanly(engine, report, sid, pattern)
    assert elapsed < seconds, f"{path} took {elapsed:.2f}s"
    assert fault_web.target.connections == 0


def test_503_retry_after_is_honoured_then_the_source_fails(fault_web, engine, locator):
    report = run_one(engine, locator, source("druk", fault_web.url("/status/503")))
    assert_failed_cleanly(engine, report, "druk", r"HTTP 503 \(after 2 attempts\)")
    first, second = fault_web.requests_to("/status/503")
    assert second.at - first.at >= 1.0  # Retry-After: 1, server-side timestamps


def test_503_once_then_the_feed_is_stored(fault_web, engine, locator):
    report = run_one(engine, locator, source("eenmaal", fault_web.url("/status/503-once")))
    assert (report.status, report.inserted) == ("ok", 3), report.error
    first, second = fault_web.requests_to("/status/503-once")
    assert second.at - first.at >= 1.0


def test_dripping_and_silent_servers_are_not_retried(fault_web, engine, locator):
    """A deadline is final: retrying a server that holds the connection only multiplies the wait."""
    for path in ("/slow/hang", "/slow/drip"):
        run_one(engine, locator, source("traag", fault_web.url(path), http={"timeout": 0.5, "retries": 3}))
        assert len(fault_web.requests_to(path)) == 1, path


def test_a_sitemap_gzip_bomb_fails_the_source(fault_web, engine, locator):
    entry = source("kaart", None, "jsonld", sitemap=fault_web.url("/xml/sitemap-bomb.xml.gz"),
                   http={"max_bytes": 2 * MB})
    report = run_one(engine, locator, entry)
    assert_failed_cleanly(engine, report, "kaart", r"not a sitemap: .*exceeded the specified maximum")
