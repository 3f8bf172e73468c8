"""``tim serve`` reading while a crawl writes (issue 8 item 6), shared by the test (about 20 s) and
``benchmarks/security/concurrency.py`` (60 s, prints figures).

The demo sites and a ``ticker`` source whose titles change on every fetch are served on
127.0.0.1. ``tim serve`` runs as a subprocess on the SQLite file (WAL); this process crawls
(``Pipeline.run`` in a loop: every run updates items, re-bundles and advances the change feed)
while ``readers`` threads request the API and feeds as fast as they are answered. Nothing may
say "database is locked": not a reader's response, not the writer, not the server's log.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
URLS = ["/buurten", "/items?limit=50", "/feed.json", "/buurten/BU09350003/feed.atom", "/changes", "/stats",
        "/events.ics", "/items.geojson", "/buurten.geojson"]
TICKER = """
[[sources]]
id = "ticker"
kind = "json"
url = "{base}/ticker.json"
items = "items"
item_kind = "initiative"
allow_private_network = true
"""


@dataclass
class Figures:
    """What one concurrent run measured."""

    seconds: float = 0.0
    reads: int = 0
    writes: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    locked: int = 0
    """Mentions of "database is locked" anywhere: responses, writer, server log."""
    item_versions: int = 0
    """Distinct bodies of ``/items?limit=50`` the readers saw (> 1: they read while it changed)."""

    def summary(self) -> str:
        lat = sorted(self.latencies) or [0.0]
        p95 = lat[int(0.95 * (len(lat) - 1))]
        return (f"{self.seconds:.0f}s: {self.reads} reads ({self.reads / max(self.seconds, 1e-9):.0f}/s), "
                f"{self.writes} complete crawls, latency p50 {statistics.median(lat) * 1000:.0f} ms, "
                f"p95 {p95 * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms; {self.item_versions} versions of "
                f"/items seen; errors {len(self.errors)}, 'database is locked' {self.locked}")


def _ticker_site(web) -> None:
    from tim.demo.web import Response

    counter = {"n": 0}

    def ticker(_req):
        counter["n"] += 1
        items = [{"id": f"tik-{i}", "title": f"Buurtnieuws {i} (versie {counter['n']})",
                  "address": "Brusselsestraat 38, 6211 PG Maastricht"} for i in range(5)]
        return Response(json.dumps({"items": items}), content_type="application/json")

    web.route("/ticker.json", ticker)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(seconds: float, workdir: Path, readers: int = 4, locator=None) -> Figures:
    """Serve, crawl and read for ``seconds``; return the figures (asserts nothing)."""
    import tomllib

    from tim.config import Config
    from tim.demo.sites import build_demo_web, demo_config_text
    from tim.pipeline import Pipeline
    from tim.store.db import make_engine

    workdir = Path(workdir)
    web = build_demo_web()
    _ticker_site(web)
    web.start()
    figures, lock = Figures(), threading.Lock()
    server = None
    try:
        text = demo_config_text(web.url(""), kinds={"rss", "ical", "json", "jsonld"}) + TICKER.format(
            base=web.url("").rstrip("/"))
        cfg_path = workdir / "sources.toml"
        cfg_path.write_text(text, encoding="utf-8")
        db_url = f"sqlite:///{workdir / 'tim.db'}"
        engine = make_engine(db_url)
        pipe = Pipeline(Config.model_validate(tomllib.loads(text)), engine, locator=locator)
        pipe.run()
        port = _free_port()
        log = (workdir / "serve.log").open("w+b")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
        server = subprocess.Popen([sys.executable, "-c", "from cli.main import app; app()", "serve", "--db", db_url,
                                   "--config", str(cfg_path), "--port", str(port)],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, server)
        stop = time.monotonic() + seconds
        bodies: set[str] = set()

        def writer() -> None:
            while time.monotonic() < stop:
                try:
                    reports = pipe.run()
                except Exception as exc:  # noqa: BLE001  (recorded, the test decides)
                    with lock:
                        figures.errors.append(f"writer: {type(exc).__name__}: {exc}")
                    return
                bad = [f"writer: {r.source_id} {r.status}: {r.error}" for r in reports
                       if r.status not in ("ok", "not_modified")]
                with lock:
                    figures.errors += bad
                    figures.writes += 1

        def reader(i: int) -> None:
            with httpx.Client(base_url=base, timeout=30) as client:
                k = i
                while time.monotonic() < stop:
                    url = URLS[k % len(URLS)]
                    k += 1
                    started = time.monotonic()
                    try:
                        r = client.get(url)
                    except httpx.HTTPError as exc:
                        with lock:
                            figures.errors.append(f"reader {i}: {url}: {type(exc).__name__}: {exc}")
                        continue
                    with lock:
                        figures.latencies.append(time.monotonic() - started)
                        figures.reads += 1
                        if r.status_code != 200:
                            figures.errors.append(f"reader {i}: {url} -> {r.status_code} {r.text[:200]}")
                        if url == "/items?limit=50":
                            bodies.add(hashlib.sha256(r.content).hexdigest())

        started = time.monotonic()
        threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader, args=(i,))
                                                       for i in range(readers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 120)
        figures.seconds = time.monotonic() - started
        figures.item_versions = len(bodies)
        engine.dispose()
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        web.stop()
    server_log = (workdir / "serve.log").read_text(encoding="utf-8", errors="replace")
    if "Traceback" in server_log:
        figures.errors.append("server: " + server_log[-2000:])
    figures.locked = sum(e.count("database is locked") for e in figures.errors) + server_log.count("database is locked")
    return figures


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"tim serve exited with {server.returncode}")
        try:
            if httpx.get(base + "/buurten", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("tim serve did not come up within 30 s")
