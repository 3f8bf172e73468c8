"""The job the persistent job store refers to by name: ``scheduler.jobs:run_source_job``.

A stored job holds only the source id, the config path and the database URL (picklable), so it
survives a restart and a code change. The function runs in a thread of the scheduler's worker
pool (whose size is the global cap on concurrent runs); it skips a source in back-off, runs the
source in a child process with its deadline, records what the child could not, logs one line,
and asks for a re-cluster.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.engine import Engine

from tim.config import SchedulerSettings
from tim.store.db import from_db, utcnow
from tim.store.tables import SourceStateRow

from .dedup import DedupCoordinator
from .isolation import run_child, worker_argv
from .logs import logfmt
from .recording import last_run_id, record_child

log = logging.getLogger("tim.scheduler")

JOB_FUNC = "tim.scheduler.jobs:run_source_job"
JOB_PREFIX = "source:"


def job_id(source_id: str) -> str:
    return JOB_PREFIX + source_id


@dataclass
class RunContext:
    """What the jobs of one running service share."""

    engine: Engine
    settings: SchedulerSettings
    dedup: DedupCoordinator | None = None
    stopping: threading.Event = field(default_factory=threading.Event)
    stop_children_at: float | None = None
    """``time.monotonic()`` after which running children are stopped (set by ``begin_stop``)."""
    children: dict[str, subprocess.Popen] = field(default_factory=dict)
    """Running child per source id."""
    enqueue: Callable[[str], str] | None = None
    """``tim run --role scheduler``: put a due run on the job queue (returns its job id) instead
    of running it here."""

    def begin_stop(self, grace: float) -> None:
        """No new runs from now on; running ones get ``grace`` seconds more."""
        self.stopping.set()
        deadline = time.monotonic() + grace
        if self.stop_children_at is None or deadline < self.stop_children_at:
            self.stop_children_at = deadline

    def should_stop_children(self) -> bool:
        return self.stop_children_at is not None and time.monotonic() >= self.stop_children_at


_context: RunContext | None = None


def set_context(ctx: RunContext | None) -> None:
    """Install the running service's context (``None`` when it stops)."""
    global _context
    _context = ctx


def _standalone(config_path: str, db_url: str) -> RunContext:
    """A context for a job executed outside ``tim run`` (no shared dedup thread)."""
    from tim.config import load_config
    from tim.store.db import make_engine

    return RunContext(engine=make_engine(db_url), settings=load_config(config_path).scheduler)


def run_source_job(source_id: str, config_path: str, db_url: str) -> dict:
    """Run one source in a child process; returns the stored outcome as a dict."""
    ctx = _context or _standalone(config_path, db_url)
    if ctx.stopping.is_set():
        log.info(logfmt("run_skipped", source=source_id, reason="shutting_down"))
        return {"status": "skipped", "reason": "shutting_down"}
    backoff = _backoff_until(ctx.engine, source_id)
    if backoff is not None:
        log.warning(logfmt("run_skipped", source=source_id, reason="backoff",
                           backoff_until=backoff.isoformat(timespec="seconds")))
        return {"status": "skipped", "reason": "backoff"}
    if ctx.enqueue is not None:
        return {"status": "enqueued", "job_id": ctx.enqueue(source_id)}

    deadline = ctx.settings.deadline_for(source_id)
    after = last_run_id(ctx.engine, source_id)
    log.info(logfmt("job_started", source=source_id, deadline=deadline))

    def started(proc: subprocess.Popen) -> None:
        ctx.children[source_id] = proc

    try:
        result = run_child(worker_argv(source_id, config_path, db_url), deadline=deadline,
                           should_stop=ctx.should_stop_children, on_start=started)
    finally:
        ctx.children.pop(source_id, None)
    outcome = record_child(ctx.engine, source_id, after, result)
    if result.stopped_for == "deadline":
        log.error(logfmt("run_killed", source=source_id, run=outcome.run_id, pid=result.pid, reason=result.describe(),
                         run_status=outcome.status))
    elif result.stopped_for == "shutdown":
        log.warning(logfmt("run_interrupted", source=source_id, run=outcome.run_id, pid=result.pid,
                           reason=result.describe(), run_status=outcome.status))
    elif not result.clean:
        log.error(logfmt("worker_crashed", source=source_id, run=outcome.run_id, pid=result.pid,
                         returncode=result.returncode, reason=result.describe(), run_status=outcome.status))
    log.info(logfmt("job_finished", source=source_id, run=outcome.run_id, status=outcome.status,
                    fetched=outcome.fetched, inserted=outcome.inserted, updated=outcome.updated,
                    unchanged=outcome.unchanged, failed=outcome.failed, expired=outcome.expired,
                    seconds=f"{result.seconds:.2f}"))
    if outcome.stored_items:
        if ctx.dedup is not None:
            ctx.dedup.request()
        else:
            _dedup_now(config_path, ctx.engine)
    return asdict(outcome)


def _backoff_until(engine: Engine, source_id: str):
    """The end of the source's back-off if it is still in the future, else ``None``."""
    t = SourceStateRow.__table__
    with engine.connect() as conn:
        until = conn.execute(select(t.c.backoff_until).where(t.c.source_id == source_id)).scalar()
    until = from_db(until)
    return until if until is not None and until > utcnow() else None


def _dedup_now(config_path: str, engine: Engine) -> None:
    from tim.config import load_config
    from tim.pipeline import Pipeline

    Pipeline(load_config(config_path), engine).dedup()
