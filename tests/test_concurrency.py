"""Concurrent crawling (issue #11): hosts fetched at the same time, each host still paced, a failing
source contained, and the same stored result as one source after another. Timing is measured on
the servers (request arrival times), never asserted as a speed target."""

from __future__ import annotations

import itertools
import json
import os
import signal
import threading
import time
from collections import Counter
from datetime import datetime

import pytest

from sqlalchemy import select

from tim.config import load_config
from tim.crawlers.pacing import HostPacer
from tim.demo.catalog import TZ
from tim.demo.sites import build_demo_web, demo_config_text
from tim.demo.web import LocalWeb, Response
from tim.pipeline import Pipeline
from tim.store.db import make_engine
from tim.store.tables import ClusterRow, ItemRow, RunRow

DELAY = 0.3
PAGES = 3


def _paged_api(web: LocalWeb, prefix: str, fail: bool = False) -> None:
    def page(req):
        n = int(req.arg("page", "1"))
        if fail:
            return Response("kapot", 500)
        items = [{"id": f"{prefix}-{n}-{i}", "title": f"Klus {prefix} {n}.{i}", "pc": "6211 PE"} for i in range(2)]
        nxt = web.url(f"/api?page={n + 1}") if n < PAGES else None
        return Response(json.dumps({"results": items, "next": nxt}), content_type="application/json")

    web.route("/api", page)


def _source(sid: str, web: LocalWeb, delay: float = DELAY) -> str:
    return f"""
[[sources]]
id = "{sid}"
kind = "json"
url = "{web.url('/api')}"
items = "results"
next = "next"
item_kind = "vacancy"
allow_private_network = true
[sources.http]
delay = {delay}
retries = 0
obey_robots = false
[sources.fields]
id = "id"
title = "title"
postcode = "pc"
"""


def _config(tmp_path, text: str, max_concurrency: int, processes: int = 1):
    p = tmp_path / f"sources-{max_concurrency}-{processes}.toml"
    p.write_text(f"[settings]\nmax_concurrency = {max_concurrency}\nprocesses = {processes}\n" + text,
                 encoding="utf-8")
    return load_config(p)


def _run(cfg, engine, **kw):
    pipe = Pipeline(cfg, engine)
    try:
        reports = pipe.run(**kw)
        assert (pipe.workers is not None) == (cfg.settings.processes > 1)
        return reports
    finally:
        pipe.close()


@pytest.mark.parametrize("processes", [1, 2])
def test_two_hosts_fetched_at_once_while_each_host_keeps_its_delay(tmp_path, sqlite_url, processes):
    # two sources on host 127.0.0.2, one on 127.0.0.3: the two hosts overlap in time, the two
    # sources sharing 127.0.0.2 take turns on it, DELAY apart (server-side arrival times), also
    # when the sources are crawled in two worker processes (the pacing run directory is shared)
    with LocalWeb("127.0.0.2") as a1, LocalWeb("127.0.0.2") as a2, LocalWeb("127.0.0.3") as b:
        for w, prefix in ((a1, "a1"), (a2, "a2"), (b, "b")):
            _paged_api(w, prefix)
        cfg = _config(tmp_path, _source("a-een", a1) + _source("a-twee", a2) + _source("b", b), 8, processes)
        reports = _run(cfg, make_engine(sqlite_url))
        assert [r.status for r in reports] == ["ok", "ok", "ok"]
        assert [r.inserted for r in reports] == [2 * PAGES] * 3
        host_a = sorted(r.at for r in a1.log + a2.log)
        host_b = sorted(r.at for r in b.log)
    assert len(host_a) == 2 * PAGES and len(host_b) == PAGES
    gaps = [y - x for x, y in itertools.pairwise(host_a)]
    assert min(gaps) >= DELAY, gaps  # one host: one request at a time, DELAY apart
    # the hosts overlapped: host b's requests came while host a's were still being made
    assert host_b[0] < host_a[-1] and host_a[0] < host_b[-1]
    assert any(host_a[0] < t < host_a[-1] for t in host_b)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_failing_source_among_concurrent_ones_is_contained(tmp_path, db_url, processes):
    with LocalWeb("127.0.0.2") as good1, LocalWeb("127.0.0.3") as bad, LocalWeb("127.0.0.4") as good2:
        _paged_api(good1, "g1")
        _paged_api(bad, "x", fail=True)
        _paged_api(good2, "g2")
        cfg = _config(tmp_path, _source("goed-een", good1, 0.01) + _source("stuk", bad, 0.01)
                      + _source("goed-twee", good2, 0.01), 3, processes)
        engine = make_engine(db_url)
        reports = _run(cfg, engine)
    by_id = {r.source_id: r for r in reports}
    assert [r.source_id for r in reports] == ["goed-een", "stuk", "goed-twee"]  # config order
    assert by_id["stuk"].status == "failed" and "'stuk'" in by_id["stuk"].error and "500" in by_id["stuk"].error
    assert by_id["goed-een"].status == by_id["goed-twee"].status == "ok"
    with engine.connect() as conn:
        sources = [r.source_id for r in conn.execute(select(ItemRow.source_id))]
    assert sorted(set(sources)) == ["goed-een", "goed-twee"] and len(sources) == 4 * PAGES


SKIP = {"first_seen", "last_seen", "updated_at", "status_changed_at", "last_run_id"}


def _timeless(value):
    """A bundled item without the crawl's clock readings."""
    if isinstance(value, dict):
        return {k: _timeless(v) for k, v in value.items() if k not in SKIP}
    if isinstance(value, list):
        return [_timeless(v) for v in value]
    return value


def _stored(engine) -> tuple[list, list]:
    with engine.connect() as conn:
        items = sorted(tuple((k, v) for k, v in r._mapping.items() if k not in SKIP)
                       for r in conn.execute(select(ItemRow)))
        clusters = sorted((c.id, c.member_count, c.buurt_code, json.dumps(_timeless(json.loads(c.bundled))))
                          for c in conn.execute(select(ClusterRow).where(ClusterRow.status == "active")))
    return items, clusters


def test_sequential_concurrent_and_multi_process_runs_store_the_same(tmp_path):
    web = build_demo_web(today=datetime.now(TZ).date()).start()
    try:
        text = demo_config_text(web.url(""))
        assert "[settings]" in text
        results = []
        for n, processes in ((1, 1), (8, 1), (8, 2)):
            cfg_path = tmp_path / f"demo-{n}-{processes}.toml"
            cfg_path.write_text(text.replace("[settings]", f"[settings]\nmax_concurrency = {n}\n"
                                             f"processes = {processes}", 1), encoding="utf-8")
            cfg = load_config(cfg_path)
            assert (cfg.settings.max_concurrency, cfg.settings.processes) == (n, processes)
            engine = make_engine(f"sqlite:///{tmp_path / f'tim-{n}-{processes}.db'}")
            reports = _run(cfg, engine)
            results.append(([(r.source_id, r.status, r.fetched, r.inserted, r.failed) for r in reports],
                            _stored(engine)))
            engine.dispose()
    finally:
        web.stop()
    (seq_reports, seq_store), *others = results
    assert len(seq_store[0]) > 50
    for reports, store in others:
        assert reports == seq_reports
        assert store == seq_store


def test_a_worker_process_that_dies_fails_only_its_own_source(tmp_path, sqlite_url):
    # three sources in two worker processes; when only the source "hangt" is left in flight, its
    # process is killed: that run fails and says so, the others are stored, and the next run
    # (in a replacement process) stores "hangt" too
    hang = threading.Event()
    hang.set()
    with LocalWeb("127.0.0.2") as good1, LocalWeb("127.0.0.3") as slow, LocalWeb("127.0.0.4") as good2:
        _paged_api(good1, "g1")
        _paged_api(good2, "g2")
        _paged_api(slow, "h")
        quick = slow.routes["/api"]

        def hanging(req):
            while hang.is_set():
                time.sleep(0.02)
            return quick(req)

        slow.route("/api", hanging)
        cfg = _config(tmp_path, _source("goed-een", good1, 0.01) + _source("hangt", slow, 0.01)
                      + _source("goed-twee", good2, 0.01), 3, processes=2)
        engine = make_engine(sqlite_url)
        pipe = Pipeline(cfg, engine)
        try:
            assert pipe.start_workers()
            before = set(pipe.workers.pids)
            killed = []

            def killer():
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    running = pipe.workers.running()
                    left = [(pid, t[0]) for pid, tasks in running.items() for t in tasks]
                    if left == [] or len(left) > 1 or left[0][1] != "hangt" or not slow.log:
                        time.sleep(0.01)
                        continue
                    os.kill(left[0][0], signal.SIGKILL)
                    killed.append(left[0][0])
                    return

            t = threading.Thread(target=killer)
            t.start()
            reports = {r.source_id: r for r in pipe.run()}
            t.join()
            hang.clear()
            assert len(killed) == 1
            assert reports["hangt"].status == "failed"
            assert "'hangt'" in reports["hangt"].error and "killed by signal 9" in reports["hangt"].error
            assert reports["goed-een"].status == reports["goed-twee"].status == "ok"
            with engine.connect() as conn:
                stored = Counter(r.source_id for r in conn.execute(select(ItemRow.source_id)))
                run = conn.execute(select(RunRow).where(RunRow.id == reports["hangt"].run_id)).one()
            assert stored == {"goed-een": 2 * PAGES, "goed-twee": 2 * PAGES}
            assert run.status == "failed" and "killed by signal 9" in run.error
            again = {r.source_id: r for r in pipe.run()}
            assert {r.status for r in again.values()} <= {"ok", "not_modified"}
            assert again["hangt"].inserted == 2 * PAGES
            assert killed[0] not in pipe.workers.pids and len(pipe.workers.pids) == 2
            assert set(pipe.workers.pids) != before
        finally:
            hang.clear()
            pipe.close()


def test_progress_of_sources_in_worker_processes_reaches_the_caller(tmp_path, sqlite_url):
    with LocalWeb("127.0.0.2") as a, LocalWeb("127.0.0.3") as b:
        _paged_api(a, "a")
        _paged_api(b, "b")
        cfg = _config(tmp_path, _source("a", a, 0.01) + _source("b", b, 0.01), 2, processes=2)
        events = []
        reports = _run(cfg, make_engine(sqlite_url), progress=events.append)
    assert [r.status for r in reports] == ["ok", "ok"]
    finished = [e for e in events if e.event == "step_finished"]
    assert sorted(e.current for e in finished) == ["a", "b"]
    assert events[-1].event == "finished" and events[-1].records == 4 * PAGES  # relayed from the children


def test_pacing_is_shared_between_processes_through_the_run_directory(tmp_path):
    # two pacers on one directory stand for two processes: their turns on one host interleave
    import threading
    import time

    one, two = HostPacer(tmp_path), HostPacer(tmp_path)
    stamps: list[tuple[float, float]] = []

    def fetch(pacer):
        for _ in range(3):
            with pacer.turn("voorbeeld.nl", 0.1):
                start = time.monotonic()
                time.sleep(0.02)
                stamps.append((start, time.monotonic()))

    threads = [threading.Thread(target=fetch, args=(p,)) for p in (one, two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stamps.sort()
    assert len(stamps) == 6
    assert all(b[0] - a[1] >= 0.1 for a, b in itertools.pairwise(stamps)), stamps
    two.pause("voorbeeld.nl", 0.3)
    asked = time.monotonic()
    with one.turn("voorbeeld.nl", 0.0):
        assert time.monotonic() - asked >= 0.29  # a pause set by the other one holds here too


def test_scrapy_subprocess_and_httpx_share_one_host_delay(tmp_path, sqlite_url):
    # an html source (Scrapy, in its own process) and a json source (httpx, in this process)
    # on the same host, crawled at once: every request to the host is DELAY after the previous
    from tests.crawlers.sites import vacancy_bank

    with LocalWeb("127.0.0.5") as web:
        vacancy_bank(web)
        _paged_api(web, "j")
        html = f"""
[[sources]]
id = "bank"
kind = "html"
url = "{web.url('/vacatures')}"
item_kind = "vacancy"
follow = "a.vacature"
next = "li.next a"
allow_private_network = true
[sources.http]
delay = {DELAY}
obey_robots = false
[sources.fields]
title = "h1::text"
"""
        cfg = _config(tmp_path, html + _source("api", web), 2)
        reports = Pipeline(cfg, make_engine(sqlite_url)).run()
        times = sorted(r.at for r in web.log)
        paths = {r.path for r in web.log}
    assert [r.status for r in reports] == ["ok", "ok"], [r.error for r in reports]
    assert "/api" in paths and "/vacatures" in paths and len(times) > PAGES + 3
    gaps = [y - x for x, y in itertools.pairwise(times)]
    assert min(gaps) >= DELAY - 0.01, gaps
