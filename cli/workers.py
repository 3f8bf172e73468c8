"""``tim worker`` and ``tim enqueue``: source runs on the job queue (:mod:`tim.scheduler.queue`)."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer

from .common import DEFAULT_CONFIG, ConfigOption, DbOption, engine_for, fail, load

BrokerOption = Annotated[str | None, typer.Option(
    "--broker", envvar="TIM_BROKER", help="RabbitMQ URL (default amqp://guest:guest@127.0.0.1:5672/%2F).")]
QueueOption = Annotated[str, typer.Option("--queue", envvar="TIM_QUEUE", help="Queue name (the same for scheduler and workers).")]


def connect(broker: str | None, queue: str):
    """Open the queue or exit 2 with the broker's error."""
    from tim.scheduler.queue import open_queue

    try:
        return open_queue(broker, queue)
    except Exception as exc:  # noqa: BLE001  (pika's connection errors)
        fail(f"cannot reach the job queue broker: {type(exc).__name__}: {exc}", code=2)


def worker(
    threads: Annotated[int, typer.Option("--threads", "-t", min=1, help="Runs executed at once by this process.")] = 2,
    broker: BrokerOption = None,
    queue: QueueOption = "tim-runs",
    db: DbOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
) -> None:
    """Execute queued source runs (from `tim run --role scheduler` or `tim enqueue`) until SIGTERM / Ctrl-C.

    Start any number, on any machine, against the same broker and database. A source runs in at
    most one worker at a time; a run whose worker dies is retried by another (`tim runs` shows the
    attempts). --db only checks the database at start: each job names its own.
    """
    from tim.scheduler.logs import configure_logging
    from tim.scheduler.queue import run_worker

    configure_logging(verbose)
    if db is not None:
        engine_for(db).dispose()  # refuse a database that is behind before taking jobs
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        run_worker(broker, queue, threads, stop)
    except Exception as exc:  # noqa: BLE001
        fail(f"worker stopped: {type(exc).__name__}: {exc}", code=2)


def enqueue(
    source_ids: Annotated[list[str] | None, typer.Argument(help="Sources to run (default: every enabled source).")] = None,
    times: Annotated[int, typer.Option("--times", "-n", min=1, help="Runs of each source to enqueue.")] = 1,
    broker: BrokerOption = None,
    queue: QueueOption = "tim-runs",
    db: DbOption = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Put runs of the given sources on the job queue now, for the workers; prints the job ids."""
    from tim.store.db import default_db_url

    cfg = load(config)
    try:
        sources = [cfg.source(s) for s in source_ids] if source_ids else [s for s in cfg.sources if s.enabled]
    except Exception as exc:  # noqa: BLE001
        fail(str(exc), code=2)
    engine_for(db).dispose()
    q = connect(broker, queue)
    try:
        for _ in range(times):
            for s in sources:
                job = q.enqueue_run(s.id, config, db or default_db_url(), deadline_s=cfg.scheduler.deadline_for(s.id))
                typer.echo(f"{job}\t{s.id}")
    finally:
        q.close()


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.command("enqueue")(enqueue)
