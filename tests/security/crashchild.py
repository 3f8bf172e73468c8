"""The process the crash-safety test kills: one ``Pipeline.run`` into a SQLite file.

It runs as a ``multiprocessing`` forkserver child. The fork server imports this module once
(``set_forkserver_preload``): the pipeline's modules, the geo locator and the normalisers' lookup
tables are loaded before any fork, so each child starts crawling within milliseconds and the
test's random kill moments fall inside the crawl, not inside Python's start-up.
"""

from __future__ import annotations

import logging
import tomllib

from tim.config import Config
from tim.geo import Locator
from tim.normalizers import normalize
from tim.pipeline import Pipeline
from tim.records import RawRecord
from tim.store.db import make_engine

LOCATOR = Locator.load()
normalize(RawRecord("warm", "1", {"title": "Warm", "starts_at": "12 maart 2026 19:30",
                                   "address": "Brusselsestraat 38, 6211 PG Maastricht"}, "https://x.nl/", "0"),
          Config.model_validate({"sources": [{"id": "warm", "kind": "rss", "url": "https://x.nl/"}]}).sources[0])


def run(config_text: str, db_url: str) -> None:
    """Crawl every enabled source of ``config_text`` into ``db_url`` and de-duplicate."""
    logging.disable(logging.CRITICAL)
    cfg = Config.model_validate(tomllib.loads(config_text))
    engine = make_engine(db_url, create=False)
    reports = Pipeline(cfg, engine, locator=LOCATOR).run()
    failed = [(r.source_id, r.error) for r in reports if r.status not in ("ok", "not_modified")]
    if failed:
        raise SystemExit(f"sources failed: {failed}")
