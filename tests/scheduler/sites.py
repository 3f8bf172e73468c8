"""Small local source sites and configs for the scheduler tests (issue #6).

``JsonSite`` serves a mutable list of records as a JSON API; ``rss_feed`` a fixed RSS 2.0 feed;
``hang`` a route that never answers (until the test ends). ``write_config`` writes a
sources.toml with ``[settings] delay = 0.01`` and the given ``[scheduler]`` keys.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from tim.demo.web import LocalWeb, Response
from tim.store.tables import RunRow

ADDRESSES = ["Brusselsestraat 38, 6211 PG Maastricht", "Boschstraat 1, 6211 AS Maastricht",
             "Wycker Brugstraat 2, 6221 EC Maastricht", "Hoogbrugstraat 10, 6221 CP Maastricht"]


def record(n: int) -> dict:
    return {"id": f"r{n}", "titel": f"Vrijwilliger gezocht voor klus {n}", "omschrijving": "Help mee in de buurt.",
            "adres": ADDRESSES[n % len(ADDRESSES)]}


class JsonSite:
    """A JSON API at ``path`` whose records the test changes between runs."""

    def __init__(self, web: LocalWeb, path: str, records: list[dict] | None = None, *, delay: float = 0.0,
                 gate: threading.Event | None = None):
        self.records = list(records or [])
        self.delay = delay
        self.gate = gate
        """When set, each response waits until the test sets this event (at most 60 s)."""
        self.url = web.url(path)
        web.route(path, self._handle)

    def _handle(self, _req) -> Response:
        if self.delay:
            time.sleep(self.delay)
        if self.gate is not None:
            self.gate.wait(60)
        return Response(json.dumps({"data": {"results": self.records}}), content_type="application/json")


def rss_feed(web: LocalWeb, path: str, n: int = 3) -> str:
    items = "".join(
        f"<item><title>Buurtactiviteit {i}</title><link>{web.url(f'/nieuws/{i}')}</link><guid>nieuws-{i}</guid>"
        f"<description>Locatie: {ADDRESSES[i % len(ADDRESSES)]}</description></item>"
        for i in range(n)
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Nieuws</title>{items}</channel></rss>'
    web.route(path, body, content_type="application/rss+xml")
    return web.url(path)


def hang(web: LocalWeb, path: str) -> tuple[str, threading.Event]:
    """A route that holds the request open until the returned event is set."""
    release = threading.Event()

    def never(_req) -> Response:
        release.wait(120)
        return Response("too late", content_type="text/plain")

    web.route(path, never)
    return web.url(path), release


def json_source(sid: str, url: str, *, schedule: str = "every 6h", extra: str = "") -> str:
    return f'''
[[sources]]
id = "{sid}"
kind = "json"
url = "{url}"
items = "data.results"
schedule = "{schedule}"
allow_private_network = true
{extra}
[sources.fields]
id = "id"
title = "titel"
description = "omschrijving"
address = "adres"
'''


def rss_source(sid: str, url: str, *, schedule: str = "every 6h") -> str:
    return f'''
[[sources]]
id = "{sid}"
kind = "rss"
url = "{url}"
item_kind = "news"
schedule = "{schedule}"
allow_private_network = true
'''


def write_config(path: Path, sources: list[str], *, scheduler: str = "", tail: str = "") -> Path:
    if "jitter_seconds" not in scheduler:
        scheduler = "jitter_seconds = 0\n" + scheduler
    head = "[settings]\ndelay = 0.01\nretries = 0\n\n[scheduler]\n" + scheduler + "\n"
    path.write_text(head + "".join(sources) + tail, encoding="utf-8")
    return path


def wait_for(predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.1):
    """Poll ``predicate`` until it returns something truthy; fail the test after ``timeout``."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def runs_of(engine, source_id: str) -> list:
    """The source's run rows, oldest first."""
    t = RunRow.__table__
    with engine.connect() as conn:
        return conn.execute(select(t).where(t.c.source_id == source_id).order_by(t.c.id)).all()
