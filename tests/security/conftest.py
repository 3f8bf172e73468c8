"""Fixtures of the security tests (issue 8): the fault web, sources pointed at it with small delays
and timeouts, one geo locator per session, and runs through the real pipeline.

Every source here goes through ``Pipeline.run_source``/``Pipeline.run`` with a validated
``Config``: the HTTP policy, crawler, normaliser, geo, store and dedup are the real ones.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tim.config import Config
from tim.demo.faultweb import FaultWeb
from tim.pipeline import Pipeline
from tim.store.db import make_engine
from tim.store.tables import ItemRow, RunRow, SourceStateRow

#: Every policy on, only the waits short (``[sources.http]`` overrides).
FAST = {"delay": 0.01, "timeout": 2.0, "connect_timeout": 1.0, "retries": 1, "backoff": 0.05,
        "max_retry_after": 5.0}


@pytest.fixture
def fault_web():
    """The fault web (and its SSRF target), started and stopped around the test."""
    with FaultWeb() as web:
        yield web


@pytest.fixture(scope="session")
def locator():
    """The offline geo chain, loaded once (the bundled data; the test databases import none)."""
    from tim.geo import Locator

    return Locator.load()


@pytest.fixture
def engine(sqlite_url):
    eng = make_engine(sqlite_url)
    yield eng
    eng.dispose()


def source(sid: str, url: str | None, kind: str = "rss", *, private: bool = True, http: dict | None = None,
           **kw) -> dict:
    """One ``[[sources]]`` entry as a dict (validated when the Config is built)."""
    entry = {"id": sid, "kind": kind, "url": url, "allow_private_network": private,
             "http": {**FAST, **(http or {})}, "min_items": 0}
    entry.update(kw)
    return entry


def config(*sources: dict, **settings) -> Config:
    return Config.model_validate({"sources": list(sources), **settings})


def run_one(engine, locator, entry: dict):
    """Run one source through the pipeline; return its ``SourceReport``."""
    cfg = config(entry)
    return Pipeline(cfg, engine, locator=locator).run_source(cfg.sources[0])


def items_of(engine, source_id: str) -> list:
    with engine.connect() as conn:
        return list(conn.execute(select(ItemRow).where(ItemRow.source_id == source_id)))


def run_row(engine, run_id: int):
    with engine.connect() as conn:
        return conn.execute(select(RunRow).where(RunRow.id == run_id)).one()


def state_of(engine, source_id: str):
    with engine.connect() as conn:
        return conn.execute(select(SourceStateRow).where(SourceStateRow.source_id == source_id)).one()


def assert_failed_cleanly(engine, report, sid: str, pattern: str) -> None:
    """A failed run naming the source and the reason, recorded as such, and nothing stored."""
    import re

    assert report.status == "failed", (report.status, report.error)
    assert report.error.startswith(f"source {sid!r}: "), report.error
    assert re.search(pattern, report.error), report.error
    row = run_row(engine, report.run_id)
    assert (row.status, row.error, row.complete) == ("failed", report.error, False)
    assert state_of(engine, sid).state == "failing"
    assert items_of(engine, sid) == []


#: The hostile sources of ``hostile_store``: the XSS corpus in four formats, and formula cells.
HOSTILE_SOURCES = [
    ("xss-rss", "/xss/feed.rss", "rss", {"item_kind": "news"}),
    ("xss-json", "/xss/items.json", "json", {"items": "items", "item_kind": "vacancy"}),
    ("xss-jsonld", "/xss/agenda/", "jsonld", {"follow": "a.event", "item_kind": "event"}),
    ("xss-ical", "/xss/agenda.ics", "ical", {"item_kind": "event"}),
    ("formules", "/csv/formulas.json", "json", {"items": "items", "item_kind": "initiative"}),
]


def xss_corpus() -> list[str]:
    """The fault web's payloads plus the normaliser tests' corpus (``xss_payloads.txt``)."""
    import codecs
    from pathlib import Path

    from tim.demo.faultweb import XSS_PAYLOADS

    path = Path(__file__).parent.parent / "normalizers" / "testdata" / "xss_payloads.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    corpus = [codecs.decode(line, "unicode_escape") if "\\" in line else line
              for line in lines if line.strip() and not line.startswith("#")]
    return list(XSS_PAYLOADS) + corpus


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def hostile_store(request, tmp_path_factory, locator):
    """(engine, config, reports): the hostile sources crawled once through ``Pipeline.run``."""
    from tests.conftest import fresh_database

    with FaultWeb(payloads=xss_corpus()) as web, \
            fresh_database(request.param, tmp_path_factory.mktemp("hostile")) as url:
        entries = [source(sid, web.url(path), kind, http={"delay": 0.0}, **kw)
                   for sid, path, kind, kw in HOSTILE_SOURCES]
        cfg = config(*entries)
        eng = make_engine(url)
        reports = Pipeline(cfg, eng, locator=locator).run()
        yield eng, cfg, reports
        eng.dispose()
