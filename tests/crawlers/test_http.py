"""The one HTTP policy (crawlers.http) against real local servers (issues 3 and 8)."""

from __future__ import annotations

import gzip
import itertools
import threading
import time
import tracemalloc

import pytest

from tim.config import HttpSettings
from tim.crawlers.http import HttpClient, MemoryValidatorStore
from tim.demo.web import LocalWeb, Response
from tim.errors import BlockedError, FetchError, SourceError

from .conftest import make_source


def client(web: LocalWeb, path: str = "/", **kw) -> HttpClient:
    settings = kw.pop("settings", None) or HttpSettings()
    validators = kw.pop("validators", None)
    return HttpClient(settings, make_source(web.url(path), **kw), validators)


def test_identifying_user_agent_and_body(web):
    web.route("/feed", "<rss/>", content_type="application/rss+xml")
    with client(web, "/feed") as http:
        resp = http.fetch(web.url("/feed"))
    assert resp.content == b"<rss/>"
    ua = web.requests_to("/feed")[0].headers["user-agent"]
    assert ua.startswith("ThuisInMaastrichtBot/") and "+https://" in ua


def test_robots_disallow_is_honoured(web):
    web.route("/robots.txt", "User-agent: *\nDisallow: /privé\nDisallow: /intern/\n",
              content_type="text/plain")
    web.route("/intern/lijst", "geheim")
    web.route("/open", "ok")
    with client(web, "/open") as http:
        assert http.fetch(web.url("/open")).content == b"ok"
        with pytest.raises(BlockedError, match="robots.txt"):
            http.fetch(web.url("/intern/lijst"))
    assert web.requests_to("/intern/lijst") == []
    assert len(web.requests_to("/robots.txt")) == 1  # cached per origin


def test_robots_5xx_means_disallow_all(web):
    web.route("/robots.txt", "kapot", status=500)
    web.route("/open", "ok")
    with (
        client(web, "/open", http={"retries": 0}) as http,
        pytest.raises(BlockedError, match="unreachable"),
    ):
        http.fetch(web.url("/open"))
    assert web.requests_to("/open") == []


def test_per_host_delay_kept_across_clients_and_threads(web):
    web.route("/p", "ok")
    delay = 0.2

    def run() -> None:
        with client(web, "/p", http={"delay": delay, "obey_robots": False}) as http:
            for _ in range(3):
                http.fetch(web.url("/p"))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times = sorted(r.at for r in web.requests_to("/p"))
    assert len(times) == 6
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= delay, gaps  # server-side timestamps


def test_retry_after_is_honoured(web):
    calls = []

    def flaky(req):
        calls.append(req.at)
        if len(calls) == 1:
            return Response("druk", 503, headers={"Retry-After": "1"})
        return Response("ok")

    web.route("/api", flaky)
    with client(web, "/api", http={"obey_robots": False}) as http:
        assert http.fetch(web.url("/api")).content == b"ok"
    assert len(calls) == 2 and calls[1] - calls[0] >= 1.0


def test_retry_after_longer_than_allowed_fails_at_once(web):
    web.route("/api", Response("later", 429, headers={"Retry-After": "3600"}))
    settings = HttpSettings(max_retry_after=5)
    with (
        client(web, "/api", http={"obey_robots": False}, settings=settings) as http,
        pytest.raises(FetchError, match="Retry-After") as err,
    ):
        http.fetch(web.url("/api"))
    assert err.value.status == 429 and len(web.requests_to("/api")) == 1


def test_retries_on_5xx_only(web):
    web.route("/stuk", "boom", status=500)
    web.route("/weg", "nee", status=404)
    with client(web, "/stuk", http={"obey_robots": False, "retries": 2}) as http:
        with pytest.raises(FetchError, match="after 3 attempts"):
            http.fetch(web.url("/stuk"))
        with pytest.raises(FetchError) as err:
            http.fetch(web.url("/weg"))
    assert err.value.status == 404
    assert len(web.requests_to("/stuk")) == 3 and len(web.requests_to("/weg")) == 1


def test_conditional_get_304_and_identical_body(web):
    def feed(req):
        if req.headers.get("if-none-match") == '"v1"':
            return Response(b"", 304)
        return Response("<rss>1</rss>", headers={"ETag": '"v1"'})

    web.route("/feed", feed)
    web.route("/plain", "zelfde inhoud")
    store = MemoryValidatorStore()
    with client(web, "/feed", http={"obey_robots": False}, validators=store) as http:
        first = http.fetch(web.url("/feed"), conditional=True)
        assert not first.not_modified and store.get(web.url("/feed")) is None  # not yet committed
        http.commit_validators()
        again = http.fetch(web.url("/feed"), conditional=True)
        assert again.not_modified and again.content == b""
        assert not http.fetch(web.url("/plain"), conditional=True).not_modified
        http.commit_validators()
        same = http.fetch(web.url("/plain"), conditional=True)
        assert same.not_modified and same.content == b""
    assert web.requests_to("/feed")[1].headers["if-none-match"] == '"v1"'


def test_a_cookie_set_by_a_response_goes_with_the_next_request_of_the_run(web):
    web.route("/login", Response("ok", headers={"Set-Cookie": "session=abc; Path=/"}))
    web.route("/feed", "<rss/>")
    web.route("/other", "<rss/>")
    with client(web, "/feed", http={"obey_robots": False}) as http:
        http.fetch(web.url("/other"))  # no cookie yet, and none set by this response
        http.fetch(web.url("/login"))
        http.fetch(web.url("/feed"))
    assert "cookie" not in web.requests_to("/other")[0].headers
    assert web.requests_to("/feed")[0].headers["cookie"] == "session=abc"


def test_ssrf_guard_refuses_loopback_without_a_connection(web):
    web.route("/", "intern")
    for host in ("127.0.0.1", "localhost"):
        url = f"http://{host}:{web.port}/"
        with (
            HttpClient(HttpSettings(), make_source(url, allow_private_network=False)) as http,
            pytest.raises(BlockedError, match="SSRF") as err,
        ):
            http.fetch(url)
        assert err.value.source_id == "test-source" and err.value.url == url
    assert web.log == []  # not even robots.txt


def test_ssrf_guard_refuses_redirect_to_other_local_port_and_metadata(web):
    with LocalWeb() as other:
        other.route("/admin", "geheim")
        web.route("/naar-admin", Response("", 302, headers={"Location": other.url("/admin")}))
        web.route("/naar-metadata", Response("", 302, headers={
            "Location": "http://169.254.169.254/latest/meta-data/"}))
        with client(web, "/naar-admin", http={"obey_robots": False}) as http:
            with pytest.raises(BlockedError, match="SSRF"):
                http.fetch(web.url("/naar-admin"))
            with pytest.raises(BlockedError, match="metadata"):
                http.fetch(web.url("/naar-metadata"))
        assert other.log == []


def test_redirect_loop_is_capped(web):
    web.route("/a", Response("", 301, headers={"Location": "/b"}))
    web.route("/b", Response("", 302, headers={"Location": "/a"}))
    with (
        client(web, "/a", http={"obey_robots": False, "max_redirects": 3}) as http,
        pytest.raises(FetchError, match="too many redirects"),
    ):
        http.fetch(web.url("/a"))
    assert len(web.log) == 4


def test_credentials_stripped_when_leaving_origin(web, monkeypatch):
    monkeypatch.setenv("TIM_TEST_TOKEN", "s3cret")
    web.route("/start", Response("", 302, headers={"Location": f"http://127.0.0.1:{web.port}/doel"}))
    web.route("/doel", "ok")
    src = make_source(f"http://localhost:{web.port}/start", http={"obey_robots": False},
                      headers={"Authorization": "env:TIM_TEST_TOKEN", "X-Taal": "nl"})
    with HttpClient(HttpSettings(), src) as http:
        http.fetch(src.url, headers={"Cookie": "sessie=1"})
    start, doel = web.requests_to("/start")[0], web.requests_to("/doel")[0]
    assert start.headers["authorization"] == "s3cret" and start.headers["cookie"] == "sessie=1"
    assert "authorization" not in doel.headers and "cookie" not in doel.headers
    assert doel.headers["x-taal"] == "nl"


def test_missing_env_header_is_a_clear_error(web, monkeypatch):
    monkeypatch.delenv("TIM_NOT_SET", raising=False)
    web.route("/api", "{}")
    with (
        client(web, "/api", headers={"Authorization": "env:TIM_NOT_SET"}) as http,
        pytest.raises(SourceError, match="TIM_NOT_SET") as err,
    ):
        http.fetch(web.url("/api"))
    assert "test-source" in str(err.value) and web.log == []


def _bomb(megabytes: int) -> bytes:
    return gzip.compress(b"\0" * (megabytes * 1024 * 1024), compresslevel=9)


def test_gzip_bomb_stops_at_decoded_cap_with_bounded_memory(web):
    bomb = _bomb(200)  # ~200 KB on the wire, 200 MB decoded
    web.route("/bom", Response(bomb, headers={"Content-Encoding": "gzip"}))
    with client(web, "/bom", http={"obey_robots": False, "max_bytes": 1_000_000}) as http:
        tracemalloc.start()
        try:
            with pytest.raises(FetchError, match="max_bytes"):
                http.fetch(web.url("/bom"))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, peak


def test_gzip_body_is_decoded(web):
    web.route("/gz", Response(gzip.compress("Wyck, Céramique".encode()), headers={"Content-Encoding": "gzip"}))
    with client(web, "/gz", http={"obey_robots": False}) as http:
        assert http.fetch(web.url("/gz")).text == "Wyck, Céramique"


def test_dripping_server_fails_at_the_deadline(web):
    def drip(_req):
        def body():
            for _ in range(60):
                yield b"x"
                time.sleep(0.4)
        return Response(body())

    web.route("/drip", drip)
    with client(web, "/drip", http={"obey_robots": False, "timeout": 1.0, "retries": 2}) as http:
        started = time.monotonic()
        with pytest.raises(FetchError, match="deadline"):
            http.fetch(web.url("/drip"))
        elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 3.0, elapsed  # the defence is the deadline itself
    assert len(web.requests_to("/drip")) == 1  # a deadline is not retried


def test_server_that_never_answers_fails_at_the_deadline(web):
    release = threading.Event()
    web.route("/stil", lambda _req: (release.wait(10), Response("te laat"))[1])
    with client(web, "/stil", http={"obey_robots": False, "timeout": 0.5}) as http:
        started = time.monotonic()
        with pytest.raises(FetchError, match="deadline"):
            http.fetch(web.url("/stil"))
        elapsed = time.monotonic() - started
    release.set()
    assert elapsed < 3.0, elapsed


def test_endless_chunked_body_stops_at_the_cap(web):
    def endless(_req):
        def body():
            for _ in range(100_000):  # bounded: ~6 GB if nobody stopped reading
                yield b"<p>Maastricht</p>" * 4000
        return Response(body())

    web.route("/eindeloos", endless)
    with (
        client(web, "/eindeloos", http={"obey_robots": False, "max_bytes": 2_000_000}) as http,
        pytest.raises(FetchError, match="max_bytes"),
    ):
        http.fetch(web.url("/eindeloos"))


def test_salted_conditional_fetch_reparses_when_the_salt_changes(web):
    """iCal's expansion window moves daily, so its 'unchanged' holds for one salt (day) only."""
    web.route("/agenda.ics", Response("BEGIN:VCALENDAR", headers={"ETag": '"a1"'}))
    store = MemoryValidatorStore()
    with client(web, "/agenda.ics", http={"obey_robots": False}, validators=store) as http:
        url = web.url("/agenda.ics")
        assert not http.fetch(url, conditional=True, salt="2025-03-01").not_modified
        http.commit_validators()
        assert http.fetch(url, conditional=True, salt="2025-03-01").not_modified
        assert not http.fetch(url, conditional=True, salt="2025-03-02").not_modified
    assert all("if-none-match" not in r.headers for r in web.requests_to("/agenda.ics"))


def test_304_redirect_and_404_keep_the_connection_alive(web):
    """An unchanged run answers every request with a 304: each must reuse the connection rather
    than open a new one (a response closed unread closes its connection)."""
    web.route("/feed", lambda req: Response(b"", 304) if req.headers.get("if-none-match") == '"v1"'
              else Response("<rss>1</rss>", headers={"ETag": '"v1"'}))
    web.route("/old", Response(b"moved", 301, headers={"Location": "/feed"}))
    web.route("/big-error", Response(b"x" * 200_000, 404))
    store = MemoryValidatorStore()
    with client(web, "/feed", http={"obey_robots": False}, validators=store) as http:
        http.fetch(web.url("/feed"), conditional=True)
        http.commit_validators()
        for _ in range(3):
            assert http.fetch(web.url("/feed"), conditional=True).not_modified
        assert http.fetch(web.url("/old")).status == 200
        with pytest.raises(FetchError, match="HTTP 404"):
            http.fetch(web.url("/nope"))
        http.fetch(web.url("/feed"))
        with pytest.raises(FetchError, match="HTTP 404"):
            http.fetch(web.url("/big-error"))  # too large to read for nothing: dropped
        http.fetch(web.url("/feed"))
    peers = [r.peer for r in web.log]
    assert len(peers) == 10
    assert len(set(peers[:9])) == 1, peers  # one connection for 304s, the redirect and a small 404
    assert peers[9] != peers[8]  # the large error body was not read: its connection was closed
