"""Issue 8 item 6: ``tim serve`` reading while a crawl writes (SQLite in WAL mode): four readers
and a writer for 20 s (``TIM_CONCURRENCY_SECONDS=60`` gives the issue's full minute;
``benchmarks/security/concurrency.py`` prints figures for a 60 s run), no "database is locked",
no error response, and every reader sees a consistent store."""

from __future__ import annotations

import os
import socket
import threading
import time

import httpx
import pytest

from tim.config import Config
from tim.feeds import create_app
from tim.store.db import make_engine

from .conftest import make_client
from .seed import bundle, make_item, standard_set, store

SECONDS = float(os.environ.get("TIM_CONCURRENCY_SECONDS", "20"))
URLS = ["/buurten", "/items?limit=50", "/feed.json", "/buurten/BU09350000/feed.atom", "/changes", "/stats",
        "/events.ics", "/items.geojson"]


@pytest.mark.slow
def test_four_readers_and_a_writer(sqlite_url):
    import uvicorn

    engine = make_engine(sqlite_url)
    standard_set(engine)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(make_engine(sqlite_url), Config()), host="127.0.0.1",
                                           port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    stop = time.monotonic() + SECONDS
    errors: list[str] = []
    counts = {"reads": 0, "writes": 0}
    lock = threading.Lock()

    def writer():
        n = 0
        while time.monotonic() < stop:
            try:
                store(engine, "agenda", [make_item("agenda", f"c{n}", title=f"Activiteit {n}", buurt="BU09350000",
                                                   offset=0.0)])
                if n % 3 == 0:  # a complete run that lets an older record expire
                    store(engine, "vacaturebank", [make_item("vacaturebank", f"v{n}", kind="vacancy")],
                          complete=True, expire_after=1)
                bundle(engine)
                n += 1
                with lock:
                    counts["writes"] += 1
            except Exception as exc:  # noqa: BLE001
                errors.append(f"writer: {type(exc).__name__}: {exc}")
                return

    def reader(i: int):
        with httpx.Client(base_url=base, timeout=30) as client:
            k = i
            while time.monotonic() < stop:
                url = URLS[k % len(URLS)]
                k += 1
                r = client.get(url)
                if r.status_code != 200:
                    errors.append(f"reader {i}: {url} -> {r.status_code} {r.text[:200]}")
                    return
                if url == "/buurten" and len(r.json()) != 44:
                    errors.append(f"reader {i}: /buurten has {len(r.json())} buurten")
                with lock:
                    counts["reads"] += 1

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(SECONDS + 120)
    server.should_exit = True
    assert not errors, errors[:5]
    assert counts["writes"] >= 3 and counts["reads"] >= 40, counts
    with make_client(engine) as c:
        items = c.get("/items?limit=1000").json()["items"]
    assert any(i["title"].startswith("Activiteit") for i in items)
    engine.dispose()

