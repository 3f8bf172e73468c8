"""``tim demo``: serve the demo sites on 127.0.0.1, crawl them, and summarise the result."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select


@dataclass
class DemoResult:
    reports: list
    buurt_counts: list[dict]
    buurten: int
    clusters: int
    records: int
    base_url: str


DEMO_PORT = 8765


def run_demo(db_url: str, *, port: int = DEMO_PORT, keep_serving: bool = False, progress=None) -> DemoResult:
    """Crawl every demo site once into ``db_url``; optionally keep serving the sites afterwards.

    ``progress`` gets the crawl's events (:mod:`tim.progress`).

    The sites listen on a fixed port by default, so item URLs (and the ids of sources that key
    their records by URL) are the same on every demo run and a re-run is idempotent.
    """
    from tim.config import load_config
    from tim.pipeline import Pipeline
    from tim.store.db import make_engine
    from tim.store.queries import buurt_counts
    from tim.store.tables import ClusterRow, ItemRow

    from .sites import build_demo_web, demo_config_text

    web = build_demo_web(port=port).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "sources.toml"
            path.write_text(demo_config_text(web.url("")), encoding="utf-8")
            config = load_config(path)
        engine = make_engine(db_url)
        reports = Pipeline(config, engine).run(progress=progress)
        with engine.connect() as conn:
            counts = buurt_counts(conn)
            clusters = conn.execute(select(func.count()).select_from(ClusterRow).where(ClusterRow.status == "active")).scalar_one()
            records = conn.execute(select(func.count()).select_from(ItemRow)).scalar_one()
        result = DemoResult(reports, counts, sum(1 for c in counts if c["buurt_code"]), clusters, records, web.url(""))
        if keep_serving:
            print(f"demo sites at {web.url('/')} (Ctrl-C to stop)")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
        return result
    finally:
        web.stop()
