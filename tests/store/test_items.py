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


def test_not_modified_sees_active_items_counts_misses_and_expires_ended(db_url):
    engine = make_engine(db_url)
    t0 = datetime(2030, 1, 1, 12, tzinfo=UTC)
    day, minute = timedelta(days=1), timedelta(minutes=1)

    def run(items, at, run_id, **kw):
        with engine.begin() as conn:
            return apply_run(conn, "src", items, run_id=run_id, complete=kw.pop("complete", True), now=at, **kw)

    plain = [_item(i) for i in (1, 2, 3)]
    ev4, ev7 = _item(4, starts_at=t0 + day), _item(7, starts_at=t0 + 2 * day + minute / 2)
    run([*plain, ev4, _item(5), _item(6), ev7], t0, 1)
    run([*plain, ev4, ev7], t0 + minute, 2)  # 5 and 6 missed once
    run([*plain, ev4, _item(5), ev7], t0 + 2 * minute, 3)  # 6 missed twice: expired; 5 back to 0 misses
    run([*plain, ev4, ev7], t0 + 3 * minute, 4)  # 5 missed once, still active
    before = _rows(engine)
    assert before[_item(6).id].status == "expired" and before[_item(5).id].missing_runs == 1

    # not modified, incomplete: the event of item 4 has begun (expires), 5 keeps its miss
    a = run([], t0 + 2 * day, 5, not_modified=True, complete=False)
    assert (a.unchanged, a.expired, a.inserted, a.updated) == (4, 1, 0, 0)  # 1, 2, 3 and the event 7
    rows = _rows(engine)
    for i in (1, 2, 3, 7):
        r = rows[_item(i).id]
        assert (r.status, r.missing_runs, r.last_run_id, r.last_seen) == ("active", 0, 5, t0 + 2 * day)
    assert (rows[ev4.id].status, rows[ev4.id].last_run_id) == ("expired", 4)
    for i in (5, 6):  # not seen: as they were
        r, old = rows[_item(i).id], before[_item(i).id]
        assert (r.status, r.missing_runs, r.last_seen, r.last_run_id) == \
            (old.status, old.missing_runs, old.last_seen, old.last_run_id)

    # not modified, complete: 5 misses a second time (expires), the event 7 has begun meanwhile
    b = run([], t0 + 2 * day + minute, 6, not_modified=True)
    assert (b.unchanged, b.expired) == (3, 2)
    rows = _rows(engine)
    assert {i: rows[_item(i).id].status for i in range(1, 8)} == {
        1: "active", 2: "active", 3: "active", 4: "expired", 5: "expired", 6: "expired", 7: "expired"}
    assert rows[_item(5).id].missing_runs == 2 and rows[_item(6).id].missing_runs == 2
    with engine.connect() as conn:
        changes = [(c.item_id, c.old_status, c.new_status, c.reason, c.run_id, c.at) for c in conn.execute(
            select(StatusChangeRow).where(StatusChangeRow.run_id.in_((5, 6))).order_by(StatusChangeRow.id))]
    assert changes == [
        (ev4.id, "active", "expired", "ended", 5, t0 + 2 * day),
        (_item(5).id, "active", "expired", "missing from 2 complete runs", 6, t0 + 2 * day + minute),
        (ev7.id, "active", "expired", "ended", 6, t0 + 2 * day + minute),
    ]
    c = run([], t0 + 3 * day, 7, not_modified=True)  # nothing left to miss or expire
    assert (c.unchanged, c.expired) == (3, 0)


def test_seen_items_are_unchanged_come_back_or_expire_by_their_stored_dates(db_url):
    engine = make_engine(db_url)
    t0 = datetime(2030, 1, 1, 12, tzinfo=UTC)
    day, minute = timedelta(days=1), timedelta(minutes=1)

    def run(items, at, run_id, seen=()):
        with engine.begin() as conn:
            return apply_run(conn, "src", items, seen=seen, run_id=run_id, complete=True, now=at)

    ev3 = _item(3, starts_at=t0 + day)
    run([_item(1), _item(2), ev3, _item(4), _item(5)], t0, 1)
    run([_item(1), _item(2), ev3], t0 + minute, 2)
    run([_item(1), _item(2), ev3], t0 + 2 * minute, 3)  # 4 and 5 missed twice: expired
    # the run meets 1, 3 (its event has begun), 4 (expired: comes back) and an unknown id again,
    # normalises 2 anew, and 5 is missing
    res = run([_item(2)], t0 + 2 * day, 4, seen=[_item(1).id, ev3.id, _item(4).id, "src-gone", _item(1).id])
    assert (res.unchanged, res.reactivated, res.expired, res.inserted, res.updated) == (3, 1, 1, 0, 0)
    rows = _rows(engine)
    assert {i: (rows[_item(i).id].status, rows[_item(i).id].last_run_id) for i in range(1, 6)} == {
        1: ("active", 4), 2: ("active", 4), 3: ("expired", 3), 4: ("active", 4), 5: ("expired", 1)}
    with engine.connect() as conn:
        changes = [(c.item_id, c.old_status, c.new_status, c.reason) for c in conn.execute(
            select(StatusChangeRow).where(StatusChangeRow.run_id == 4).order_by(StatusChangeRow.id))]
    assert changes == [(ev3.id, "active", "expired", "ended"), (_item(4).id, "expired", "active", "reappeared")]
