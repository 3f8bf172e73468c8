"""What the service stores when a child run did not record itself.

A child killed at its deadline, or dead of a crash, leaves its run row ``running`` (its own
transaction was rolled back, so none of its items were written). The service marks that row
``failed`` with the reason and counts the failure in the source's health (back-off); a child
that died before it even started its run gets a failed run row of its own. A run stopped by the
service's shutdown is ``interrupted``: not the source's fault, so no failure is counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from tim.store.runs import finish_run, start_run, update_source_state
from tim.store.tables import RunRow

from .isolation import ChildResult


@dataclass
class RunOutcome:
    """The stored result of one scheduled run, as the service logs it."""

    run_id: int | None
    status: str
    error: str | None = None
    fetched: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    expired: int = 0

    @property
    def stored_items(self) -> bool:
        """The run wrote its items (so the clusters may have changed)."""
        return self.status in ("ok", "suspect", "not_modified")


def last_run_id(engine: Engine, source_id: str) -> int:
    """The newest run id of the source (0 if none): runs after it belong to the next child."""
    t = RunRow.__table__
    with engine.connect() as conn:
        return conn.execute(select(func.coalesce(func.max(t.c.id), 0)).where(t.c.source_id == source_id)).scalar_one()


def record_child(engine: Engine, source_id: str, after_run_id: int, result: ChildResult) -> RunOutcome:
    """Read (clean exit) or write (killed, crashed) the outcome of the child's run."""
    t = RunRow.__table__
    with engine.begin() as conn:
        runs = conn.execute(
            select(t).where(t.c.source_id == source_id, t.c.id > after_run_id).order_by(t.c.id)
        ).all()
        running = [r for r in runs if r.status == "running"]
        if runs and not running:
            # The run recorded itself (a child killed while exiting still did): keep its outcome.
            return _outcome(runs[-1])
        reason = result.describe() if not result.clean else "worker exited without recording its run"
        if result.stopped_for == "shutdown":
            for r in running:
                finish_run(conn, r.id, status="interrupted", complete=False, error=reason)
            return RunOutcome(running[-1].id if running else None, "interrupted", reason)
        if running:
            for r in running:
                finish_run(conn, r.id, status="failed", complete=False, error=reason)
            update_source_state(conn, source_id, run_id=running[-1].id, outcome="failed", reason=reason)
            return RunOutcome(running[-1].id, "failed", reason)
    # The child died before it started its run: the failure gets a run row of its own.
    run_id = start_run(engine, source_id)
    with engine.begin() as conn:
        finish_run(conn, run_id, status="failed", complete=False, error=reason)
        update_source_state(conn, source_id, run_id=run_id, outcome="failed", reason=reason)
    return RunOutcome(run_id, "failed", reason)


def _outcome(row) -> RunOutcome:
    return RunOutcome(row.id, row.status, row.error, row.fetched, row.inserted, row.updated, row.unchanged,
                      row.failed, row.expired)
