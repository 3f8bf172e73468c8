"""Scale benchmark of the whole pipeline on a synthetic source web (issue #11).

    python benchmarks/run.py --items 2000 [--hosts 20] [--delay 0] [--db URL] [--concurrency 8]
                             [--processes CORES] [--listing-only]

Serves ``benchmarks/scale/synthweb.py``'s world on 127.0.0.2, 127.0.0.3, ... (a child process),
then, in this process with the geo data loaded once: a first ``Pipeline.run`` into a fresh
database (SQLite file by default; ``--db postgresql://...`` uses a fresh schema there), an
unchanged re-run, a run after 1% of the items changed, and a baseline of the same documents
fetched with httpx and parsed with feedparser / icalendar / json / extruct (sitemaps with Scrapy's
``Sitemap``), nothing stored, in a process of its own. Peak RSS (and ``peak_rss_mb`` of the RESULT
line) is this process plus its other pipeline processes (worker processes, Scrapy services), measured
before the baseline; not the synthetic web server, nor the baseline's process (printed apart). The
re-runs use the same ``Pipeline`` (warm, as the scheduler's long-lived one). With ``--processes``
above 1 (default: the number of cores) the pipeline crawls in that many warm worker processes
(``[settings] processes``), started before the first run and timed on the start-up line; the
baseline stays one process. Stage times are summed over the worker threads of every process. Prints wall times and items/s, time per stage, peak RSS, database size,
geo accuracy and dedup F1 against the world's truth, the politeness bound with ``--delay``, and
as its last line exactly one ``RESULT ...`` line.
"""

from __future__ import annotations

import time

_T0 = time.monotonic()

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import uuid  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from itertools import combinations  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale.synthweb import SyntheticWeb  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

import tim.crawlers  # noqa: E402,F401  (their imports, extruct's and Scrapy's, are start-up: the
#                                       pipeline imports them lazily, in its first run otherwise)
from tim.config import load_config  # noqa: E402
from tim.geo import Locator  # noqa: E402
from tim.pipeline import Pipeline  # noqa: E402
from tim.store.db import make_engine  # noqa: E402
from tim.store.tables import ItemRow  # noqa: E402

STAGES = ("wait", "fetch", "parse", "normalise", "locate", "store", "dedup")
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid`` (workers, their Scrapy services, the web server)."""
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                for child in map(int, f.read().split()):
                    out += [child, *descendants(child)]
    except OSError:
        pass
    return out


def vm_hwm_mb(pid: int) -> float:
    """Peak resident memory of a live process (``VmHWM``), in MB."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return 0.0


def fresh_db(arg: str | None, tmp: Path):
    """(url, size function, cleanup) of a fresh database."""
    if not arg or arg.startswith("sqlite"):
        path = tmp / "bench.db" if not arg else Path(arg.split("///", 1)[1])
        for p in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
            p.unlink(missing_ok=True)

        def size() -> float:
            return sum(p.stat().st_size for p in (path, Path(str(path) + "-wal")) if p.exists()) / 1e6
        return f"sqlite:///{path}", size, lambda: None
    import psycopg

    base = arg.replace("postgresql+psycopg://", "postgresql://")
    schema = "bench_" + uuid.uuid4().hex[:10]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"

    def size() -> float:
        with psycopg.connect(base) as conn:
            row = conn.execute("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                               "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s "
                               "AND c.relkind IN ('r', 'm')", (schema,)).fetchone()
        return float(row[0]) / 1e6

    def cleanup() -> None:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    return url, size, cleanup


def run_once(pipe: Pipeline, label: str) -> tuple[float, list]:
    pipe.stage_seconds.clear()
    t, cpu = time.monotonic(), time.process_time()
    reports = pipe.run()
    wall, cpu = time.monotonic() - t, time.process_time() - cpu
    statuses = Counter(r.status for r in reports)
    counts = {k: sum(getattr(r, k) for r in reports) for k in ("fetched", "inserted", "updated", "unchanged", "failed")}
    stages = " ".join(f"{k}={pipe.stage_seconds.get(k, 0.0):.2f}" for k in STAGES)
    print(f"{label}: wall_s={wall:.2f} cpu_s={cpu:.2f} (this process) sources={len(reports)} statuses={dict(statuses)} {counts}")
    print(f"  stage seconds (summed over worker threads): {stages}")
    slow = sorted(reports, key=lambda r: -r.seconds)[:3]
    print("  slowest sources: " + ", ".join(f"{r.source_id} {r.seconds:.2f}s" for r in slow))
    html = {s.id for s in pipe.config.sources if s.kind == "html"}
    if html:  # the Scrapy-run sources (issue #11: one Scrapy service process instead of one per run)
        secs = sorted((r.seconds for r in reports if r.source_id in html), reverse=True)
        print(f"  html sources: {len(secs)} seconds_sum={sum(secs):.2f} max={secs[0]:.2f} "
              f"each={' '.join(f'{x:.2f}' for x in secs)}")
    return wall, reports


def accuracy(engine, world, ports) -> tuple[float, float, float, float, int]:
    """(geo accuracy, dedup precision, recall, F1, items found) against the world's truth."""
    fmt = {f"port{h}": p for h, p in ports.items()}
    truth_buurt = {u.format(**fmt): b for u, b in world.truth.items()}
    groups = [[u.format(**fmt) for u in g] for g in world.dup_groups]
    with engine.connect() as conn:
        rows = {r.url: r for r in conn.execute(select(ItemRow.url, ItemRow.buurt_code, ItemRow.cluster_id))}
    found = [u for u in truth_buurt if u in rows]
    geo_ok = sum(1 for u in found if rows[u].buurt_code == truth_buurt[u])
    clusters: dict[str, list[str]] = defaultdict(list)
    for u in found:
        if rows[u].cluster_id:
            clusters[rows[u].cluster_id].append(u)
    pred = {frozenset(p) for m in clusters.values() if len(m) > 1 for p in combinations(m, 2)}
    truth = {frozenset(p) for g in groups for p in combinations(g, 2)}
    tp = len(pred & truth)
    prec = tp / len(pred) if pred else 1.0
    rec = tp / len(truth) if truth else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return geo_ok / max(1, len(found)), prec, rec, f1, len(found)


def baseline(web: SyntheticWeb, workers: int) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of the same documents fetched with httpx and parsed
    (feedparser, icalendar, json, extruct) in a process of its own: what it allocates is not the
    pipeline's (in this process it would raise the pipeline's peak RSS). The process is started
    first; the seconds are those of the fetching and parsing only."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_baseline, (web.urls(), workers))


def _baseline(urls: list[tuple[str, str]], workers: int) -> tuple[float, float]:
    import extruct
    import feedparser
    import httpx
    import icalendar
    from scrapy.utils.sitemap import Sitemap

    local = __import__("threading").local()

    def one(job: tuple[str, str]) -> int:
        kind, url = job
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(trust_env=False, timeout=60)
        body = client.get(url).content
        if kind == "rss":
            return len(feedparser.parse(body).entries)
        if kind == "ical":
            return len(icalendar.Calendar.from_ical(body).walk("VEVENT"))
        if kind == "json":
            return len(json.loads(body)["data"]["results"])
        if url.endswith("/sitemap.xml"):  # the sitemap of a JSON-LD or HTML site
            return len(list(Sitemap(body)))
        return len(extruct.extract(body.decode("utf-8"), base_url=url, syntaxes=["json-ld", "microdata"],
                                   uniform=True)["json-ld"])

    t = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, urls))
    return time.monotonic() - t, vm_hwm_mb(os.getpid())  # ru_maxrss would keep the parent's RSS at fork


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=2000)
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--db", default=None, help="sqlite:///FILE (default: a temporary file) or postgresql://...")
    ap.add_argument("--concurrency", type=int, default=8, help="[settings] max_concurrency")
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="[settings] processes")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--listing-only", action="store_true",
                    help="no site publishes a sitemap with lastmod (the world before 2026-12-04)")
    args = ap.parse_args()
    if args.hosts < 1 or args.hosts > 250:
        ap.error("--hosts must be 1..250 (127.0.0.2 .. 127.0.0.251)")
    logging.basicConfig(level=logging.ERROR)
    imports_s = time.monotonic() - _T0
    tmp = Path(tempfile.mkdtemp(prefix="tim-bench-"))
    url, db_size, cleanup = fresh_db(args.db, tmp)
    try:
        with SyntheticWeb(args.items, args.hosts, args.seed, sitemaps=not args.listing_only) as web:
            world = web.world
            cfg_path = tmp / "sources.toml"
            cfg_path.write_text(world.config_text(web.ports, args.delay, args.concurrency, args.processes), encoding="utf-8")
            cfg = load_config(cfg_path)
            engine = make_engine(url)
            t = time.monotonic()
            locator = Locator.load(engine=engine, settings=cfg.geocoder)
            geo_s = time.monotonic() - t
            kinds = Counter(s.kind for s in world.sources)
            per_host = Counter(h for (h, _p) in world.documents(web.ports))
            print(f"world: items={world.items} sources={len(world.sources)} {dict(kinds)} hosts={args.hosts} "
                  f"sitemap_sites={sum(s.sitemap for s in world.sources)} "
                  f"documents={sum(per_host.values())} duplicate_groups={len(world.dup_groups)} db={url.split('?')[0]}")
            pipe = Pipeline(cfg, engine, locator=locator)
            t = time.monotonic()
            pooled = pipe.start_workers()
            workers_s = time.monotonic() - t
            print(f"startup (not in the times below): imports_s={imports_s:.2f} geo_load_s={geo_s:.2f} "
                  f"worker_processes={args.processes if pooled else 0} workers_start_s={workers_s:.2f}")

            first_s, _ = run_once(pipe, "first run")
            print(f"  items/s={world.items / first_s:.0f} peak_rss_mb={peak_rss_mb():.0f} (this process) "
                  f"db_mb={db_size():.1f}")
            geo, prec, rec, f1, found = accuracy(engine, world, web.ports)
            print(f"  truth: items_found={found}/{len(world.truth)} geo_accuracy={geo:.3f} "
                  f"(addresses are in the gazetteer; held-out figures: benchmarks/geo) "
                  f"dedup_precision={prec:.3f} recall={rec:.3f} f1={f1:.3f}")
            if args.delay > 0:
                bound = max(per_host.values()) * args.delay
                print(f"  politeness bound (busiest host {max(per_host.values())} requests x {args.delay}s) "
                      f"= {bound:.1f}s; first run {first_s:.1f}s = {first_s / bound:.2f}x the bound")

            unchanged_s, _ = run_once(pipe, "unchanged re-run")
            n = web.change(0.01)
            print(f"changed {n} items (1%)")
            one_s, _ = run_once(pipe, "1% changed run")
            # the pipeline's processes, before the baseline: its process is not the pipeline's
            own = peak_rss_mb()
            served = {web.pid, *descendants(web.pid)}
            helpers = [p for p in descendants(os.getpid()) if p not in served]
            workers_mb = sum(vm_hwm_mb(p) for p in helpers)
            web_mb = sum(vm_hwm_mb(p) for p in served)
            base_s, base_mb = baseline(web, args.concurrency)
            print(f"baseline (httpx + feedparser/icalendar/json/extruct, nothing stored, {args.concurrency} "
                  f"threads, one process of its own): wall_s={base_s:.2f} peak_rss_mb={base_mb:.0f} (not counted)")
            pipe.close()
            print(f"peak RSS: this process {own:.0f} MB + {len(helpers)} pipeline processes (workers, Scrapy services) "
                  f"{workers_mb:.0f} MB = "
                  f"{own + workers_mb:.0f} MB; synthetic web server (not counted) {web_mb:.0f} MB; "
                  f"db_mb={db_size():.1f}")
            own += workers_mb
            engine.dispose()
    finally:
        cleanup()
    print(f"RESULT items={world.items} first_s={first_s:.2f} unchanged_ratio={first_s / unchanged_s:.2f} "
          f"one_pct_ratio={first_s / one_s:.2f} baseline_ratio={first_s / base_s:.2f} peak_rss_mb={own:.0f}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
