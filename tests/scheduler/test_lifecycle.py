"""Item lifecycle end to end through the pipeline (issue #6): a local JSON site whose records
change between runs. Missing from one complete run: still active; from two: expired (kept, not
deleted); back: active again; every change stored with its time and run. A suspect run (under
``min_items`` or a sharp drop) expires nothing."""

from __future__ import annotations

from sqlalchemy import select

from tim.config import load_config
from tim.pipeline import Pipeline
from tim.store.db import make_engine
from tim.store.tables import ItemRow, StatusChangeRow

from .sites import JsonSite, json_source, record, write_config


def _setup(web, db_url, tmp_path, n: int, extra: str = ""):
    site = JsonSite(web, "/api/vacatures", [record(i) for i in range(n)])
    cfg = load_config(write_config(tmp_path / "sources.toml", [json_source("vb", site.url, extra=extra)]))
    engine = make_engine(db_url)
    pipeline = Pipeline(cfg, engine)
    return site, engine, lambda: pipeline.run_source(cfg.source("vb"))


def _items(engine) -> dict:
    with engine.connect() as conn:
        return {r.source_key: r for r in conn.execute(select(ItemRow).where(ItemRow.source_id == "vb"))}


def test_vanished_item_expires_after_two_complete_runs_and_comes_back(web, db_url, tmp_path):
    site, engine, run = _setup(web, db_url, tmp_path, 3)
    first = run()
    assert (first.status, first.inserted) == ("ok", 3)
    gone = _items(engine)["r2"].id

    site.records = [record(0), record(1)]
    once = run()
    assert (once.status, once.complete, once.expired) == ("ok", True, 0)
    assert _items(engine)["r2"].status == "active" and _items(engine)["r2"].missing_runs == 1

    twice = run()  # the same body again: conditional GET makes this run "not_modified"
    assert twice.status in ("ok", "not_modified") and twice.expired == 1
    row = _items(engine)["r2"]
    assert row.status == "expired" and len(_items(engine)) == 3  # expired, never deleted

    site.records = [record(0), record(1), record(2)]
    back = run()
    assert back.status == "ok" and _items(engine)["r2"].status == "active"
    assert _items(engine)["r2"].missing_runs == 0

    with engine.connect() as conn:
        history = conn.execute(select(StatusChangeRow).where(StatusChangeRow.item_id == gone)
                               .order_by(StatusChangeRow.id)).all()
    assert [(h.old_status, h.new_status) for h in history] == [(None, "active"), ("active", "expired"), ("expired", "active")]
    assert [h.run_id for h in history] == [first.run_id, twice.run_id, back.run_id]
    assert history[0].at < history[1].at < history[2].at
    assert "missing from 2 complete runs" in history[1].reason and history[2].reason == "reappeared"


def test_zero_records_is_suspect_and_expires_nothing(web, db_url, tmp_path):
    site, engine, run = _setup(web, db_url, tmp_path, 3)
    run()
    site.records = []
    for _ in range(3):  # three empty runs would expire everything if they counted
        report = run()
        assert (report.status, report.complete, report.expired) == ("suspect", False, 0)
        assert "min_items" in report.error
    rows = _items(engine)
    assert {r.status for r in rows.values()} == {"active"} and {r.missing_runs for r in rows.values()} == {0}


def test_sharp_drop_is_suspect_and_expires_nothing(web, db_url, tmp_path):
    site, engine, run = _setup(web, db_url, tmp_path, 12)
    assert run().status == "ok" and run().status in ("ok", "not_modified")  # an unchanged body counts too
    site.records = [record(i) for i in range(4)]  # a redesign: 4 of 12 records still found
    for _ in range(2):
        report = run()
        assert report.status == "suspect" and "sharp drop" in report.error and report.expired == 0
    assert sum(r.status == "active" for r in _items(engine).values()) == 12


def test_empty_is_fine_when_min_items_is_zero(web, db_url, tmp_path):
    # The source says "empty is fine": empty complete runs do count, and expire after two.
    site, _engine, run = _setup(web, db_url, tmp_path, 2, extra="min_items = 0")
    run()
    site.records = []
    assert run().status == "ok" and run().expired == 2
