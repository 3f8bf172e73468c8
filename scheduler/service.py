"""The scheduling service behind ``tim run``: APScheduler with a persistent job store.

One job per enabled source, stored in the ``scheduler_jobs`` table of the pipeline's own database
(SQLite or PostgreSQL), so next-run times survive a restart. Job defaults: one run per source at
a time (``max_instances=1``), late runs coalesced into one (``coalesce=True``) while within
``misfire_grace_seconds``. The worker pool's size is the global cap on concurrent runs. Every
scheduling event that changes what runs (late, coalesced, missed, skipped) is one log line.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from tim.config import Config
from tim.errors import ConfigError
from tim.store.db import from_db
from tim.store.health import JOBS_TABLE
from tim.store.tables import RunRow

from .dedup import DedupCoordinator
from .jobs import JOB_FUNC, JOB_PREFIX, RunContext, job_id, set_context
from .logs import logfmt
from .triggers import TZ, build_trigger, describe, first_run_time

log = logging.getLogger("tim.scheduler")

LATE_S = 60.0
"""A run submitted more than this after its scheduled time is logged as late."""


class _Scheduler(BackgroundScheduler):
    """APScheduler 3's ``shutdown()`` wakes the scheduler thread, which then processes due jobs
    once more: it submits them to the executors it just shut down (an error) and moves their
    next-run times on, so a run due at shutdown would be lost. A stopped scheduler processes none."""

    def _process_jobs(self):
        if self.state == STATE_STOPPED:
            return None
        return super()._process_jobs()


@dataclass
class JobPlan:
    """What ``sync_jobs`` did with one source's job."""

    source_id: str
    action: str
    """added | rescheduled | kept | removed"""
    next_run: datetime | None


class Service:
    """The scheduler of every enabled source; ``start()``, then ``stop()``."""

    def __init__(self, config: Config, config_path: str | Path, db_url: str, *, engine: Engine | None = None,
                 enqueue=None):
        from tim.store.db import make_engine

        unknown = sorted(set(config.scheduler.deadlines) - {s.id for s in config.sources})
        if unknown:
            raise ConfigError(f"{config_path}: [scheduler.deadlines]: unknown source id(s) {', '.join(unknown)}")
        self.config = config
        self.settings = config.scheduler
        self.config_path = str(Path(config_path).resolve())
        self.db_url = db_url
        self.engine = engine or make_engine(db_url)
        self.scheduler = _Scheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.engine, tablename=JOBS_TABLE)},
            executors={"default": ThreadPoolExecutor(max_workers=self.settings.max_concurrent_runs)},
            job_defaults=self.job_options(),
            timezone=TZ,
        )
        self.scheduler.add_listener(self._on_event, EVENT_JOB_SUBMITTED | EVENT_JOB_MAX_INSTANCES
                                    | EVENT_JOB_MISSED | EVENT_JOB_ERROR | EVENT_JOB_EXECUTED)
        self.context = RunContext(engine=self.engine, settings=self.settings, enqueue=enqueue)
        self._expected: dict[str, datetime | None] = {}
        self.finished: Counter[str] = Counter()
        """Jobs that ended (run, skipped or raised) per source id since start; counted after
        APScheduler released the job's instance, so a job due now will not be refused."""
        self.plans: list[JobPlan] = []
        """What the last ``start()`` did with each source's job."""

    def job_options(self) -> dict:
        """APScheduler job defaults: one run per source, late runs coalesced within the grace time."""
        return {"coalesce": True, "max_instances": 1, "misfire_grace_time": self.settings.misfire_grace_seconds}

    # -- lifecycle -------------------------------------------------------------------------
    def start(self, *, paused: bool = False) -> list[JobPlan]:
        """Open the job store, bring the jobs in line with the config, and start scheduling
        (unless ``paused``). Stored jobs whose schedule did not change keep their next run."""
        from tim.crawlers.pacing import PACER
        from tim.pipeline import Pipeline

        # the run directory of per-host turns, exported before any worker starts: every worker
        # (and its Scrapy subprocess) inherits it, so concurrent runs keep one delay per host
        PACER.directory  # noqa: B018
        # one Pipeline for the service's life: its de-duplicator keeps state, so passes are incremental
        # (a scheduler that only enqueues leaves re-clustering to the workers)
        if self.context.enqueue is None:
            self.context.dedup = DedupCoordinator(Pipeline(self.config, self.engine).dedup)
        set_context(self.context)
        self.scheduler.start(paused=True)
        plans = self.plans = self.sync_jobs()
        self._expected = {job.id: job.next_run_time for job in self.scheduler.get_jobs()}
        if not paused:
            self.scheduler.resume()
        log.info(logfmt("scheduler_started", jobs=len(self._expected), max_concurrent_runs=self.settings.max_concurrent_runs,
                        paused=paused))
        return plans

    def resume(self) -> None:
        """Start processing jobs after ``start(paused=True)``."""
        self.scheduler.resume()

    def stop(self, grace: float | None = None) -> None:
        """Stop scheduling; give running runs ``grace`` seconds (default ``shutdown_grace_seconds``)
        to finish, then stop them (their writes roll back; the runs are recorded interrupted)."""
        grace = self.settings.shutdown_grace_seconds if grace is None else grace
        running = sorted(self.context.children)
        log.info(logfmt("scheduler_stopping", running=",".join(running) or "-", grace_seconds=grace))
        if self.scheduler.running:
            self.scheduler.pause()
        self.context.begin_stop(grace)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        if self.context.dedup is not None:
            self.context.dedup.stop(timeout=max(grace, 30.0))
        set_context(None)
        log.info(logfmt("scheduler_stopped"))

    def force_stop_children(self) -> None:
        """Stop running children now (a second Ctrl-C / SIGTERM)."""
        self.context.begin_stop(0)

    # -- jobs ------------------------------------------------------------------------------
    def sync_jobs(self) -> list[JobPlan]:
        """Add, reschedule or keep one job per enabled source; remove jobs of other sources."""
        now = datetime.now(TZ)
        enabled = {job_id(s.id): s for s in self.config.sources if s.enabled}
        plans: list[JobPlan] = []
        existing = {job.id: job for job in self.scheduler.get_jobs()}
        for jid, job in existing.items():
            if jid.startswith(JOB_PREFIX) and jid not in enabled:
                self.scheduler.remove_job(jid)
                plans.append(JobPlan(jid[len(JOB_PREFIX):], "removed", None))
        last = self._last_started()
        for jid, source in enabled.items():
            schedule, jitter = source.parsed_schedule, self.settings.jitter_seconds
            name = f"{source.id} ({describe(schedule, jitter)})"
            args = (source.id, self.config_path, self.db_url)
            job = existing.get(jid)
            if job is None:
                nxt = first_run_time(schedule, jitter, last.get(source.id), now)
                self.scheduler.add_job(JOB_FUNC, trigger=build_trigger(schedule, jitter), args=args, id=jid, name=name,
                                       next_run_time=nxt, replace_existing=True, **self.job_options())
                plans.append(JobPlan(source.id, "added", nxt))
            elif job.name != name:
                nxt = first_run_time(schedule, jitter, last.get(source.id), now)
                self.scheduler.modify_job(jid, trigger=build_trigger(schedule, jitter), name=name, args=args,
                                          next_run_time=nxt, **self.job_options())
                plans.append(JobPlan(source.id, "rescheduled", nxt))
            else:
                changes = {k: v for k, v in {"args": args, **self.job_options()}.items() if getattr(job, k) != v}
                if changes:
                    self.scheduler.modify_job(jid, **changes)
                plans.append(JobPlan(source.id, "kept", job.next_run_time))
        for plan in plans:
            log.info(logfmt("job_" + plan.action, source=plan.source_id,
                            next_run=plan.next_run.isoformat(timespec="seconds") if plan.next_run else None))
        return plans

    def run_now(self, source_id: str) -> None:
        """Make the source's job due now (it still obeys max_instances and back-off)."""
        self.scheduler.modify_job(job_id(source_id), next_run_time=datetime.now(TZ))

    def next_run_times(self) -> dict[str, datetime | None]:
        return {job.id[len(JOB_PREFIX):]: job.next_run_time for job in self.scheduler.get_jobs()
                if job.id.startswith(JOB_PREFIX)}

    def _last_started(self) -> dict[str, datetime]:
        t = RunRow.__table__
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.c.source_id, func.max(t.c.started_at)).where(t.c.dry_run.is_(False))
                                .group_by(t.c.source_id))
            return {sid: from_db(at) for sid, at in rows}

    # -- event log lines -------------------------------------------------------------------
    def _on_event(self, event: JobEvent) -> None:
        if not event.job_id.startswith(JOB_PREFIX):
            return
        source = event.job_id[len(JOB_PREFIX):]
        if event.code in (EVENT_JOB_EXECUTED, EVENT_JOB_ERROR):
            if event.code == EVENT_JOB_ERROR:
                log.error(logfmt("job_failed", source=source, error=f"{type(event.exception).__name__}: {event.exception}"))
            self.finished[source] += 1
            return
        scheduled = event.scheduled_run_times[-1] if getattr(event, "scheduled_run_times", None) else event.scheduled_run_time
        at = scheduled.isoformat(timespec="seconds")
        late = (datetime.now(TZ) - scheduled).total_seconds()
        if event.code == EVENT_JOB_SUBMITTED:
            expected = self._expected.get(event.job_id)
            if expected is not None and scheduled - expected > timedelta(seconds=1):
                log.warning(logfmt("runs_coalesced", source=source, first_due=expected.isoformat(timespec="seconds"),
                                   last_due=at, late_seconds=f"{late:.0f}"))
            elif late > LATE_S:
                log.warning(logfmt("run_late", source=source, scheduled=at, late_seconds=f"{late:.0f}"))
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            log.warning(logfmt("run_skipped", source=source, reason="already_running", scheduled=at))
        elif event.code == EVENT_JOB_MISSED:
            log.warning(logfmt("run_missed", source=source, scheduled=at, late_seconds=f"{late:.0f}",
                               grace_seconds=self.settings.misfire_grace_seconds))
        self._refresh_expected(event.job_id)

    def _refresh_expected(self, jid: str) -> None:
        try:
            job = self.scheduler.get_job(jid)
        except JobLookupError:
            job = None
        self._expected[jid] = job.next_run_time if job else None
