"""Late runs after downtime (issue #6): the runs a source missed while the service was down are
coalesced into one run, and logged; a run later than ``misfire_grace_seconds`` is not run but
logged as missed, never silently dropped; either way the next run is in the future again.
The stopped service must also leave due runs stored (APScheduler 3 would move them on at shutdown)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from tim.scheduler.triggers import TZ

from .sites import JsonSite, json_source, record, runs_of, wait_for, write_config


def test_missed_runs_are_coalesced_or_logged_as_missed_after_a_restart(services, web, sqlite_url, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    site = JsonSite(web, "/api", [record(1)])
    cfg = write_config(tmp_path / "sources.toml", [
        json_source("hourly", site.url, schedule="every 1h"),
        json_source("daily", site.url, schedule="every 1d"),
    ], scheduler="misfire_grace_seconds = 3600\n")
    down = services(cfg, sqlite_url)  # the service as it was before it went down
    now = datetime.now(TZ)
    down.scheduler.modify_job("source:hourly", next_run_time=now - timedelta(hours=2, minutes=30))
    down.scheduler.modify_job("source:daily", next_run_time=now - timedelta(hours=2))
    down.stop(grace=0)

    up = services(cfg, sqlite_url, paused=False)
    wait_for(lambda: up.finished["hourly"] == 1, 60, "the coalesced run")
    wait_for(lambda: "run_missed source=daily" in caplog.text, 10, "the missed line")

    assert len(runs_of(up.engine, "hourly")) == 1  # three due runs (-2.5h, -1.5h, -0.5h) -> one
    assert "runs_coalesced source=hourly" in caplog.text
    assert runs_of(up.engine, "daily") == []  # 2 h late > 1 h grace: not run, but said so
    nxt = up.next_run_times()
    assert now < nxt["hourly"] <= now + timedelta(minutes=31)
    assert now + timedelta(hours=21) < nxt["daily"] <= now + timedelta(hours=22, minutes=1)
