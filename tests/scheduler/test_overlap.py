"""One run per source at a time, and a global cap on concurrent runs (issue #6), with a real
scheduler: a trigger that fires while the source still runs gives no second run (logged), and
with ``max_concurrent_runs = 1`` another source waits for the slot instead of running alongside."""

from __future__ import annotations

import logging
import threading

from .sites import JsonSite, json_source, record, runs_of, wait_for, write_config


def test_overlapping_trigger_gives_one_run_and_the_pool_caps_concurrency(services, web, sqlite_url, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    gate = threading.Event()
    slow = JsonSite(web, "/slow", [record(1)], gate=gate)
    fast = JsonSite(web, "/fast", [record(2)])
    nightly = "0 3 * * *"  # never due during the test: only run_now() fires them
    cfg = write_config(tmp_path / "sources.toml", [json_source("slow", slow.url, schedule=nightly),
                                                   json_source("fast", fast.url, schedule=nightly)],
                       scheduler="max_concurrent_runs = 1\n")
    service = services(cfg, sqlite_url)
    service.run_now("slow")
    service.resume()
    wait_for(lambda: "slow" in service.context.children, 30, "the slow run to start")
    service.run_now("slow")  # fires again while the first run is still going
    service.run_now("fast")  # must wait for the only slot
    wait_for(lambda: "run_skipped source=slow reason=already_running" in caplog.text, 30, "the overlapping trigger")
    assert "fast" not in service.context.children and runs_of(service.engine, "fast") == []  # queued, not running
    gate.set()
    wait_for(lambda: service.finished["slow"] >= 1 and service.finished["fast"] >= 1, 60, "both jobs to end")

    slow_runs, fast_runs = runs_of(service.engine, "slow"), runs_of(service.engine, "fast")
    assert [r.status for r in slow_runs] == ["ok"] and [r.status for r in fast_runs] == ["ok"]
    assert service.finished["slow"] == 1 and service.finished["fast"] == 1
    assert fast_runs[0].started_at >= slow_runs[0].finished_at  # never two runs at once
    assert len(web.requests_to("/slow")) == 1
