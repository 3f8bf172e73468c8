"""Source runs on the job queue (issue #12): three ``tim worker`` processes on RabbitMQ execute 60
queued runs of 10 local sources; one worker is SIGKILLed mid-run. Every job completes exactly
once, no source ever runs twice at the same time, the dead worker's run is retried by another
(and its run rows show it), and the data equals a single-process run of the same 60 runs."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter

import pytest
from sqlalchemy import select

from tim.config import load_config
from tim.exports import export
from tim.pipeline import Pipeline
from tim.scheduler.queue import dedup_pending, open_queue
from tim.store.db import make_engine
from tim.store.tables import RunRow

from ..conftest import fresh_database
from .sites import ADDRESSES, JsonSite, json_source, wait_for, write_config

N_SOURCES, ROUNDS, WORKERS = 10, 6, 3
BROKER = os.environ.get("TIM_TEST_BROKER", "amqp://guest:guest@127.0.0.1:5672/%2F")
TIME_COLUMNS = {"first_seen", "last_seen", "modified_at", "updated_at", "status_changed_at"}


def _rabbit_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def queue_name():
    if not _rabbit_reachable():
        if os.environ.get("TIM_REQUIRE_PG") == "1":
            pytest.fail("RabbitMQ at 127.0.0.1:5672 is required in CI but unreachable")
        pytest.skip("RabbitMQ not reachable on 127.0.0.1:5672")
    name = "tim-test-" + uuid.uuid4().hex[:10]
    yield name
    import pika

    conn = pika.BlockingConnection(pika.URLParameters(BROKER))
    ch = conn.channel()
    for q in (name, f"{name}.DQ", f"{name}.XQ"):
        ch.queue_delete(q)
    conn.close()


def _records(sid: int) -> list[dict]:
    return [{"id": f"s{sid}-r{n}", "titel": f"Klus {n} voor buurtproject {sid}", "omschrijving": "Help mee.",
             "adres": ADDRESSES[(sid + n) % len(ADDRESSES)]} for n in range(4)]


def _sites(web, tmp_path, name: str):
    sources = []
    for i in range(N_SOURCES):
        site = JsonSite(web, f"/api/{i}", _records(i), delay=0.4)
        sources.append(json_source(f"bron-{i}", site.url))
    return write_config(tmp_path / name, sources)


def _start_worker(queue: str, log_path):
    env = dict(os.environ, TIM_LEASE_SECONDS="3", PYTHONUNBUFFERED="1")
    out = open(log_path, "wb")  # noqa: SIM115  (closed with the process)
    proc = subprocess.Popen([sys.executable, "-m", "tim", "worker", "--threads", "2", "--broker", BROKER,
                             "--queue", queue], stdout=out, stderr=subprocess.STDOUT, env=env)
    return proc, out


def _dataset(engine, config, tmp_path, name):
    """Raw and bundled JSONL exports without the wall-clock columns."""
    rows = {}
    for raw in (True, False):
        path = tmp_path / f"{name}-{raw}.jsonl"
        export(engine, "jsonl", path, raw=raw, config=config)
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        rows[raw] = sorted(json.dumps({k: v for k, v in d.items() if k not in TIME_COLUMNS}, sort_keys=True)
                           for d in lines)
    return rows


def test_three_workers_sixty_runs_one_killed(web, tmp_path, queue_name):
    cfg_path = _sites(web, tmp_path, "sources.toml")
    config = load_config(cfg_path)
    with fresh_database("postgresql", tmp_path) as url:
        engine = make_engine(url)
        workers = [_start_worker(queue_name, tmp_path / f"worker-{i}.log") for i in range(WORKERS)]
        q = open_queue(BROKER, queue_name)
        try:
            jobs = {}
            for _ in range(ROUNDS):
                for s in config.sources:
                    jobs[q.enqueue_run(s.id, cfg_path, url, deadline_s=60)] = s.id
            t = RunRow.__table__

            def runs():
                with engine.connect() as conn:
                    return conn.execute(select(t).order_by(t.c.id)).all()

            # SIGKILL the first worker seen in the middle of a run
            def running_victim():
                pids = {str(p.pid): p for p, _ in workers}
                for r in runs():
                    if r.status == "running" and r.worker and r.worker.split(":")[-1] in pids:
                        return pids[r.worker.split(":")[-1]], r
                return None

            victim, victim_run = wait_for(running_victim, 60, "a worker running a source")
            victim.send_signal(signal.SIGKILL)
            victim.wait(10)

            def all_done():
                done = {r.job_id for r in runs() if r.status not in ("running", "interrupted")}
                return done >= set(jobs) and not dedup_pending(engine)

            try:
                wait_for(all_done, 150, "every job to finish and the last re-clustering pass", interval=0.5)
            except AssertionError:
                left = [(jobs[j], j, [(r.id, r.status, r.worker) for r in runs() if r.job_id == j])
                        for j in jobs if not any(r.job_id == j and r.status not in ("running", "interrupted")
                                                 for r in runs())]
                raise AssertionError(f"killed {victim_run.worker} in run {victim_run.id}; unfinished: {left}; "
                                     f"dedup pending: {dedup_pending(engine)}") from None
            all_runs = runs()
        finally:
            q.close()
            for proc, out in workers:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            for proc, out in workers:
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                out.close()

        logs = "".join((tmp_path / f"worker-{i}.log").read_text(errors="replace") for i in range(WORKERS))
        # every job completed exactly once
        completed = Counter(r.job_id for r in all_runs if r.status not in ("running", "interrupted"))
        assert set(completed) == set(jobs) and set(completed.values()) == {1}, completed
        finished = [r for r in all_runs if r.status != "interrupted"]
        assert len(finished) == N_SOURCES * ROUNDS
        assert all(r.status in ("ok", "not_modified") for r in finished), \
            [(r.source_id, r.status, r.error) for r in finished if r.status not in ("ok", "not_modified")]
        # the killed worker's run was retried by another worker, and the rows say so
        dead = next(r for r in all_runs if r.id == victim_run.id)
        assert dead.status == "interrupted" and f"worker {victim_run.worker} died" in dead.error
        retry = next(r for r in all_runs if r.retry_of == dead.id)
        assert retry.job_id == dead.job_id and retry.attempt == dead.attempt + 1
        assert retry.status in ("ok", "not_modified")
        assert retry.worker != dead.worker
        assert f"dead_run={dead.id} dead_worker={victim_run.worker}" in logs
        # no source ever ran twice at the same time
        by_source: dict[str, list] = {}
        for r in all_runs:
            by_source.setdefault(r.source_id, []).append((r.started_at, r.finished_at))
        for sid, spans in by_source.items():
            spans.sort()
            for (s1, f1), (s2, _f2) in zip(spans, spans[1:]):
                assert f1 <= s2, f"{sid} ran twice at once: {s1}-{f1} and {s2}"
        # all three workers did work; the survivors finished the dead one's share
        assert len({r.worker for r in all_runs}) == WORKERS
        distributed = _dataset(engine, config, tmp_path, "queue")
        engine.dispose()

    # the same 60 runs in one process give the same data
    with fresh_database("sqlite", tmp_path / "single") as single_url:
        (tmp_path / "single").mkdir(exist_ok=True)
        single = make_engine(single_url)
        pipe = Pipeline(config, single)
        for _ in range(ROUNDS):
            for s in config.sources:
                pipe.run_source(s)
        pipe.dedup()
        assert _dataset(single, config, tmp_path, "single") == distributed
        assert len(distributed[True]) == N_SOURCES * 4
        single.dispose()


def test_scheduler_role_only_enqueues_and_a_worker_runs(web, tmp_path, queue_name):
    """``tim run --role scheduler`` puts due runs on the queue (runs nothing itself); a worker
    (here in a thread of the test) executes them; the lease keeps a second message of the same
    source waiting until the first run is over."""
    import threading

    import pika

    from tim.scheduler.queue import run_worker
    from tim.scheduler.service import Service

    sites = [JsonSite(web, f"/s/{i}", _records(i), delay=0.3) for i in range(2)]
    cfg_path = write_config(tmp_path / "sources.toml", [json_source(f"bron-{i}", s.url) for i, s in enumerate(sites)])
    config = load_config(cfg_path)
    url = f"sqlite:///{tmp_path / 'tim.db'}"
    q = open_queue(BROKER, queue_name)
    service = Service(config, cfg_path, url,
                      enqueue=lambda sid: q.enqueue_run(sid, cfg_path, url, deadline_s=30))
    service.start(paused=True)
    try:
        service.resume()
        # both sources never ran, so both are due at once; then one more run of bron-0 now
        wait_for(lambda: service.finished["bron-0"] and service.finished["bron-1"], 20, "both due runs enqueued")
        service.run_now("bron-0")
        wait_for(lambda: service.finished["bron-0"] >= 2, 20, "the extra bron-0 run enqueued")
        conn = pika.BlockingConnection(pika.URLParameters(BROKER))
        waiting = conn.channel().queue_declare(queue_name, passive=True).method.message_count
        conn.close()
        assert waiting == 3
        engine = make_engine(url)
        with engine.connect() as c:
            assert c.execute(select(RunRow.__table__)).all() == []  # the scheduler ran nothing
    finally:
        service.stop(grace=0)
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(BROKER, queue_name, 2, stop), daemon=True)
    worker.start()
    try:
        t = RunRow.__table__

        def done():
            with engine.connect() as c:
                rows = c.execute(select(t).order_by(t.c.id)).all()
            return rows if len([r for r in rows if r.status != "running"]) == 3 else None

        rows = wait_for(done, 60, "the worker to run the three queued jobs")
    finally:
        stop.set()
        worker.join(30)
        q.close()
    assert sorted(r.source_id for r in rows) == ["bron-0", "bron-0", "bron-1"]
    assert all(r.status in ("ok", "not_modified") for r in rows)
    b0 = [r for r in rows if r.source_id == "bron-0"]
    assert b0[0].finished_at <= b0[1].started_at  # the second bron-0 job waited for the first
    assert all(r.job_id and r.attempt == 1 and r.worker for r in rows)
    engine.dispose()
