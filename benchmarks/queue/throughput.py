"""Job-queue throughput: source runs per second with 1, 2 and 3 ``tim worker`` processes, against
the single-process baseline (``Pipeline.run_source`` in a loop) measured in the same run.

    python benchmarks/queue/throughput.py [--sources 12] [--rounds 5] [--latency 0.3]
        [--threads 1] [--db postgresql://postgres@127.0.0.1:5432/test] [--broker amqp://...]

Each source is a JSON API on 127.0.0.1 with ``--records`` records that answers after
``--latency`` seconds (a remote site's response time). Every worker count gets a fresh
PostgreSQL schema and a fresh queue; the clock runs from the first enqueue to the last finished
run (re-clustering passes included). Prints runs/s and the ratio to the baseline and to one
worker. No assertions: figures only.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import func, select

from tim.config import load_config
from tim.demo.web import LocalWeb, Response
from tim.pipeline import Pipeline
from tim.scheduler.queue import dedup_pending, open_queue
from tim.store.db import make_engine
from tim.store.tables import RunRow

ADDRESSES = ["Brusselsestraat 38, 6211 PG Maastricht", "Boschstraat 1, 6211 AS Maastricht",
             "Wycker Brugstraat 2, 6221 EC Maastricht", "Hoogbrugstraat 10, 6221 CP Maastricht"]


def serve_sources(web: LocalWeb, n: int, records: int, latency: float) -> list[str]:
    urls = []
    for i in range(n):
        body = json.dumps({"data": {"results": [
            {"id": f"s{i}-r{k}", "titel": f"Klus {k} voor project {i}", "omschrijving": "Help mee in de buurt.",
             "adres": ADDRESSES[(i + k) % len(ADDRESSES)]} for k in range(records)]}})

        def handler(_req, body=body):
            time.sleep(latency)
            return Response(body, content_type="application/json")

        web.route(f"/api/{i}", handler)
        urls.append(web.url(f"/api/{i}"))
    return urls


def write_config(path: Path, urls: list[str]) -> Path:
    parts = ["[settings]\ndelay = 0\nretries = 0\n\n[scheduler]\njitter_seconds = 0\n"]
    for i, url in enumerate(urls):
        parts.append(f'\n[[sources]]\nid = "bron-{i}"\nkind = "json"\nurl = "{url}"\nitems = "data.results"\n'
                     f'allow_private_network = true\n[sources.fields]\nid = "id"\ntitle = "titel"\n'
                     f'description = "omschrijving"\naddress = "adres"\n')
    path.write_text("".join(parts), encoding="utf-8")
    return path


class Schema:
    """A fresh PostgreSQL schema for one measurement."""

    def __init__(self, base: str):
        self.base, self.name = base, "bench_" + uuid.uuid4().hex[:10]

    def __enter__(self) -> str:
        with psycopg.connect(self.base, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {self.name}")
        sep = "&" if "?" in self.base else "?"
        return f"{self.base}{sep}options=-csearch_path%3D{self.name}"

    def __exit__(self, *exc) -> None:
        with psycopg.connect(self.base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {self.name} CASCADE")


def baseline(config, db_base: str, rounds: int) -> float:
    with Schema(db_base) as url:
        engine = make_engine(url)
        pipe = Pipeline(config, engine)
        pipe.locator  # noqa: B018  (loaded before the clock starts, as a worker has it loaded)
        start = time.perf_counter()
        for _ in range(rounds):
            for s in config.sources:
                pipe.run_source(s)
            pipe.dedup()
        seconds = time.perf_counter() - start
        engine.dispose()
    return seconds


def with_workers(k: int, config, cfg_path: Path, db_base: str, broker: str, rounds: int, threads: int) -> float:
    queue = "tim-bench-" + uuid.uuid4().hex[:8]
    with Schema(db_base) as url:
        engine = make_engine(url)
        procs = [subprocess.Popen([sys.executable, "-m", "tim", "worker", "--threads", str(threads), "--broker", broker,
                                   "--queue", queue], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  env=dict(os.environ)) for _ in range(k)]
        q = open_queue(broker, queue)
        try:
            time.sleep(4)  # let the workers start (import, connect) before the clock runs
            total = rounds * len(config.sources)
            start = time.perf_counter()
            for _ in range(rounds):
                for s in config.sources:
                    q.enqueue_run(s.id, cfg_path, url, deadline_s=120)
            t = RunRow.__table__
            while True:
                with engine.connect() as conn:
                    done = conn.execute(select(func.count()).select_from(t).where(t.c.status != "running")).scalar_one()
                if done >= total and not dedup_pending(engine):
                    break
                time.sleep(0.05)
            seconds = time.perf_counter() - start
        finally:
            for p in procs:
                p.send_signal(signal.SIGTERM)
            for p in procs:
                p.wait(30)
            q.close()
            import pika

            conn = pika.BlockingConnection(pika.URLParameters(broker))
            ch = conn.channel()
            for name in (queue, f"{queue}.DQ", f"{queue}.XQ"):
                ch.queue_delete(name)
            conn.close()
            engine.dispose()
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=12)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--records", type=int, default=20)
    ap.add_argument("--latency", type=float, default=0.3, help="seconds each source takes to answer")
    ap.add_argument("--threads", type=int, default=1, help="worker threads per tim worker")
    ap.add_argument("--workers", default="1,2,3")
    ap.add_argument("--db", default="postgresql://postgres@127.0.0.1:5432/test")
    ap.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672/%2F")
    args = ap.parse_args()
    web = LocalWeb().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cfg_path = write_config(Path(tmp) / "sources.toml",
                                    serve_sources(web, args.sources, args.records, args.latency))
            config = load_config(cfg_path)
            runs = args.sources * args.rounds
            print(f"{runs} runs: {args.sources} sources x {args.rounds} rounds, {args.records} records each, "
                  f"{args.latency:g} s response time; PostgreSQL; {os.cpu_count()} CPU cores")
            base = baseline(config, args.db, args.rounds)
            print(f"single process (baseline): {base:6.2f} s  {runs / base:6.2f} runs/s")
            one = None
            for k in (int(x) for x in args.workers.split(",")):
                s = with_workers(k, config, cfg_path, args.db, args.broker, args.rounds, args.threads)
                one = one or s
                print(f"{k} worker(s) x {args.threads} thread(s): {s:6.2f} s  {runs / s:6.2f} runs/s  "
                      f"x{base / s:4.2f} vs baseline  x{one / s:4.2f} vs 1 worker")
    finally:
        web.stop()


if __name__ == "__main__":
    main()
