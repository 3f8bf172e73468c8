"""Operator commands: ``tim run`` (the scheduling service), ``tim status``, ``tim runs``.

No logic here: the service is ``scheduler``, the numbers come from ``store.health``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from .common import DEFAULT_CONFIG, ConfigOption, DbOption, engine_for, fail, load
from rich.text import Text

from .tables import buurt_counts, console, with_errors

TZ = ZoneInfo("Europe/Amsterdam")
STATE_COLOURS = {"ok": "green", "new": "cyan", "failing": "red", "suspect": "yellow", "stale": "yellow",
                 "disabled": "dim"}
COUNTS_LEGEND = "counts: fetched, +inserted ~updated =unchanged -expired xfailed records"
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _local(dt: datetime | None) -> str:
    return dt.astimezone(TZ).strftime("%Y-%m-%d %H:%M") if dt else "-"


def _counts(run: dict) -> str:
    return (f"{run['fetched']} fetched, +{run['inserted']} ~{run['updated']} ={run['unchanged']} "
            f"-{run['expired']} x{run['failed']}")


def run(
    db: DbOption = None,
    config: ConfigOption = DEFAULT_CONFIG,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Also serve the feeds, /status and /metrics.")] = False,
    host: Annotated[str | None, typer.Option(help="Interface for --serve (default [serve] host).")] = None,
    port: Annotated[int | None, typer.Option(help="Port for --serve (default [serve] port).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
    role: Annotated[str, typer.Option("--role", help="single: run the sources here (default); scheduler: only "
                                      "enqueue due runs for `tim worker` processes.")] = "single",
    broker: Annotated[str | None, typer.Option("--broker", envvar="TIM_BROKER",
                                               help="RabbitMQ URL for --role scheduler.")] = None,
    queue: Annotated[str, typer.Option("--queue", envvar="TIM_QUEUE", help="Queue name for --role scheduler.")] = "tim-runs",
) -> None:
    """Run the scheduling service: every enabled source on its schedule, until SIGTERM / Ctrl-C.

    Each run happens in a child process with a hard deadline; failing sources back off; the job
    state is kept in the database, so a restart keeps the next-run times. With --role scheduler
    due runs are put on the job queue instead, for any number of `tim worker` processes.
    """
    from tim.errors import TimError
    from tim.scheduler.logs import configure_logging
    from tim.scheduler.runner import run_service
    from tim.store.db import default_db_url

    configure_logging(verbose)
    if role not in ("single", "scheduler"):
        fail(f"--role {role!r}: use single or scheduler", code=2)
    cfg = load(config)
    engine_for(db).dispose()  # fail early, with exit code 2, on a bad database URL
    db_url = db or default_db_url()
    enqueue, q = None, None
    if role == "scheduler":
        from .workers import connect

        q = connect(broker, queue)

        def enqueue(source_id: str) -> str:
            return q.enqueue_run(source_id, config, db_url, deadline_s=cfg.scheduler.deadline_for(source_id))
    try:
        code = run_service(cfg, config, db_url, serve=serve, host=host, port=port, enqueue=enqueue)
    except TimError as exc:
        fail(str(exc), code=2)
    finally:
        if q is not None:
            q.close()
    raise typer.Exit(code)


def status(
    db: DbOption = None,
    config: ConfigOption = DEFAULT_CONFIG,
    as_json: JsonFlag = False,
) -> None:
    """Show every configured source's state, last run, next run and failures, and items per buurt."""
    from tim.store.health import jsonable, status_report

    cfg = load(config)
    report = status_report(engine_for(db), cfg)
    if as_json:
        typer.echo(json.dumps(jsonable(report), ensure_ascii=False, indent=2))
        return
    table = Table(title="Sources", caption=COUNTS_LEGEND)
    for col in ("source", "state", "last run", "counts", "next run", "failures"):
        table.add_column(col, overflow="fold")
    notes = []
    for s in report["sources"]:
        colour = STATE_COLOURS.get(s["state"], "")
        last = s["last_run"]
        last_text = f"{_local(last['started_at'])} {last['status']}" if last else "-"
        if s["running_since"]:
            last_text += f"\n(running since {_local(s['running_since'])})"
        nxt = _local(s["next_run"]) + ("" if s["next_run_from"] != "schedule" else " (computed)")
        if s["next_run_from"] == "scheduler" and s["next_run"] and s["next_run"] < report["generated_at"]:
            nxt += " (overdue: is tim run running?)"
        if s["backoff_until"]:
            nxt += f"\nback-off until {_local(s['backoff_until'])}"
        note = s["reason"] if s["state"] in ("suspect", "stale") else s["last_error"] if s["state"] == "failing" else ""
        table.add_row(Text(s["id"]), Text(s["state"], style=colour), last_text, _counts(last) if last else "-", nxt,
                      str(s["consecutive_failures"]))
        if note:
            notes.append((f"{s['id']} ({s['state']})", note))
    console.print(with_errors(table, notes, "Last error / reason"))
    console.print(buurt_counts(report["buurten"]))
    t = report["totals"]
    states = ", ".join(f"{n} {st}" for st, n in report["states"].items() if n)
    typer.echo(f"{len(report['sources'])} sources ({states}); {t['items_active']} active and "
               f"{t['items_expired']} expired source records; {t['bundled_active']} bundled items")


def runs(
    source_id: Annotated[str, typer.Argument(help="The source whose runs to list.")],
    limit: Annotated[int, typer.Option("--limit", "-n", help="Newest N runs.")] = 20,
    db: DbOption = None,
    config: ConfigOption = DEFAULT_CONFIG,
    as_json: JsonFlag = False,
) -> None:
    """List a source's run history, newest first: times, status, completeness, counts, error."""
    from tim.store.health import jsonable, run_history

    cfg = load(config)
    if source_id not in {s.id for s in cfg.sources}:
        fail(f"no source with id {source_id!r} in {config}", code=2)
    with engine_for(db).connect() as conn:
        history = run_history(conn, source_id, limit)
    if as_json:
        typer.echo(json.dumps(jsonable(history), ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Runs of {source_id} (newest first)", caption=COUNTS_LEGEND)
    for col in ("run", "started", "finished", "status", "complete", "counts"):
        table.add_column(col, overflow="fold", justify="right" if col == "run" else "left")
    for r in history:
        table.add_row(str(r["id"]), _local(r["started_at"]), _local(r["finished_at"]), r["status"],
                      "yes" if r["complete"] else "no", _counts(r))
    errors = [(f"run {r['id']} ({r['status']})", r["error"]) for r in history if r["error"]]
    console.print(with_errors(table, errors))
    if not history:
        typer.echo(f"{source_id} has not run yet")


def register(app: typer.Typer) -> None:
    """Add ``run``, ``status`` and ``runs`` to the ``tim`` app."""
    app.command("run")(run)
    app.command("status")(status)
    app.command("runs")(runs)
