"""Fault isolation under ``tim run`` (issue #6): one source hangs forever, one answers garbage,
one suddenly returns zero records, one is healthy. The healthy one runs; the hanging one is
killed at its deadline and recorded failed; ``tim status --json`` shows failing / suspect; the
zero-record source keeps its items; failing sources back off while the others keep running."""

from __future__ import annotations

import json
import logging
import os

from sqlalchemy import select
from typer.testing import CliRunner

from tim.cli.main import app
from tim.config import load_config
from tim.demo.web import Response
from tim.pipeline import Pipeline
from tim.store.db import make_engine
from tim.store.tables import ItemRow

from .sites import (
    JsonSite,
    hang,
    json_source,
    record,
    rss_feed,
    rss_source,
    runs_of,
    wait_for,
    write_config,
)

SOURCES = ("healthy", "hangs", "garbage", "empty")


def _finished(engine, sid, after=0):
    return [r for r in runs_of(engine, sid) if r.id > after and r.status != "running"]


def test_broken_sources_are_isolated_and_shown(services, web, sqlite_url, tmp_path, caplog):
    db_url = sqlite_url  # the store on both backends: test_status, test_lifecycle, test_jobstore
    caplog.set_level(logging.INFO)
    hang_url, release = hang(web, "/hangs")
    web.route("/garbage", Response('{"data": {"results": [', content_type="application/json"))
    empty = JsonSite(web, "/empty", [record(i) for i in range(3)])
    cfg_path = write_config(tmp_path / "sources.toml", [
        rss_source("healthy", rss_feed(web, "/nieuws.xml")),
        json_source("hangs", hang_url, extra="[sources.http]\ntimeout = 300\n"),
        json_source("garbage", web.url("/garbage")),
        json_source("empty", empty.url),
    ], scheduler="max_concurrent_runs = 3\nrun_deadline_seconds = 120\n[scheduler.deadlines]\nhangs = 3\n")
    config = load_config(cfg_path)
    seed = Pipeline(config, make_engine(db_url))
    assert seed.run_source(config.source("empty")).inserted == 3
    empty.records = []

    try:
        service = services(cfg_path, db_url)
        engine = service.engine
        for sid in SOURCES:
            service.run_now(sid)
        service.resume()
        wait_for(lambda: all(service.finished[sid] == 1 for sid in SOURCES), 90, "one finished job per source")

        killed = _finished(engine, "hangs")[-1]
        assert killed.status == "failed" and killed.error.startswith("deadline exceeded: killed after 3 s")
        assert "run_killed source=hangs" in caplog.text
        assert _finished(engine, "healthy")[-1].status == "ok"

        result = CliRunner().invoke(app, ["status", "--json", "--db", db_url, "--config", str(cfg_path)])
        assert result.exit_code == 0, result.output
        status = {s["id"]: s for s in json.loads(result.stdout)["sources"]}
        assert {sid: status[sid]["state"] for sid in SOURCES} == {
            "healthy": "ok", "hangs": "failing", "garbage": "failing", "empty": "suspect"}
        assert "not JSON" in status["garbage"]["last_error"]
        assert "deadline exceeded" in status["hangs"]["last_error"]
        assert "min_items" in status["empty"]["reason"]
        for sid in ("hangs", "garbage"):
            assert status[sid]["consecutive_failures"] == 1 and status[sid]["backoff_until"] is not None
        assert status["healthy"]["last_run"]["inserted"] == 3
        assert status["empty"]["items_active"] == 3 and status["empty"]["items_expired"] == 0

        # The scheduler lives on: a second round runs the healthy and empty sources again, and skips
        # the failing ones, which are in back-off (logged).
        caplog.clear()
        for sid in SOURCES:
            service.run_now(sid)
        wait_for(lambda: all(service.finished[sid] == 2 for sid in SOURCES), 60, "a second job per source")
        assert caplog.text.count("reason=backoff") == 2
        assert len(_finished(engine, "healthy")) == 2 and len(_finished(engine, "empty")) == 3
        assert len(runs_of(engine, "hangs")) == 1 and len(runs_of(engine, "garbage")) == 1
        assert _finished(engine, "empty")[-1].status == "suspect"
        with engine.connect() as conn:
            statuses = {r.status for r in conn.execute(select(ItemRow.status).where(ItemRow.source_id == "empty"))}
        assert statuses == {"active"}  # no item of the zero-record source expired
        assert not service.context.children  # no child left behind
    finally:
        release.set()


def test_a_worker_killed_by_a_signal_is_recorded_failed(services, web, sqlite_url, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    hang_url, release = hang(web, "/slow")
    cfg_path = write_config(tmp_path / "sources.toml",
                            [json_source("crashy", hang_url, extra="[sources.http]\ntimeout = 300\n")])
    try:
        service = services(cfg_path, sqlite_url)
        service.run_now("crashy")
        service.resume()
        wait_for(lambda: any(r.status == "running" for r in runs_of(service.engine, "crashy")), 30, "the run to start")
        proc = service.context.children["crashy"]
        os.kill(proc.pid, 9)
        run = wait_for(lambda: [r for r in runs_of(service.engine, "crashy") if r.status != "running"], 20,
                       "the crash to be recorded")[-1]
        assert run.status == "failed" and run.error.startswith("worker killed by signal SIGKILL")
        assert "worker_crashed source=crashy" in caplog.text
    finally:
        release.set()
