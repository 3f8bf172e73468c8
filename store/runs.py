"""Runs and source health: every run stored with its counts; a source's state after each run."""

from __future__ import annotations

import statistics
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine

from .db import utcnow
from .tables import RunRow, SourceStateRow

BACKOFF_BASE_S = 300
BACKOFF_CAP_S = 24 * 3600


def start_run(engine: Engine, source_id: str, *, dry_run: bool = False, **queue_meta) -> int:
    """Record a run as started (its own committed transaction) and return its id.

    Runs of the same source left ``running`` by a crash are marked ``interrupted`` first.
    ``queue_meta`` (``job_id``, ``attempt``, ``retry_of``, ``worker``) describe a queued run.
    """
    t = RunRow.__table__
    with engine.begin() as conn:
        conn.execute(
            update(t).where(t.c.source_id == source_id, t.c.status == "running")
            .values(status="interrupted", finished_at=utcnow(), error="process ended before the run finished")
        )
        res = conn.execute(t.insert().values(source_id=source_id, started_at=utcnow(), status="running", dry_run=dry_run,
                                             **queue_meta))
        return int(res.inserted_primary_key[0])


def finish_run(conn: Connection, run_id: int, *, status: str, complete: bool, error: str | None = None, **counts: int) -> None:
    """Store a run's outcome and counts (inside the caller's transaction)."""
    t = RunRow.__table__
    conn.execute(
        update(t).where(t.c.id == run_id).values(
            status=status, complete=complete, error=error, finished_at=utcnow(), **counts
        )
    )


def run_outcome(engine: Engine, run_id: int) -> tuple[str, str | None]:
    """(status, error) of a run as stored (``running`` while it has not finished)."""
    t = RunRow.__table__
    with engine.connect() as conn:
        row = conn.execute(select(t.c.status, t.c.error).where(t.c.id == run_id)).one()
    return row.status, row.error


def recent_fetch_counts(conn: Connection, source_id: str, n: int = 5) -> list[int]:
    """Fetched counts of the source's last ``n`` successful, complete runs (newest first).

    A ``not_modified`` run counts too (its ``fetched`` is the records of the unchanged body):
    a source that rarely changes still has recent runs to compare a sudden drop against.
    """
    t = RunRow.__table__
    rows = conn.execute(
        select(t.c.fetched).where(t.c.source_id == source_id, t.c.status.in_(("ok", "not_modified")),
                                  t.c.complete.is_(True),
                                  t.c.dry_run.is_(False))
        .order_by(t.c.id.desc()).limit(n)
    )
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
) -> SourceStateRow:
    """Update a source's health after a run. ``outcome`` is ok | not_modified | failed | suspect.

    Failures put the source into exponential back-off (capped) and mark it ``failing``.
    """
    t = SourceStateRow.__table__
    now = utcnow()
    row = conn.execute(select(t).where(t.c.source_id == source_id)).first()
    failures = row.consecutive_failures if row else 0
    values: dict = {"last_run_id": run_id}
    if outcome == "failed":
        failures += 1
        delay = min(BACKOFF_BASE_S * 2 ** (failures - 1), BACKOFF_CAP_S)
        values.update(state="failing", reason=reason, consecutive_failures=failures,
                      backoff_until=now + timedelta(seconds=delay), last_error=reason)
    else:
        values.update(consecutive_failures=0, backoff_until=None, last_success_at=now,
                      state="suspect" if outcome == "suspect" else "ok",
                      reason=reason if outcome == "suspect" else None)
        if new_items:
            values["last_new_item_at"] = now
        elif row is None or row.last_new_item_at is None:
            values["last_new_item_at"] = now if outcome != "suspect" else None
    if row is None:
        conn.execute(t.insert().values(source_id=source_id, **values))
    else:
        conn.execute(update(t).where(t.c.source_id == source_id).values(**values))
    return conn.execute(select(SourceStateRow).where(t.c.source_id == source_id)).first()
