"""How ``tim-a6a3a31.db`` was made: run this with the code of commit a6a3a31 (the last commit
before schema migrations existed), e.g.

    git worktree add /tmp/tim-a6a3a31 a6a3a31
    mkdir -p /tmp/shim && ln -s /tmp/tim-a6a3a31 /tmp/shim/tim
    PYTHONPATH=/tmp/shim python /tmp/tim-a6a3a31/tests/store/migrations/make_fixture.py OUT.db

It serves the demo sites on 127.0.0.1, crawls them twice through the project's own pipeline
(runs, items, clusters, merge decisions, HTTP validators, source states), adds an operator's
split and merge overrides and re-clusters, expires one item with a status change, imports the
bundled CBS boundaries as a second boundary version, and fills the geocode cache with one answer.
Nothing here may change once the fixture is committed: it stands for an operator's database made
by the code before migrations.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert, select, update

from tim.config import load_config
from tim.demo.sites import build_demo_web, demo_config_text
from tim.geo.data import path as data_path
from tim.geo.imports import import_buurten
from tim.geo.tables import GeocodeCacheRow
from tim.pipeline import Pipeline
from tim.store.clusters import add_override
from tim.store.db import make_engine
from tim.store.tables import ItemRow, StatusChangeRow

FIXED_DAY = date(2026, 12, 3)
FIXED_PORT = 8799


def main(out: str) -> None:
    path = Path(out)
    if path.exists():
        path.unlink()
    web = build_demo_web(port=FIXED_PORT, today=FIXED_DAY).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cfg_path = Path(tmp) / "sources.toml"
            cfg_path.write_text(demo_config_text(web.url("")), encoding="utf-8")
            config = load_config(cfg_path)
        engine = make_engine(f"sqlite:///{path}")
        pipe = Pipeline(config, engine)
        pipe.run()
        pipe.run()
        t = ItemRow.__table__
        with engine.begin() as conn:
            ids = conn.execute(select(t.c.id).order_by(t.c.id)).scalars().all()
            add_override(conn, "split", ids[0], None)
            add_override(conn, "merge", ids[1], ids[2])
            now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
            conn.execute(update(t).where(t.c.id == ids[3]).values(status="expired", status_changed_at=now))
            conn.execute(insert(StatusChangeRow.__table__).values(
                item_id=ids[3], old_status="active", new_status="expired", at=now, reason="fixture: operator test"))
            conn.execute(insert(GeocodeCacheRow.__table__).values(
                key="nominatim|markt 1 maastricht", provider="nominatim", query="Markt 1, Maastricht", found=True,
                lat=50.8512, lon=5.6910, buurt_code="BU09350000", wijk_code="WK093500", display="Markt 1",
                created_at=now))
        pipe.dedup()
        import_buurten(engine, data_path("maastricht_buurten_cbs2024.geojson"), "cbs2024-fixture", activate=False)
        engine.dispose()
    finally:
        web.stop()


if __name__ == "__main__":
    main(sys.argv[1])
