"""Storing runs: insert / update / unchanged / expire / reactivate, on SQLite and PostgreSQL (issue #2, #6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tim.records import GeoResult, Item
from tim.store.db import make_engine
from tim.store.items import apply_run
from tim.store.tables import ItemRow, StatusChangeRow


def _item(n: int, title: str | None = None, *, source: str = "src", starts_at=None, buurt="BU09350000") -> Item:
    it = Item(id=f"{source}-{n:012x}", source_id=source, source_key=str(n), kind="event" if starts_at else "vacancy",
              title=title or f"Vrijwilliger {n}", starts_at=starts_at)
    it.geo = GeoResult(method="postcode", confidence=0.8, lat=50.85, lon=5.69, buurt_code=buurt,
                       buurt_name="Binnenstad", wijk_code="WK093500")
    it.content_hash = it.compute_content_hash()
    return it


def _run(engine, items, *, complete=True, source="src", now=None, **kw):
    with engine.begin() as conn:
        return apply_run(conn, source, items, run_id=None, complete=complete, now=now, **kw)


def _rows(engine, source="src"):
    with engine.connect() as conn:
        return {r.id: r for r in conn.execute(select(ItemRow).where(ItemRow.source_id == source))}


def test_rerun_is_idempotent_and_edits_are_updates(db_url):
    engine = make_engine(db_url)
    items = [_item(i) for i in range(5)]
    first = _run(engine, items)
    assert (first.inserted, first.updated, first.unchanged) == (5, 0, 0)
    second = _run(engine, [_item(i) for i in range(5)])
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 5)
    edited = [_item(i) for i in range(5)]
    edited[2] = _item(2, "Vrijwilliger 2 (aangepast)")
    third = _run(engine, edited)
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 4)
    rows = _rows(engine)
    assert len(rows) == 5 and rows[edited[2].id].title == "Vrijwilliger 2 (aangepast)"
    assert rows[edited[2].id].first_seen <= rows[edited[2].id].updated_at


def test_missing_items_expire_after_two_complete_runs_and_come_back(db_url):
    engine = make_engine(db_url)
    _run(engine, [_item(1), _item(2)])
    gone = _item(2).id
    r1 = _run(engine, [_item(1)])
    assert r1.expired == 0 and _rows(engine)[gone].status == "active"
    r2 = _run(engine, [_item(1)])
    assert r2.expired == 1 and _rows(engine)[gone].status == "expired"
    r3 = _run(engine, [_item(1), _item(2)])
    assert r3.reactivated == 1 and _rows(engine)[gone].status == "active"
    with engine.connect() as conn:
        history = [(c.old_status, c.new_status) for c in conn.execute(
            select(StatusChangeRow).where(StatusChangeRow.item_id == gone).order_by(StatusChangeRow.id))]
    assert history == [(None, "active"), ("active", "expired"), ("expired", "active")]


def test_incomplete_runs_never_expire(db_url):
    engine = make_engine(db_url)
    _run(engine, [_item(1), _item(2)])
    for _ in range(3):
        _run(engine, [], complete=False)
    assert {r.status for r in _rows(engine).values()} == {"active"}


def test_not_modified_counts_everything_unchanged(db_url):
    engine = make_engine(db_url)
    _run(engine, [_item(i) for i in range(3)])
    res = _run(engine, [], not_modified=True)
    assert res.unchanged == 3 and res.expired == 0


def test_ended_events_expire_and_other_sources_untouched(db_url):
    engine = make_engine(db_url)
    past = datetime.now(UTC) - timedelta(days=2)
    future = datetime.now(UTC) + timedelta(days=2)
    _run(engine, [_item(1, starts_at=future, source="other")], source="other")
    res = _run(engine, [_item(1, starts_at=past), _item(2, starts_at=future)])
    rows = _rows(engine)
    assert rows[_item(1).id].status == "expired" and rows[_item(2).id].status == "active"
    assert res.inserted == 2
    assert _rows(engine, "other")[_item(1, source="other").id].status == "active"
