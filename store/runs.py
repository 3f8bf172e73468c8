"""Runs and source health: every run stored with its counts; a source's state after each run."""

from __future__ import annotations

import statistics
from datetime import timedelta

from sqlalchemy import bindparam, func, literal_column, select, update
from sqlalchemy.engine import Connection, Engine, Row

from .db import utcnow
from .tables import RunRow, SourceStateRow

BACKOFF_BASE_S = 300
BACKOFF_CAP_S = 24 * 3600

# Statements of every source run, built once: SQLAlchemy then finds their compiled form in its
# cache without building and hashing the construct again (a third of an unchanged re-run's CPU
# went to the per-source bookkeeping). Values come as parameters; an UPDATE sets the columns
# named in its parameters (other than the ``b_*`` binds of its WHERE).
_runs = RunRow.__table__
_states = SourceStateRow.__table__
# ``status = 'running'`` written out, not bound: only then may SQLite use the partial index of the
# running runs (``ix_runs_running``) instead of reading the source's whole history
_INTERRUPT_RUNNING = (update(_runs).where(_runs.c.source_id == bindparam("b_source_id"),
                                          _runs.c.status == literal_column("'running'"))
                      .values(status="interrupted", error="process ended before the run finished"))
_INSERT_RUN = _runs.insert()
_FINISH_RUN = update(_runs).where(_runs.c.id == bindparam("b_run_id"))
_RUN_OUTCOME = select(_runs.c.status, _runs.c.error).where(_runs.c.id == bindparam("b_run_id"))
_RECENT_FETCHED = (select(_runs.c.fetched)
                   .where(_runs.c.source_id == bindparam("b_source_id"),
                          _runs.c.status.in_(("ok", "not_modified")), _runs.c.complete.is_(True),
                          _runs.c.dry_run.is_(False))
                   .order_by(_runs.c.id.desc()).limit(bindparam("b_limit")))
_STATE_OF = _states.c.source_id == bindparam("b_source_id")
_STATE = select(_states).where(_STATE_OF)
# the writes of a source state, each with its variant returning the row as written (SQLite >= 3.35
# and PostgreSQL know RETURNING; without it the row is read again)
_UPDATE_STATE = update(_states).where(_STATE_OF)
_INSERT_STATE = _states.insert()
# a success without new items: the first one stamps last_new_item_at, later ones keep it
_UPDATE_STATE_OK = _UPDATE_STATE.values(last_new_item_at=func.coalesce(
    _states.c.last_new_item_at, bindparam("b_now", type_=_states.c.last_new_item_at.type)))
_UPDATE_STATE_R, _INSERT_STATE_R, _UPDATE_STATE_OK_R = (
    stmt.returning(*_states.c) for stmt in (_UPDATE_STATE, _INSERT_STATE, _UPDATE_STATE_OK))


def _write_state(conn: Connection, stmt, returning, params: dict, source_id: str) -> Row | None:
    """Execute an UPDATE or INSERT of ``source_states`` (``returning``: the same with RETURNING);
    the source's row as it is now, or ``None`` when an UPDATE found no row."""
    insert = stmt is _INSERT_STATE
    if conn.dialect.insert_returning if insert else conn.dialect.update_returning:
        return conn.execute(returning, params).first()
    if not conn.execute(stmt, params).rowcount and not insert:
        return None
    return conn.execute(_STATE, {"b_source_id": source_id}).first()


def start_run(engine: Engine, source_id: str, *, dry_run: bool = False, **queue_meta) -> int:
    """Record a run as started (its own committed transaction) and return its id.

    Runs of the same source left ``running`` by a crash are marked ``interrupted`` first.
    ``queue_meta`` (``job_id``, ``attempt``, ``retry_of``, ``worker``) describe a queued run.
    """
    with engine.begin() as conn:
        conn.execute(_INTERRUPT_RUNNING, {"b_source_id": source_id, "finished_at": utcnow()})
        res = conn.execute(_INSERT_RUN, {"source_id": source_id, "started_at": utcnow(), "status": "running",
                                         "dry_run": dry_run, **queue_meta})
        return int(res.inserted_primary_key[0])


def finish_run(conn: Connection, run_id: int, *, status: str, complete: bool, error: str | None = None, **counts: int) -> None:
    """Store a run's outcome and counts (inside the caller's transaction)."""
    conn.execute(_FINISH_RUN, {"b_run_id": run_id, "status": status, "complete": complete, "error": error,
                               "finished_at": utcnow(), **counts})


def run_outcome(engine: Engine, run_id: int) -> tuple[str, str | None]:
    """(status, error) of a run as stored (``running`` while it has not finished)."""
    with engine.connect() as conn:
        row = conn.execute(_RUN_OUTCOME, {"b_run_id": run_id}).one()
    return row.status, row.error


def recent_fetch_counts(conn: Connection, source_id: str, n: int = 5) -> list[int]:
    """Fetched counts of the source's last ``n`` successful, complete runs (newest first).

    A ``not_modified`` run counts too (its ``fetched`` is the records of the unchanged body):
    a source that rarely changes still has recent runs to compare a sudden drop against.
    """
    rows = conn.execute(_RECENT_FETCHED, {"b_source_id": source_id, "b_limit": n})
    return [r.fetched for r in rows]


def sharp_drop(fetched: int, recent: list[int], *, ratio: float = 0.5, floor: int = 10) -> bool:
    """True when ``fetched`` is under ``ratio`` of the median of recent runs (that had >= floor)."""
    if len(recent) < 2:
        return False
    median = statistics.median(recent)
    return median >= floor and fetched < ratio * median


def update_source_state(
    conn: Connection,
    source_id: str,
    *,
    run_id: int,
    outcome: str,
    reason: str | None = None,
    new_items: int = 0,
) -> Row:
    """Update a source's health after a run. ``outcome`` is ok | not_modified | failed | suspect.

    Failures put the source into exponential back-off (capped) and mark it ``failing``. Returns
    the source's ``source_states`` row as stored now (every column).
    """
    now = utcnow()
    values: dict = {"last_run_id": run_id}
    if outcome == "failed":
        row = conn.execute(_STATE, {"b_source_id": source_id}).first()
        failures = (row.consecutive_failures if row else 0) + 1
        delay = min(BACKOFF_BASE_S * 2 ** (failures - 1), BACKOFF_CAP_S)
        values.update(state="failing", reason=reason, consecutive_failures=failures,
                      backoff_until=now + timedelta(seconds=delay), last_error=reason)
        if row is not None:
            return _write_state(conn, _UPDATE_STATE, _UPDATE_STATE_R, {"b_source_id": source_id, **values},
                                source_id)
        return _write_state(conn, _INSERT_STATE, _INSERT_STATE_R, {"source_id": source_id, **values}, source_id)
    # a success sets the same values whatever the row held, except ``last_new_item_at``: now
    # when the run brought new items; else kept, or now when it had none and the run is not suspect
    values.update(consecutive_failures=0, backoff_until=None, last_success_at=now,
                  state="suspect" if outcome == "suspect" else "ok",
                  reason=reason if outcome == "suspect" else None)
    if new_items:
        values["last_new_item_at"] = now
    if new_items or outcome == "suspect":
        row = _write_state(conn, _UPDATE_STATE, _UPDATE_STATE_R, {"b_source_id": source_id, **values},
                           source_id)
    else:
        row = _write_state(conn, _UPDATE_STATE_OK, _UPDATE_STATE_OK_R,
                           {"b_source_id": source_id, "b_now": now, **values}, source_id)
    if row is not None:
        return row
    values["last_new_item_at"] = now if new_items or outcome != "suspect" else None
    return _write_state(conn, _INSERT_STATE, _INSERT_STATE_R, {"source_id": source_id, **values}, source_id)
