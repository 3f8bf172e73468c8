"""Benchmark of issue 7: with 50,000 items in the store, requests/s of a buurt's ``feed.json`` and
of a ``/changes`` page (uvicorn in a subprocess on 127.0.0.1, load from ``wrk`` when installed,
else a bounded httpx loop in threads), and the time of a full CSV export. Prints figures; asserts
nothing. Targets: >= 500 requests/s, export < 5 s.

    python benchmarks/feeds/run.py [--items 50000] [--seconds 10] [--db sqlite:///bench.db]

Items are generated and stored through the store's own functions (``store.items.apply_run``,
then ``store.clusters.recluster``, the real de-duplication), spread over the 44 buurten.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

KINDS = ["event", "vacancy", "participation", "network", "initiative", "news"]
WORDS = ["buurt", "koffie", "repair", "tuin", "wandeling", "taal", "huiswerk", "bingo", "muziek", "sport", "yoga", "markt", "kunst", "film", "voorlezen", "fiets", "boodschappen", "computer", "soep", "maaltijd", "kinderen", "senioren", "jongeren", "natuur"]


def generate(engine, n: int, sources: int = 10) -> None:
    """``n`` items from ``sources`` sources, stored and bundled through the store functions."""
    from shapely.geometry import shape

    from tim.config import Config
    from tim.feeds.areas import load_buurten
    from tim.records import GeoResult, Item
    from tim.store.clusters import recluster
    from tim.store.items import apply_run

    rng = random.Random(7)
    buurten = load_buurten()
    points = [(b, shape(b.geometry).representative_point()) for b in buurten]
    now = datetime.now(UTC).replace(microsecond=0)
    per = n // sources
    for s in range(sources):
        sid = f"bron-{s:02d}"
        items = []
        for k in range(per):
            b, pt = points[rng.randrange(len(points))] if rng.random() > 0.05 else (None, None)
            kind = KINDS[rng.randrange(len(KINDS))]
            words = " ".join(rng.sample(WORDS, 3))
            start = now + timedelta(days=rng.randint(1, 120), hours=rng.randint(8, 20)) if kind == "event" else None
            geo = (GeoResult(method="source_coordinates", confidence=0.9, lat=pt.y, lon=pt.x, buurt_code=b.code,
                             buurt_name=b.name, wijk_code=b.wijk_code) if b else GeoResult())
            item = Item(id=f"{sid}-{k:06d}", source_id=sid, source_key=str(k), kind=kind,
                        title=f"{words.capitalize()} {s}-{k}", description_text=f"Omschrijving {words} " * 8,
                        description_html=f"<p>Omschrijving <b>{words}</b></p>" * 4,
                        url=f"https://{sid}.example.org/item/{k}", organizer=f"Stichting {rng.choice(WORDS)}",
                        starts_at=start, ends_at=start + timedelta(hours=2) if start else None,
                        location_name=f"Buurthuis {b.name}" if b else None, lat=geo.lat, lon=geo.lon, geo=geo)
            item.content_hash = item.compute_content_hash()
            items.append(item)
        with engine.begin() as conn:
            apply_run(conn, sid, items, run_id=None, complete=False)
    config = Config()
    with engine.begin() as conn:
        recluster(conn, config.dedup, {})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_url: str, config_path: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "TIM_DB": db_url, "TIM_CONFIG": str(config_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tim.feeds.asgi:app_from_env", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env=env)
    import httpx

    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/buurten", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def load_wrk(url: str, seconds: int) -> tuple[float, str]:
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"99%\s+(\S+)", out)
    return rps, f"p99 {p99.group(1) if p99 else '?'}" + (f", {errors.group(1)} non-2xx" if errors else "")


def load_httpx(url: str, seconds: int, threads: int = 8) -> tuple[float, str]:
    import httpx

    counts, failures = [0] * threads, [0] * threads
    stop = time.monotonic() + seconds

    def worker(i: int) -> None:
        with httpx.Client(timeout=10) as client:
            while time.monotonic() < stop:
                r = client.get(url)
                counts[i] += 1
                failures[i] += r.status_code != 200

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    start = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(counts) / (time.monotonic() - start), f"{sum(failures)} failures"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=50_000)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--db", help="database URL (default: a fresh SQLite file in a temp dir)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    from sqlalchemy import func, select

    from tim.exports import export
    from tim.store.db import make_engine
    from tim.store.tables import ClusterRow, ItemRow

    tmp = Path(tempfile.mkdtemp(prefix="tim-bench-"))
    db_url = args.db or f"sqlite:///{tmp / 'bench.db'}"
    engine = make_engine(db_url)
    with engine.connect() as conn:
        have = conn.execute(select(func.count()).select_from(ItemRow)).scalar_one()
    if have < args.items:
        t = time.perf_counter()
        generate(engine, args.items)
        print(f"generated and bundled {args.items} items through the store in {time.perf_counter() - t:.1f} s")
    with engine.connect() as conn:
        clusters = conn.execute(select(func.count()).select_from(ClusterRow)).scalar_one()
        busiest = conn.execute(select(ClusterRow.buurt_code, func.count().label("n")).where(
            ClusterRow.buurt_code.is_not(None)).group_by(ClusterRow.buurt_code).order_by(func.count().desc())).first()
        mid = conn.execute(select(ClusterRow.change_seq, ClusterRow.id).order_by(ClusterRow.change_seq, ClusterRow.id)
                           .offset(clusters // 2).limit(1)).first()
    print(f"store: {clusters} bundled items; busiest buurt {busiest.buurt_code} with {busiest.n} items")

    from tim.feeds.cursor import encode_after

    tool = "wrk" if shutil.which("wrk") else "httpx (8 threads)"
    load = load_wrk if shutil.which("wrk") else load_httpx
    print(f"load tool: {tool}, {args.seconds} s per URL, server: uvicorn subprocess on 127.0.0.1")
    paths = {"buurt feed.json (100 entries)": f"/buurten/{busiest.buurt_code}/feed.json",
             "/changes page (100 entries)": f"/changes?after={encode_after(mid.change_seq, mid.id)}"}
    plain = tmp / "plain.toml"
    plain.write_text("", encoding="utf-8")
    nocache = tmp / "nocache.toml"
    nocache.write_text("[serve]\ncache_bytes = 0\n", encoding="utf-8")
    for label, cfg, workers in (("render cache on, 1 worker", plain, 1),
                                (f"render cache on, {args.workers} workers", plain, args.workers),
                                ("render cache off, 1 worker", nocache, 1)):
        proc, base = start_server(db_url, cfg, workers)
        try:
            for name, path in paths.items():
                rps, note = load(base + path, args.seconds)
                print(f"  {name:32s} {label:28s} {rps:8.0f} req/s  ({note})")
        finally:
            proc.terminate()
            proc.wait(15)

    target = tmp / "items.csv"
    t = time.perf_counter()
    n = export(engine, "csv", target)
    print(f"full CSV export: {n} rows, {target.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t:.2f} s "
          f"(with datapackage.json)")
    t = time.perf_counter()
    export(engine, "parquet", tmp / "items.parquet")
    print(f"full Parquet export: {n} rows in {time.perf_counter() - t:.2f} s")
    engine.dispose()
    if not args.db:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
