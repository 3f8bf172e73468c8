"""Source runs on a job queue: ``tim run --role scheduler`` enqueues, ``tim worker`` executes.

The queue is Dramatiq on RabbitMQ (docs/scaling.md says why). A message is one job: run source S
once (``job_id``, ``source_id``, the config path and the database URL, the same on every
machine). Dramatiq acknowledges a message only after its actor returned, so when a worker
process dies mid-run, RabbitMQ hands the message to another worker as soon as the dead worker's
connection closes.

Guarantees, all kept in the shared database:

- **One run of a source at a time, across every worker**: the worker takes the source's lease
  (:mod:`tim.store.leases`) before it runs it and renews it while running; a message for a source
  whose lease is held is retried later (Dramatiq's Retries middleware, exponential back-off).
- **A dead worker's run is retried by another, and the record shows it**: a killed worker's run
  row stays ``running`` and its lease expires (no renewals); the next worker to take the lease
  marks that row ``interrupted`` (naming the dead worker) and starts attempt n+1 with
  ``retry_of`` pointing at it. The killed run's transaction was never committed, so none of its
  items were written: nothing is lost or stored twice.
- **Each job runs to completion once**: a redelivered message whose job already has a finished
  run is acknowledged without running again.
- **Deadlines**: the message carries the source's deadline as Dramatiq's ``time_limit``; a run
  over it is interrupted, rolled back and recorded ``failed`` (counted in the source's health).
- **Re-clustering** after stored runs is a message of its own, serialised by the ``__dedup__``
  lease and skipped when no run finished since the last pass.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from dramatiq import Retry
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from tim.store import leases
from tim.store.db import from_db, make_engine, utcnow
from tim.store.runs import finish_run, start_run, update_source_state
from tim.store.tables import CounterRow, RunRow, SourceStateRow

from .logs import logfmt

log = logging.getLogger("tim.worker")

DEFAULT_BROKER = "amqp://guest:guest@127.0.0.1:5672/%2F"
DEFAULT_QUEUE = "tim-runs"
RUN_ACTOR = "tim_run_source"
DEDUP_ACTOR = "tim_dedup"
DEDUP_COUNTER = "dedup_covered_run"
STORED = ("ok", "suspect", "not_modified")
DEDUP_DELAY_MS = 1000


def broker_url() -> str:
    return os.environ.get("TIM_BROKER", DEFAULT_BROKER)


def lease_seconds() -> float:
    """How long a lease lasts without renewal (``TIM_LEASE_SECONDS``, default 30): how soon a dead
    worker's run is retried."""
    return float(os.environ.get("TIM_LEASE_SECONDS", "30"))


class LeaseBusy(Retry):
    """The source (or the dedup pass) is being run by another worker: try the message again in
    0.5-1.5 s (a Dramatiq ``Retry``: re-enqueued without an error log line)."""

    def __init__(self, key: str):
        super().__init__(f"{key!r} is held by another worker", delay=random.randint(500, 1500))


def _retry_when(retries: int, exc: BaseException) -> bool:
    if isinstance(exc, LeaseBusy):
        return retries < 10_000  # waiting for a long run of the same source; the AgeLimit bounds it
    return retries < 3


@dataclass
class Runtime:
    """What one worker process keeps between messages."""

    holder: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    ttl: float = field(default_factory=lease_seconds)
    _engines: dict[str, Engine] = field(default_factory=dict)
    _configs: dict[str, tuple[float, object]] = field(default_factory=dict)
    _locators: dict[tuple[str, str], object] = field(default_factory=dict)
    _held: dict[tuple[str, str], str] = field(default_factory=dict)
    """(database URL, lease key) -> the holder token of this process's lease on it."""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _heartbeat: threading.Thread | None = None
    dedup_actor: object = None

    def engine(self, db_url: str) -> Engine:
        with self._lock:
            if db_url not in self._engines:
                self._engines[db_url] = make_engine(db_url)
            return self._engines[db_url]

    def config(self, path: str):
        """The config at ``path``, re-read when the file changed."""
        from tim.config import load_config

        mtime = Path(path).stat().st_mtime
        with self._lock:
            cached = self._configs.get(path)
            if cached is None or cached[0] != mtime:
                cached = (mtime, load_config(path))
                self._configs[path] = cached
                self._locators = {k: v for k, v in self._locators.items() if k[0] != path}
            return cached[1]

    def pipeline(self, config_path: str, db_url: str):
        """A Pipeline sharing one geo locator per config and database (loaded once)."""
        from tim.pipeline import Pipeline

        config, engine = self.config(config_path), self.engine(db_url)
        key = (config_path, db_url)
        with self._lock:
            locator = self._locators.get(key)
        pipe = Pipeline(config, engine, locator=locator)
        if locator is None:
            with self._lock:
                self._locators[key] = pipe.locator
        return pipe

    # -- leases held by this process, renewed by one heartbeat thread -----------------------
    def token(self, what: str) -> str:
        """A holder token for one lease: the process and what it holds it for."""
        return f"{self.holder}#{what}"

    def hold(self, db_url: str, key: str, token: str) -> None:
        with self._lock:
            self._held[(db_url, key)] = token
            if self._heartbeat is None:
                self._heartbeat = threading.Thread(target=self._beat, daemon=True, name="lease-heartbeat")
                self._heartbeat.start()

    def unhold(self, db_url: str, key: str) -> None:
        with self._lock:
            self._held.pop((db_url, key), None)

    def _beat(self) -> None:
        while True:
            time.sleep(max(self.ttl / 3, 0.2))
            with self._lock:
                by_db: dict[str, list[tuple[str, str]]] = {}
                for (db_url, key), token in self._held.items():
                    by_db.setdefault(db_url, []).append((key, token))
            for db_url, held in by_db.items():
                try:
                    lost = leases.renew(self.engine(db_url), held, self.ttl)
                except Exception as exc:  # noqa: BLE001  (the next beat tries again)
                    log.error(logfmt("lease_renew_failed", holder=self.holder, error=f"{type(exc).__name__}: {exc}"))
                    continue
                with self._lock:  # released meanwhile: not lost
                    lost = {(k, tok) for k, tok in lost if self._held.get((db_url, k)) == tok}
                for key, token in lost:
                    log.error(logfmt("lease_lost", key=key, holder=token,
                                     reason="not renewed within its TTL (process paused?)"))


_runtime: Runtime | None = None


def runtime() -> Runtime:
    global _runtime
    if _runtime is None:
        _runtime = Runtime()
    return _runtime


# -- the jobs -------------------------------------------------------------------------------
def _job_runs(engine: Engine, job_id: str) -> list:
    t = RunRow.__table__
    with engine.connect() as conn:
        return conn.execute(select(t).where(t.c.job_id == job_id).order_by(t.c.id)).all()


def _done(runs: list) -> bool:
    """A job is done once one of its runs ended by itself (ok, failed, ...), not by a dead worker."""
    return any(r.status not in ("running", "interrupted") for r in runs)


def run_job(job_id: str, source_id: str, config_path: str, db_url: str) -> dict:
    """Run one queued job (one run of one source) under the source's lease."""
    from dramatiq.middleware import TimeLimitExceeded

    rt = runtime()
    engine = rt.engine(db_url)
    if _done(_job_runs(engine, job_id)):
        log.info(logfmt("job_already_done", job=job_id, source=source_id))
        return {"status": "already_done"}
    token = rt.token(job_id)
    taken = leases.acquire(engine, source_id, token, rt.ttl, job_id)
    if taken is None:
        log.info(logfmt("job_waiting", job=job_id, source=source_id, reason="source_running_elsewhere"))
        raise LeaseBusy(source_id)
    rt.hold(db_url, source_id, token)
    report = None
    try:
        runs = _job_runs(engine, job_id)
        if _done(runs):
            return {"status": "already_done"}
        # we hold the source's lease: any run of it still "running" belongs to a dead worker
        t = RunRow.__table__
        with engine.begin() as conn:
            dead = conn.execute(select(t).where(t.c.source_id == source_id, t.c.status == "running")).all()
            for r in dead:
                finish_run(conn, r.id, status="interrupted", complete=False,
                           error=f"worker {r.worker} died mid-run (its lease on {source_id!r} expired); "
                                 f"retried by {rt.holder}")
        for r in dead:
            log.warning(logfmt("run_retried" if r.job_id == job_id else "run_interrupted", job=r.job_id,
                               source=source_id, dead_run=r.id, dead_worker=r.worker, by=rt.holder))
        runs = _job_runs(engine, job_id)
        config = rt.config(config_path)
        source = config.source(source_id)
        backoff = _backoff_until(engine, source_id)
        if backoff is not None:
            log.warning(logfmt("run_skipped", job=job_id, source=source_id, reason="backoff",
                               backoff_until=backoff.isoformat(timespec="seconds")))
            return {"status": "skipped", "reason": "backoff"}
        run_id = start_run(engine, source_id, job_id=job_id, attempt=len(runs) + 1,
                           retry_of=runs[-1].id if runs else None, worker=rt.holder)
        try:
            report = rt.pipeline(config_path, db_url).run_source(source, run_id=run_id)
        except BaseException as exc:  # a deadline (TimeLimitExceeded) or a bug: the run's writes rolled back
            why = (f"deadline exceeded: interrupted after {config.scheduler.deadline_for(source_id):g} s"
                   if isinstance(exc, TimeLimitExceeded) else f"{type(exc).__name__}: {exc}")
            with engine.begin() as conn:
                finish_run(conn, run_id, status="failed", complete=False, error=why)
                update_source_state(conn, source_id, run_id=run_id, outcome="failed", reason=why)
            log.error(logfmt("run_killed" if isinstance(exc, TimeLimitExceeded) else "worker_crashed",
                             job=job_id, source=source_id, run=run_id, reason=why))
            if isinstance(exc, TimeLimitExceeded):
                return {"status": "failed", "run_id": run_id, "error": why}
            raise
    finally:
        rt.unhold(db_url, source_id)
        leases.release(engine, source_id, token)
    if report.status in STORED and rt.dedup_actor is not None:
        # a little later, so that a burst of runs is folded into one pass (the others find
        # nothing new and return at once)
        rt.dedup_actor.send_with_options(args=(config_path, db_url), delay=DEDUP_DELAY_MS)  # type: ignore[attr-defined]
    return {"status": report.status, "run_id": report.run_id}


def dedup_job(config_path: str, db_url: str) -> dict:
    """Re-cluster once if any run was stored since the last pass (one pass at a time, anywhere)."""
    from tim.pipeline import Pipeline

    rt = runtime()
    engine = rt.engine(db_url)
    token = rt.token("dedup-" + uuid.uuid4().hex[:8])
    if leases.acquire(engine, leases.DEDUP_KEY, token, rt.ttl) is None:
        raise LeaseBusy(leases.DEDUP_KEY)
    rt.hold(db_url, leases.DEDUP_KEY, token)
    try:
        r, c = RunRow.__table__, CounterRow.__table__
        with engine.connect() as conn:
            latest = conn.execute(select(func.coalesce(func.max(r.c.id), 0)).where(r.c.status.in_(STORED))).scalar_one()
            covered = conn.execute(select(c.c.value).where(c.c.name == DEDUP_COUNTER)).scalar() or 0
        if latest <= covered:
            return {"status": "up_to_date"}
        # a fresh Pipeline (a full pass): another worker may have re-clustered since our last pass
        counts = Pipeline(rt.config(config_path), engine).dedup()
        with engine.begin() as conn:
            if conn.execute(update(c).where(c.c.name == DEDUP_COUNTER).values(value=latest)).rowcount == 0:
                conn.execute(c.insert().values(name=DEDUP_COUNTER, value=latest))
        return {"status": "done", **counts}
    finally:
        rt.unhold(db_url, leases.DEDUP_KEY)
        leases.release(engine, leases.DEDUP_KEY, token)


def _run_message(job_id: str, source_id: str, config_path: str, db_url: str) -> None:
    run_job(job_id, source_id, config_path, db_url)  # the outcome is in the run row, not a result backend


def _dedup_message(config_path: str, db_url: str) -> None:
    dedup_job(config_path, db_url)


def dedup_pending(engine: Engine) -> bool:
    """True while a stored run is newer than the last re-clustering pass."""
    r, c = RunRow.__table__, CounterRow.__table__
    with engine.connect() as conn:
        latest = conn.execute(select(func.coalesce(func.max(r.c.id), 0)).where(r.c.status.in_(STORED))).scalar_one()
        covered = conn.execute(select(c.c.value).where(c.c.name == DEDUP_COUNTER)).scalar() or 0
    return latest > covered


def _backoff_until(engine: Engine, source_id: str):
    t = SourceStateRow.__table__
    with engine.connect() as conn:
        until = from_db(conn.execute(select(t.c.backoff_until).where(t.c.source_id == source_id)).scalar())
    return until if until is not None and until > utcnow() else None


# -- broker, actors, enqueueing, the worker ---------------------------------------------------
@dataclass
class Queue:
    """The broker and the two actors declared on one queue."""

    broker: object
    name: str
    run_actor: object
    dedup_actor: object

    def enqueue_run(self, source_id: str, config_path: str | Path, db_url: str, *, deadline_s: float) -> str:
        """Put one run of ``source_id`` on the queue; returns its job id."""
        job_id = uuid.uuid4().hex
        self.run_actor.send_with_options(  # type: ignore[attr-defined]
            args=(job_id, source_id, str(Path(config_path).resolve()), db_url),
            time_limit=int(deadline_s * 1000))
        log.info(logfmt("job_enqueued", job=job_id, source=source_id, queue=self.name))
        return job_id

    def close(self) -> None:
        self.broker.close()  # type: ignore[attr-defined]


def open_queue(url: str | None = None, name: str = DEFAULT_QUEUE) -> Queue:
    """Connect to the RabbitMQ broker at ``url`` and declare the actors on queue ``name``."""
    import dramatiq
    from dramatiq.brokers.rabbitmq import RabbitmqBroker

    broker = RabbitmqBroker(url=url or broker_url())
    common = {"broker": broker, "queue_name": name, "retry_when": _retry_when, "min_backoff": 250,
              "max_backoff": 5000, "max_age": 24 * 3600 * 1000}
    run_actor = dramatiq.actor(_run_message, actor_name=RUN_ACTOR, **common)
    dedup_actor = dramatiq.actor(_dedup_message, actor_name=DEDUP_ACTOR, time_limit=3600 * 1000, **common)
    return Queue(broker, name, run_actor, dedup_actor)


def run_worker(url: str | None, name: str, threads: int, stop: threading.Event) -> None:
    """Consume queue ``name`` with ``threads`` worker threads until ``stop`` is set."""
    import dramatiq

    queue = open_queue(url, name)
    runtime().dedup_actor = queue.dedup_actor
    worker = dramatiq.Worker(queue.broker, worker_threads=threads)  # type: ignore[arg-type]
    worker.start()
    log.info(logfmt("worker_started", holder=runtime().holder, queue=name, threads=threads,
                    lease_seconds=runtime().ttl))
    try:
        while not stop.wait(0.5):
            pass
    finally:
        log.info(logfmt("worker_stopping", holder=runtime().holder))
        worker.stop()
        queue.close()
        log.info(logfmt("worker_stopped", holder=runtime().holder))
