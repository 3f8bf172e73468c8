"""A source run's bookkeeping against the source's run history: ``start_run`` (which marks a
crash's runs interrupted), ``recent_fetch_counts`` and ``finish_run`` for a source with
``--history`` past runs, against a source with none, measured in the same run and database.

    python benchmarks/store/runs_history.py [--history 100000] [--runs 300] [--db sqlite:///...|postgresql://...]

An hourly source has ~8,800 runs a year. Before migration 0008 both queries read the source's
whole history through ``ix_runs_source_id``. Prints ms per run and the ratio. No assertions.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, insert, text

from tim.store.db import make_engine, normalise_url, utcnow
from tim.store.runs import finish_run, recent_fetch_counts, start_run
from tim.store.tables import RunRow


def per_run_ms(engine, source: str, n: int) -> float:
    t = time.perf_counter()
    for _ in range(n):
        run_id = start_run(engine, source)
        with engine.begin() as conn:
            recent_fetch_counts(conn, source)
            finish_run(conn, run_id, status="ok", complete=True, fetched=50)
    return (time.perf_counter() - t) / n * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--history", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--db", default=None, help="sqlite:///FILE (default: a temporary file) or postgresql://...")
    args = ap.parse_args()
    schema = None
    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp(prefix='tim-runs-')) / 'runs.db'}"
    if url.startswith("postgres"):
        schema = f"bench_runs_{uuid.uuid4().hex[:8]}"
        with create_engine(normalise_url(url)).begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    try:
        now = utcnow()
        with engine.begin() as conn:
            conn.execute(insert(RunRow.__table__), [
                {"source_id": "old", "started_at": now, "finished_at": now, "status": "ok", "complete": True,
                 "fetched": 50} for _ in range(args.history)])
            if engine.dialect.name == "postgresql":
                conn.execute(text("ANALYZE runs"))
        base = per_run_ms(engine, "new", args.runs)
        old = per_run_ms(engine, "old", args.runs)
        print(f"db={engine.dialect.name} runs={args.runs}: no history {base:.3f} ms/run, "
              f"{args.history} past runs {old:.3f} ms/run, ratio {old / base:.2f}")
    finally:
        engine.dispose()
        if schema:
            with create_engine(normalise_url(args.db)).begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    main()
