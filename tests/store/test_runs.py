"""Run rows and source states (store.runs), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tim.store.db import make_engine
from tim.store.runs import (
    BACKOFF_BASE_S,
    finish_run,
    recent_fetch_counts,
    run_outcome,
    start_run,
    update_source_state,
)
from tim.store.tables import RunRow, SourceStateRow


@pytest.fixture(params=["returning", "no-returning"])
def engine(request, db_url):
    """An engine on each database; "no-returning" as a database without RETURNING (SQLite before
    3.35): the state is then written and read again."""
    engine = make_engine(db_url)
    if request.param == "no-returning":
        engine.dialect.update_returning = engine.dialect.insert_returning = False
    return engine


def _state(engine, source_id: str, **kw):
    """``update_source_state`` in its own transaction: (the row it returned, a fresh read of the row)."""
    with engine.begin() as conn:
        returned = update_source_state(conn, source_id, **kw)
    with engine.connect() as conn:
        stored = conn.execute(select(SourceStateRow.__table__)
                              .where(SourceStateRow.__table__.c.source_id == source_id)).one()
    assert returned._asdict() == stored._asdict()  # the returned state is the stored row, every column
    return stored


def test_source_state_after_successes(engine):
    first = _state(engine, "a", run_id=1, outcome="ok", new_items=3)
    assert (first.state, first.reason, first.consecutive_failures, first.last_run_id) == ("ok", None, 0, 1)
    assert first.last_new_item_at == first.last_success_at and first.backoff_until is None
    # not modified, nothing new: a later success, last_new_item_at kept
    again = _state(engine, "a", run_id=2, outcome="not_modified")
    assert again.last_run_id == 2 and again.state == "ok"
    assert again.last_success_at > first.last_success_at and again.last_new_item_at == first.last_new_item_at
    new = _state(engine, "a", run_id=3, outcome="ok", new_items=1)
    assert new.last_new_item_at == new.last_success_at > again.last_success_at
    # a first run without new items (all of them were stored by a dry run, say) stamps it too
    b = _state(engine, "b", run_id=4, outcome="ok")
    assert b.last_new_item_at == b.last_success_at and b.state == "ok"


def test_source_state_suspect_keeps_or_leaves_last_new_item_at(engine):
    s = _state(engine, "s", run_id=1, outcome="suspect", reason="too few")
    assert (s.state, s.reason, s.last_new_item_at, s.consecutive_failures) == ("suspect", "too few", None, 0)
    s = _state(engine, "s", run_id=2, outcome="suspect", reason="still too few")
    assert (s.state, s.reason, s.last_new_item_at, s.last_run_id) == ("suspect", "still too few", None, 2)
    ok = _state(engine, "s", run_id=3, outcome="ok")  # the first trusted run without new items stamps it
    assert (ok.state, ok.reason) == ("ok", None) and ok.last_new_item_at == ok.last_success_at
    s = _state(engine, "s", run_id=4, outcome="suspect", reason="drop")
    assert s.last_new_item_at == ok.last_new_item_at and s.last_success_at > ok.last_success_at
    s = _state(engine, "s", run_id=5, outcome="suspect", reason="drop", new_items=2)
    assert s.last_new_item_at == s.last_success_at


def test_source_state_failures_back_off_and_a_success_resets(engine):
    f1 = _state(engine, "f", run_id=1, outcome="failed", reason="boom")
    assert (f1.state, f1.reason, f1.last_error, f1.consecutive_failures) == ("failing", "boom", "boom", 1)
    assert f1.last_success_at is None and f1.last_new_item_at is None
    f2 = _state(engine, "f", run_id=2, outcome="failed", reason="boom again")
    assert (f2.consecutive_failures, f2.last_error, f2.last_run_id) == (2, "boom again", 2)
    # the back-off doubles: 300 s after the first failure, 600 s after the second
    assert f2.backoff_until - f1.backoff_until >= timedelta(seconds=BACKOFF_BASE_S)
    ok = _state(engine, "f", run_id=3, outcome="not_modified")
    assert (ok.state, ok.reason, ok.consecutive_failures, ok.backoff_until) == ("ok", None, 0, None)
    assert ok.last_error == "boom again"  # the last error stays for the operator
    assert ok.last_new_item_at == ok.last_success_at
    f3 = _state(engine, "f", run_id=4, outcome="failed", reason="again")
    assert f3.consecutive_failures == 1 and f3.last_success_at == ok.last_success_at
    assert f3.last_new_item_at == ok.last_new_item_at


def test_runs_start_finish_and_interrupted(db_url):
    engine = make_engine(db_url)
    crashed = start_run(engine, "r")
    other = start_run(engine, "other")
    run = start_run(engine, "r", job_id="j1", attempt=2, retry_of=crashed, worker="host:1")
    assert run_outcome(engine, crashed) == ("interrupted", "process ended before the run finished")
    assert run_outcome(engine, other) == ("running", None)  # another source's run is left alone
    with engine.begin() as conn:
        finish_run(conn, run, status="ok", complete=True, fetched=7, inserted=5, updated=1, unchanged=1,
                   failed=0, expired=2)
        finish_run(conn, other, status="failed", complete=False, error="boom")
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(RunRow.__table__))}
        assert recent_fetch_counts(conn, "r") == [7]
    r = rows[run]
    assert (r.status, r.complete, r.fetched, r.inserted, r.updated, r.unchanged, r.expired, r.error) == \
        ("ok", True, 7, 5, 1, 1, 2, None)
    assert (r.job_id, r.attempt, r.retry_of, r.worker, r.dry_run) == ("j1", 2, crashed, "host:1", False)
    assert r.finished_at >= r.started_at
    assert rows[crashed].finished_at is not None and rows[crashed].attempt == 1
    o = rows[other]
    assert (o.status, o.complete, o.error, o.fetched) == ("failed", False, "boom", 0)


def test_recent_fetch_counts_are_successful_complete_real_runs_newest_first(db_url):
    engine = make_engine(db_url)
    for fetched, status, complete, dry in [(10, "ok", True, False), (11, "not_modified", True, False),
                                           (12, "suspect", False, False), (13, "ok", False, False),
                                           (14, "ok", True, True), (15, "ok", True, False),
                                           (16, "failed", False, False)]:
        run = start_run(engine, "c", dry_run=dry)
        with engine.begin() as conn:
            finish_run(conn, run, status=status, complete=complete, fetched=fetched)
    with engine.connect() as conn:
        assert recent_fetch_counts(conn, "c") == [15, 11, 10]
        assert recent_fetch_counts(conn, "c", n=2) == [15, 11]
        assert recent_fetch_counts(conn, "d") == []


def test_a_sources_run_history_is_not_read_to_start_or_judge_a_run(engine):
    """Marking a crash's runs interrupted goes through the partial index of running runs
    (migration 0008): the index exists, and the statement names ``status = 'running'`` as written
    (a bound status would leave SQLite to read the source's whole history; timed in
    ``benchmarks/store/runs_history.py``). The last fetched counts come newest first."""
    from sqlalchemy import inspect, insert

    from tim.store.db import utcnow
    from tim.store.runs import _INTERRUPT_RUNNING

    indexes = {ix["name"]: ix for ix in inspect(engine).get_indexes("runs")}
    assert indexes["ix_runs_running"]["column_names"] == ["source_id"]
    assert indexes["ix_runs_source_recent"]["column_names"] == ["source_id", "id"]
    sql = " ".join(str(_INTERRUPT_RUNNING.compile(dialect=engine.dialect)).split())
    assert "runs.status = 'running'" in sql, sql
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(insert(RunRow.__table__), [
            {"source_id": "old", "started_at": now, "finished_at": now, "status": "ok", "complete": True,
             "fetched": i} for i in range(3000)])
    with engine.connect() as conn:
        assert recent_fetch_counts(conn, "old") == [2999, 2998, 2997, 2996, 2995]
    first = start_run(engine, "old")
    assert run_outcome(engine, first) == ("running", None)
    start_run(engine, "old")  # the first one is a crash's now
    assert run_outcome(engine, first)[0] == "interrupted"
