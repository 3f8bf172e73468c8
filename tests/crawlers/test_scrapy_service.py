"""The Scrapy service (issue 11): one long-lived process runs every html crawl as its own job.

Concurrent crawls share one process and keep their own records, failures and settings; a killed
service process fails only the crawl in flight, with a clear error, and the next crawl starts a
new one; the process never outlives its parent.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tim.crawlers import scrapy_service
from tim.demo.web import LocalWeb, Response
from tim.errors import FetchError, SourceError

from .conftest import crawl, make_source
from .sites import VACATURES, vacancy_bank

FIELDS = {"title": "h1::text", "organizer": "xpath://dl/dd[1]/text()"}


def bank(web: LocalWeb, source_id: str, **kw):
    return make_source(web.url("/vacatures"), "html", id=source_id, item_kind="vacancy",
                       follow="a.vacature", next="li.next a", fields=FIELDS, **kw)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ", 1)[1].startswith("Z"))


def wait_gone(pid: int, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def outcome(source):
    try:
        return crawl(source)
    except Exception as exc:  # noqa: BLE001  (the test inspects which crawl failed, and how)
        return exc


def test_concurrent_crawls_share_one_process_and_keep_their_own_results():
    # three hosts (so the three jobs really overlap), one of them failing on its first listing page
    with LocalWeb("127.0.0.21") as a, LocalWeb("127.0.0.22") as b, LocalWeb("127.0.0.23") as broken:
        vacancy_bank(a)
        vacancy_bank(b)
        b.route("/vacatures/maatje-malberg", Response("weg", 404))  # a record error of b only
        broken.route("/vacatures", Response("kapot", 500))
        sources = [bank(a, "bank-a", http={"user_agent": "BotA/1"}),
                   bank(b, "bank-b", http={"user_agent": "BotB/2"}, max_pages=2),
                   bank(broken, "kapot", http={"retries": 1})]
        before = scrapy_service.service().pid
        with ThreadPoolExecutor(3) as pool:
            results = list(pool.map(outcome, sources))
        pid = scrapy_service.service().pid
    (rec_a, crawler_a), (rec_b, crawler_b), failed = results
    # one process for all three (the one already running, if an earlier test started it)
    assert pid is not None and crawler_a.scrapy_pid == crawler_b.scrapy_pid == pid
    assert before in (None, pid)
    # each job's records come from its own site, under its own source id
    assert {r.source_id for r in rec_a} == {"bank-a"} and {r.source_id for r in rec_b} == {"bank-b"}
    assert all(r.fetched_url.startswith(a.url("/")) for r in rec_a)
    assert all(r.fetched_url.startswith(b.url("/")) for r in rec_b)
    assert {r.fields["title"] for r in rec_a} == {v[1] for v in VACATURES}
    assert crawler_a.complete and crawler_a.errors == []
    # b: six details on two listing pages, one of them a 404: its own error and incompleteness
    assert len(rec_b) == 5 and not crawler_b.complete
    [err] = crawler_b.errors
    assert "maatje-malberg" in str(err) and "404" in str(err)
    # the failing job fails alone, as a source failure naming its source
    assert isinstance(failed, FetchError) and failed.source_id == "kapot" and "500" in str(failed)
    assert len(broken.requests_to("/vacatures")) == 2  # retried once, as its own settings say
    # each job sent its own user agent, to its own site only
    assert {r.headers["user-agent"] for r in a.log} == {"BotA/1"}
    assert {r.headers["user-agent"] for r in b.log} == {"BotB/2"}


def test_timeouts_and_ssrf_allowance_are_each_jobs_own():
    with LocalWeb("127.0.0.24") as slow, LocalWeb("127.0.0.25") as patient, LocalWeb("127.0.0.26") as other:
        def sleepy(req):
            time.sleep(1.5)
            return Response("<h1>Eindelijk</h1>")

        slow.route("/traag", sleepy)
        patient.route("/traag", sleepy)
        # patient's page links to `other`, a private service outside patient's own origins
        patient.route("/lijst", f'<a href="/traag">t</a><a href="{other.url("/admin")}">a</a>')
        other.route("/admin", "<h1>Beheer</h1>")
        other.route("/lijst", '<a href="/admin">a</a>')
        hasty = make_source(slow.url("/traag"), "html", id="haastig", fields={"title": "h1::text"},
                            http={"timeout": 0.5, "retries": 0, "obey_robots": False})
        calm = make_source(patient.url("/lijst"), "html", id="geduldig", follow="a",
                           fields={"title": "h1::text"}, http={"timeout": 5.0, "obey_robots": False})
        own = make_source(other.url("/lijst"), "html", id="eigen", follow="a", fields={"title": "h1::text"},
                          http={"obey_robots": False})
        with ThreadPoolExecutor(3) as pool:
            hasty_result, (calm_records, calm_crawler), (own_records, _) = pool.map(outcome, [hasty, calm, own])
    # 0.5 s was too short for the hasty job only; the calm one, at the same time, waited 1.5 s
    assert isinstance(hasty_result, FetchError) and hasty_result.source_id == "haastig"
    assert "took longer than 0.5 seconds" in str(hasty_result)
    assert [r.fields["title"] for r in calm_records] == ["Eindelijk"]
    # `other` is allowed for its own job and refused for the calm one, at the same time
    assert [r.fields["title"] for r in own_records] == ["Beheer"]
    [refused] = calm_crawler.errors
    assert "SSRF" in str(refused) and other.url("/admin") in str(refused)
    assert len(other.requests_to("/admin")) == 1  # fetched by its own job only


def test_a_killed_service_fails_the_crawl_in_flight_and_the_next_crawl_starts_a_new_one(web):
    vacancy_bank(web)
    first_detail = threading.Event()

    def slow_detail(req):
        first_detail.set()
        time.sleep(0.5)
        return Response("<h1>Traag</h1>")

    for v in VACATURES:
        web.route(f"/vacatures/{v[0]}", slow_detail)
    src = bank(web, "wordt-gedood")
    result: list = []
    runner = threading.Thread(target=lambda: result.append(outcome(src)))
    runner.start()
    assert first_detail.wait(30)
    pid = scrapy_service.service().pid
    os.kill(pid, signal.SIGKILL)
    runner.join(30)
    [failed] = result
    assert isinstance(failed, SourceError) and failed.source_id == "wordt-gedood"
    assert f"Scrapy service process (pid {pid}) ended during the run (exit -9)" in str(failed)
    vacancy_bank(web)  # healthy again
    records, crawler = crawl(bank(web, "daarna"))
    assert len(records) == len(VACATURES) and crawler.complete
    assert crawler.scrapy_pid not in (None, pid) and crawler.scrapy_pid == scrapy_service.service().pid


def _turn_within(host: str, seconds: float) -> bool:
    """Whether this process gets the host's pacing turn within ``seconds`` (a turn the service
    process never released would hold it forever)."""
    from tim.crawlers.pacing import PACER

    got = threading.Event()

    def take():
        with PACER.turn(host, 0.0):
            got.set()

    threading.Thread(target=take, daemon=True).start()
    return got.wait(seconds)


def test_a_stopped_or_cancelled_job_releases_its_turns_and_the_service_stays_usable(web):
    vacancy_bank(web)
    slow = threading.Event()

    def slow_detail(req):
        slow.set()
        time.sleep(0.3)
        return Response("<h1>Traag</h1>")

    # max_items stops the spider with requests in flight: every turn they took is given back
    records, crawler = crawl(bank(web, "kort", max_items=2))
    assert len(records) == 2 and not crawler.complete
    assert _turn_within(web.host, 15)
    pid = crawler.scrapy_pid
    # the caller stops reading: the job is cancelled in the service, which stops fetching
    for v in VACATURES:
        web.route(f"/vacatures/{v[0]}", slow_detail)
    crawl_iter = scrapy_service_crawl(bank(web, "afgebroken"))
    next(crawl_iter)
    crawl_iter.close()
    assert _turn_within(web.host, 15)
    time.sleep(1.0)
    fetched = len(web.log)
    time.sleep(1.0)
    assert len(web.log) == fetched and len([r for r in web.log if r.path.startswith("/vacatures/")]) < 16
    vacancy_bank(web)
    records, crawler = crawl(bank(web, "daarna"))
    assert len(records) == len(VACATURES) and crawler.scrapy_pid == pid


def scrapy_service_crawl(source):
    """The records of one crawl as a generator the test may close early."""
    from tim.config import HttpSettings
    from tim.crawlers import REGISTRY
    from tim.crawlers.http import HttpClient

    http = HttpClient(HttpSettings(), source, None)
    try:
        yield from REGISTRY[source.kind](source, http).crawl()
    finally:
        http.close()


def test_the_service_is_closed_when_idle(web, monkeypatch):
    vacancy_bank(web)
    monkeypatch.setattr(scrapy_service, "IDLE_SECONDS", 0.2)
    scrapy_service.close_all()  # a fresh service, so this test's idle time applies
    _, crawler = crawl(bank(web, "even"))
    assert wait_gone(crawler.scrapy_pid, 15)
    assert scrapy_service.service().pid is None
    _, again = crawl(bank(web, "weer"))  # and the next crawl simply starts a new one
    assert again.scrapy_pid not in (None, crawler.scrapy_pid)


def test_a_service_started_ahead_serves_the_next_crawl_and_closes_unused(web, monkeypatch):
    vacancy_bank(web)
    scrapy_service.close_all()
    scrapy_service.start()  # as Pipeline.run_sources does when a run has html sources
    pid = scrapy_service.service().pid
    assert pid is not None
    _, crawler = crawl(bank(web, "vooruit"))
    assert crawler.scrapy_pid == pid  # the crawl used the process started ahead
    scrapy_service.close_all()
    monkeypatch.setattr(scrapy_service, "IDLE_SECONDS", 0.2)
    scrapy_service.start()  # started, never used: closed once idle
    unused = scrapy_service.service().pid
    assert unused is not None and wait_gone(unused, 15)


@pytest.mark.parametrize("pipe_held_elsewhere", [False, True])
def test_the_service_does_not_outlive_a_killed_parent(tmp_path, web, pipe_held_elsewhere):
    # a parent process that starts the service with one crawl, reports the pid, then dies
    # by SIGKILL (no atexit, no cleanup): its Scrapy service process must exit by itself, on
    # stdin EOF or, when another process still holds the pipe's write end (so no EOF comes),
    # because its parent changed
    vacancy_bank(web)
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent(f"""
        import os, signal, subprocess, sys
        from tests.crawlers.conftest import crawl, make_source
        from tim.crawlers import scrapy_service
        src = make_source({web.url("/vacatures")!r}, "html", follow="a.vacature", next="li.next a",
                          fields={{"title": "h1::text"}})
        records, crawler = crawl(src)
        holder = 0
        if {pipe_held_elsewhere!r}:
            fd = scrapy_service.service()._proc.stdin.fileno()
            holder = subprocess.Popen(["sleep", "60"], pass_fds=[fd], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL).pid
        print(crawler.scrapy_pid, len(records), holder, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    pid, count, holder = map(int, proc.stdout.split())
    try:
        assert count == len(VACATURES)
        assert wait_gone(pid, 15), f"scrapy service {pid} outlived its parent"
        assert not holder or alive(holder)  # the pipe really was still open
    finally:
        if holder:
            os.kill(holder, signal.SIGKILL)


def test_ctrl_c_is_the_parents_to_handle(tmp_path, web):
    # a terminal's SIGINT reaches the whole process group; the service ignores it and keeps
    # serving. Run from a parent with SIGINT at its default (this test process may ignore it,
    # and a child inherits that), so the service's own choice is what is tested.
    vacancy_bank(web)
    script = tmp_path / "ctrl_c.py"
    script.write_text(textwrap.dedent(f"""
        import os, signal, time
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        from tests.crawlers.conftest import crawl, make_source
        src = make_source({web.url("/vacatures")!r}, "html", follow="a.vacature", next="li.next a",
                          fields={{"title": "h1::text"}})
        _, first = crawl(src)
        os.kill(first.scrapy_pid, signal.SIGINT)
        time.sleep(0.5)
        records, again = crawl(src)
        print(first.scrapy_pid, again.scrapy_pid, len(records), flush=True)
    """))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    first, again, count = map(int, proc.stdout.split())
    assert again == first and count == len(VACATURES)


def test_jobs_waiting_for_one_host_never_hold_up_another_hosts_job():
    # eleven jobs on a paused host take more threads waiting for their turn than the reactor's
    # base pool has; a job on another host still runs at once (the pool grows with the jobs)
    from tim.config import HttpSettings
    from tim.crawlers.html import HtmlCrawler
    from tim.crawlers.http import HttpClient
    from tim.crawlers.pacing import PACER

    with LocalWeb("127.0.0.27") as paused, LocalWeb("127.0.0.28") as free:
        paused.route("/lijst", "<h1>Later</h1>")
        free.route("/lijst", '<a href="/een">een</a>')
        free.route("/een", "<h1>Meteen</h1>")
        PACER.pause(paused.host, 20.0)
        waiting = []
        for n in range(11):
            src = make_source(paused.url("/lijst"), "html", id=f"wacht-{n}", fields={"title": "h1::text"},
                              http={"obey_robots": False})
            http = HttpClient(HttpSettings(), src, None)
            waiting.append(scrapy_service.submit(HtmlCrawler(src, http).spec()))
            http.close()
        try:
            records, crawler = crawl(make_source(free.url("/lijst"), "html", id="vrij", follow="a",
                                                 fields={"title": "h1::text"}, http={"obey_robots": False}))
            assert [r.fields["title"] for r in records] == ["Meteen"]
            assert paused.log == []  # done while the paused host's jobs still wait for their turn
            assert {job.pid for job in waiting} == {crawler.scrapy_pid}
        finally:
            for job in waiting:
                job.close()


def test_max_items_keeps_the_first_items_in_listing_order_run_after_run(web):
    # in the warm service, the pool's idle threads would race for the host's turn; the
    # requests of a crawl take it in the scheduler's order, so max_items takes the first items
    vacancy_bank(web)
    for n in range(6):
        records, crawler = crawl(bank(web, f"eerste-{n}", max_items=4, http={"delay": 0.0}))
        assert [r.fields["title"] for r in records] == [v[1] for v in VACATURES[:4]]
        assert not crawler.complete


@pytest.fixture(autouse=True, scope="module")
def _close_services():
    yield
    scrapy_service.close_all()
