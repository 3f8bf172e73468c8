"""Source health for operators: what ``tim status``, ``/status`` and ``/metrics`` show.

Read-only. A source's state, decided here at read time:

- ``disabled``  not enabled in ``sources.toml``
- ``new``       never ran
- ``failing``   its last run failed (it is in back-off until ``backoff_until``)
- ``suspect``   its last run returned fewer records than ``min_items`` or dropped sharply
                against its recent runs (that run expired nothing)
- ``stale``     it ran fine, but nothing new arrived within its ``expected_update`` period
- ``ok``        otherwise

The next run comes from the job store when ``tim run`` has scheduled the source, else it is
computed from the schedule and the last run (without jitter).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Column as SAColumn
from sqlalchemy import Float, MetaData, Table, Unicode, func, inspect, select
from sqlalchemy.engine import Connection, Engine

from .db import from_db, utcnow
from .queries import buurt_counts
from .tables import ClusterRow, ItemRow, RunRow, SourceStateRow

JOBS_TABLE = "scheduler_jobs"
"""The APScheduler job store table ``tim run`` keeps in the same database."""
JOB_PREFIX = "source:"
STATES = ("new", "ok", "failing", "suspect", "stale", "disabled")
RUN_COUNTS = ("fetched", "inserted", "updated", "unchanged", "failed", "expired")
TZ = ZoneInfo("Europe/Amsterdam")

_jobs = Table(JOBS_TABLE, MetaData(), SAColumn("id", Unicode(191), primary_key=True),
              SAColumn("next_run_time", Float(25)))


@dataclass
class SourceHealth:
    """One configured source as an operator sees it."""

    id: str
    name: str
    kind: str
    enabled: bool
    schedule: str
    state: str
    reason: str | None
    stale: bool
    expected_update: str | None
    last_run: dict | None
    """The newest finished run: id, started_at, finished_at, status, complete, counts, error."""
    running_since: datetime | None
    next_run: datetime | None
    next_run_from: str | None
    """``scheduler`` (the job store of ``tim run``) or ``schedule`` (computed)."""
    backoff_until: datetime | None
    consecutive_failures: int
    last_error: str | None
    last_success_at: datetime | None
    last_new_item_at: datetime | None
    items_active: int
    items_expired: int
    runs: dict[str, int]
    """Stored runs by status."""


def run_dict(row) -> dict:
    """A run row as a plain dict (aware UTC datetimes)."""
    return {"id": row.id, "source_id": row.source_id, "started_at": from_db(row.started_at),
            "finished_at": from_db(row.finished_at), "status": row.status, "complete": bool(row.complete),
            **{k: getattr(row, k) for k in RUN_COUNTS}, "error": row.error}


def run_history(conn: Connection, source_id: str, limit: int = 50) -> list[dict]:
    """The source's runs, newest first (dry runs excluded)."""
    t = RunRow.__table__
    rows = conn.execute(select(t).where(t.c.source_id == source_id, t.c.dry_run.is_(False))
                        .order_by(t.c.id.desc()).limit(limit))
    return [run_dict(r) for r in rows]


def scheduled_next_runs(conn: Connection) -> dict[str, datetime | None]:
    """Next run per source id from the job store of ``tim run`` (empty if it never ran)."""
    if not inspect(conn).has_table(JOBS_TABLE):
        return {}
    rows = conn.execute(select(_jobs.c.id, _jobs.c.next_run_time).where(_jobs.c.id.startswith(JOB_PREFIX)))
    return {r.id[len(JOB_PREFIX):]: datetime.fromtimestamp(r.next_run_time, UTC) if r.next_run_time is not None else None
            for r in rows}


def computed_next_run(source, last_started: datetime | None, now: datetime) -> datetime | None:
    """Next run from the schedule alone: an interval after the last run (now when overdue or
    never run), or the next cron time."""
    schedule = source.parsed_schedule
    if schedule.interval_seconds:
        if last_started is None:
            return now
        return max(now, last_started + timedelta(seconds=schedule.interval_seconds))
    from apscheduler.triggers.cron import CronTrigger

    from tim.config.scheduler import cron_trigger_fields

    fires = [CronTrigger(**f, timezone=TZ).get_next_fire_time(None, now) for f in cron_trigger_fields(schedule.cron)]
    fires = [f for f in fires if f is not None]
    return min(fires).astimezone(UTC) if fires else None


def source_health(conn: Connection, config, now: datetime | None = None) -> list[SourceHealth]:
    """Health of every configured source, in config order."""
    now = now or utcnow()
    runs_t, state_t, items_t = RunRow.__table__, SourceStateRow.__table__, ItemRow.__table__
    states = {r.source_id: r for r in conn.execute(select(state_t))}
    real = runs_t.c.dry_run.is_(False)
    newest = select(func.max(runs_t.c.id)).where(real, runs_t.c.status != "running").group_by(runs_t.c.source_id)
    last_runs = {r.source_id: run_dict(r) for r in conn.execute(select(runs_t).where(runs_t.c.id.in_(newest)))}
    running = {r.source_id: from_db(r.at) for r in conn.execute(
        select(runs_t.c.source_id, func.max(runs_t.c.started_at).label("at"))
        .where(real, runs_t.c.status == "running").group_by(runs_t.c.source_id))}
    spans = {r.source_id: (from_db(r.first), from_db(r.last)) for r in conn.execute(
        select(runs_t.c.source_id, func.min(runs_t.c.started_at).label("first"), func.max(runs_t.c.started_at).label("last"))
        .where(real).group_by(runs_t.c.source_id))}
    run_counts: dict[str, dict[str, int]] = {}
    for r in conn.execute(select(runs_t.c.source_id, runs_t.c.status, func.count().label("n")).where(real)
                          .group_by(runs_t.c.source_id, runs_t.c.status)):
        run_counts.setdefault(r.source_id, {})[r.status] = r.n
    item_counts: dict[str, dict[str, int]] = {}
    for r in conn.execute(select(items_t.c.source_id, items_t.c.status, func.count().label("n"))
                          .group_by(items_t.c.source_id, items_t.c.status)):
        item_counts.setdefault(r.source_id, {})[r.status] = r.n
    scheduled = scheduled_next_runs(conn)

    out = []
    for src in config.sources:
        row = states.get(src.id)
        first_started, last_started = spans.get(src.id, (None, None))
        stale, reason = _staleness(src, row, first_started, now)
        if not src.enabled:
            state = "disabled"
        elif row is None or src.id not in last_runs:
            state = "new"
        elif row.state in ("failing", "suspect"):
            state = row.state
        elif stale:
            state = "stale"
        else:
            state = "ok"
        if state in ("failing", "suspect") and row is not None:
            reason = row.reason or reason
        if not src.enabled:
            nxt, nxt_from = None, None
        elif src.id in scheduled:
            nxt, nxt_from = scheduled[src.id], "scheduler"
        else:
            nxt, nxt_from = computed_next_run(src, last_started, now), "schedule"
        backoff = from_db(row.backoff_until) if row is not None else None
        out.append(SourceHealth(
            id=src.id, name=src.display_name, kind=src.kind, enabled=src.enabled, schedule=src.schedule,
            state=state, reason=reason if state != "ok" else None, stale=stale, expected_update=src.expected_update,
            last_run=last_runs.get(src.id), running_since=running.get(src.id), next_run=nxt, next_run_from=nxt_from,
            backoff_until=backoff if backoff and backoff > now else None,
            consecutive_failures=row.consecutive_failures if row else 0, last_error=row.last_error if row else None,
            last_success_at=from_db(row.last_success_at) if row else None,
            last_new_item_at=from_db(row.last_new_item_at) if row else None,
            items_active=item_counts.get(src.id, {}).get("active", 0),
            items_expired=item_counts.get(src.id, {}).get("expired", 0),
            runs=run_counts.get(src.id, {}),
        ))
    return out


def _staleness(src, row, first_started: datetime | None, now: datetime) -> tuple[bool, str | None]:
    """Stale when nothing new arrived within ``expected_update`` (counted from the first run when
    nothing new ever arrived)."""
    period = src.expected_update_seconds
    if not period or first_started is None:
        return False, None
    last_new = from_db(row.last_new_item_at) if row is not None else None
    since = last_new or first_started
    if now - since <= timedelta(seconds=period):
        return False, None
    what = f"nothing new since {since.astimezone(TZ):%Y-%m-%d %H:%M}" if last_new else "nothing new ever arrived"
    return True, f"{what} (expected within {src.expected_update})"


def totals(conn: Connection) -> dict:
    """Items by status and active bundled items, over all sources."""
    items_t, clusters_t = ItemRow.__table__, ClusterRow.__table__
    by_status = {r.status: r.n for r in conn.execute(
        select(items_t.c.status, func.count().label("n")).group_by(items_t.c.status))}
    clusters = conn.execute(select(func.count()).where(clusters_t.c.status == "active")).scalar_one()
    return {"items_active": by_status.get("active", 0), "items_expired": by_status.get("expired", 0),
            "bundled_active": clusters}


def status_report(engine: Engine, config, now: datetime | None = None) -> dict:
    """Everything an operator's status view shows: sources, totals, totals per buurt."""
    now = now or utcnow()
    with engine.connect() as conn:
        sources = source_health(conn, config, now)
        return {
            "generated_at": now,
            "sources": [asdict(s) for s in sources],
            "states": {state: sum(1 for s in sources if s.state == state) for state in STATES},
            "totals": totals(conn),
            "buurten": buurt_counts(conn),
        }


def jsonable(value):
    """Datetimes as ISO 8601 UTC (``...Z``), recursively; for ``--json`` and ``/status``."""
    if isinstance(value, datetime):
        return from_db(value).isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


# -- Prometheus text exposition (format 0.0.4) -------------------------------------------------
PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _label(value) -> str:
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _ts(value: datetime | None) -> float | None:
    return from_db(value).timestamp() if value is not None else None


class _Exposition:
    """Collects metric families and renders them in the Prometheus text format."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def family(self, name: str, kind: str, help_text: str, samples) -> None:
        """``samples``: (labels dict, value) pairs; ``None`` values are left out."""
        self.lines.append(f"# HELP {name} {help_text.replace(chr(92), chr(92) * 2).replace(chr(10), ' ')}")
        self.lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            if value is None:
                continue
            inner = ",".join(f'{k}="{_label(v)}"' for k, v in labels.items())
            number = repr(float(value)) if isinstance(value, float) else str(int(value))
            self.lines.append(f"{name}{{{inner}}} {number}" if inner else f"{name} {number}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def prometheus_text(report: dict) -> str:
    """The status report as Prometheus metrics (``/metrics``)."""
    out = _Exposition()
    sources = report["sources"]
    out.family("tim_source_state", "gauge", "1 for the state each configured source is in, else 0.",
               [({"source": s["id"], "state": st}, int(s["state"] == st)) for s in sources for st in STATES])
    out.family("tim_source_stale", "gauge", "1 when nothing new arrived within the source's expected_update.",
               [({"source": s["id"]}, int(s["stale"])) for s in sources])
    out.family("tim_source_consecutive_failures", "gauge", "Failed runs in a row.",
               [({"source": s["id"]}, s["consecutive_failures"]) for s in sources])
    for name, key, help_text in (
        ("tim_source_last_run_finished_timestamp_seconds", None, "When the newest finished run ended."),
        ("tim_source_last_success_timestamp_seconds", "last_success_at", "When a run last stored items."),
        ("tim_source_last_new_item_timestamp_seconds", "last_new_item_at", "When a new item last arrived."),
        ("tim_source_next_run_timestamp_seconds", "next_run", "When the source runs next."),
        ("tim_source_backoff_until_timestamp_seconds", "backoff_until", "End of the source's failure back-off."),
    ):
        out.family(name, "gauge", help_text, [
            ({"source": s["id"]}, _ts(s["last_run"]["finished_at"] if s["last_run"] else None) if key is None else _ts(s[key]))
            for s in sources])
    out.family("tim_source_last_run_records", "gauge", "Record counts of the newest finished run.",
               [({"source": s["id"], "count": c}, s["last_run"][c]) for s in sources if s["last_run"] for c in RUN_COUNTS])
    out.family("tim_source_items", "gauge", "Stored source records by status.",
               [({"source": s["id"], "status": st}, s[f"items_{st}"]) for s in sources for st in ("active", "expired")])
    out.family("tim_source_runs_total", "counter", "Stored runs by final status.",
               [({"source": s["id"], "status": st}, n) for s in sources for st, n in sorted(s["runs"].items())])
    out.family("tim_items", "gauge", "Stored source records by status, all sources.",
               [({"status": "active"}, report["totals"]["items_active"]),
                ({"status": "expired"}, report["totals"]["items_expired"])])
    out.family("tim_bundled_items", "gauge", "Active bundled items (clusters), all buurten.",
               [({}, report["totals"]["bundled_active"])])
    out.family("tim_buurt_bundled_items", "gauge", "Active bundled items per buurt (buurt_code \"\" = city-wide).",
               [({"buurt_code": b["buurt_code"] or "", "buurt_name": b["buurt_name"] or ""}, b["items"])
                for b in report["buurten"]])
    return out.text()
