"""Store throughput: ``store.items.apply_run`` (bulk INSERT ... ON CONFLICT + executemany UPDATE)
against the baseline an ORM select-then-update per row would give, measured in the same run.

    python benchmarks/store/upsert.py [--rows 20000] [--db sqlite:///...|postgresql://...]

Prints rows/s for a first run (all inserts), an identical re-run (all unchanged), a run with 10 %
edits, and the ORM baseline on the same rows; then the ratios. No assertions: figures only.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


from sqlmodel import Session, select  # noqa: E402

from tim.records import GeoResult, Item  # noqa: E402
from tim.store.db import make_engine, utcnow  # noqa: E402
from tim.store.items import apply_run, item_to_row  # noqa: E402
from tim.store.tables import ItemRow  # noqa: E402


def make_items(n: int, source: str, edit_every: int = 0) -> list[Item]:
    out = []
    for i in range(n):
        title = f"Vrijwilliger gezocht {i}" + (" (bijgewerkt)" if edit_every and i % edit_every == 0 else "")
        it = Item(id=f"{source}-{i:012x}", source_id=source, source_key=str(i), kind="vacancy", title=title,
                  description_text="Help mee in de buurt. " * 10, postcode="6211PE", url=f"https://example.org/v/{i}")
        it.geo = GeoResult(method="postcode", confidence=0.8, lat=50.85, lon=5.69, buurt_code="BU09350000",
                           buurt_name="Binnenstad", wijk_code="WK093500")
        it.content_hash = it.compute_content_hash()
        out.append(it)
    return out


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def orm_baseline(engine, items: list[Item]) -> None:
    """The naive way: one SELECT per item, then INSERT or UPDATE through the ORM."""
    now = utcnow()
    with Session(engine) as session:
        for it in items:
            row = session.exec(select(ItemRow).where(ItemRow.id == it.id)).first()
            values = item_to_row(it, now, None)
            if row is None:
                session.add(ItemRow(**values, first_seen=now, updated_at=now, status="active", status_changed_at=now))
            elif row.content_hash != it.content_hash:
                for k, v in values.items():
                    setattr(row, k, v)
            else:
                row.last_seen = now
        session.commit()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--db", default=None, help="database URL (default: a temporary SQLite file)")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    engine = make_engine(url)
    n = args.rows

    def run(items, source):
        with engine.begin() as conn:
            apply_run(conn, source, items, run_id=None, complete=True)

    first = make_items(n, "bulk")
    t_insert = timed(lambda: run(first, "bulk"))
    t_same = timed(lambda: run(make_items(n, "bulk"), "bulk"))
    t_edit = timed(lambda: run(make_items(n, "bulk", edit_every=10), "bulk"))
    base_items = make_items(n, "orm")
    t_orm_insert = timed(lambda: orm_baseline(engine, base_items))
    t_orm_edit = timed(lambda: orm_baseline(engine, make_items(n, "orm", edit_every=10)))

    print(f"database: {engine.url.get_backend_name()}  rows per run: {n}")
    print(f"{'case':<34}{'seconds':>10}{'rows/s':>12}")
    for name, t in [("apply_run: first run (inserts)", t_insert), ("apply_run: identical re-run", t_same),
                    ("apply_run: 10% edited", t_edit), ("ORM baseline: first run", t_orm_insert),
                    ("ORM baseline: 10% edited", t_orm_edit)]:
        print(f"{name:<34}{t:>10.2f}{n / t:>12,.0f}")
    print(f"ratio first run (bulk / ORM): {t_orm_insert / t_insert:.1f}x faster")
    print(f"ratio 10% edited (bulk / ORM): {t_orm_edit / t_edit:.1f}x faster")


if __name__ == "__main__":
    main()
