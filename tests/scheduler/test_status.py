"""The operator's view (issue #6): ``store.health`` states with a fixed clock (new, ok, failing
with back-off, suspect, stale by ``expected_update``, disabled), next runs computed from the
schedule, ``tim status`` / ``tim runs`` output, and ``/status`` + ``/metrics`` over HTTP."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tim.cli.main import app
from tim.config import load_config
from tim.demo.web import Response
from tim.feeds.status import router
from tim.pipeline import Pipeline
from tim.store.db import make_engine, utcnow
from tim.store.health import prometheus_text, status_report

from .sites import JsonSite, json_source, record, write_config


def _world(web, db_url, tmp_path):
    """Five sources in five states, each run once in-process."""
    web.route("/garbage", Response("<html>redesign</html>", content_type="application/json"))
    good = JsonSite(web, "/good", [record(i) for i in range(3)])
    empty = JsonSite(web, "/empty", [])
    cfg_path = write_config(tmp_path / "sources.toml", [
        json_source("good", good.url, extra='expected_update = "2d"'),
        json_source("garbage", web.url("/garbage")),
        json_source("empty", empty.url),
        json_source("nightly", good.url, schedule="30 4 * * *"),
        json_source("off", good.url, extra="enabled = false"),
    ])
    config = load_config(cfg_path)
    engine = make_engine(db_url)
    pipeline = Pipeline(config, engine)
    for sid in ("good", "garbage", "empty"):
        pipeline.run_source(config.source(sid))
    pipeline.dedup()
    return config, cfg_path, engine


def test_states_next_runs_and_staleness_with_a_fixed_clock(web, db_url, tmp_path):
    config, _, engine = _world(web, db_url, tmp_path)
    now = utcnow()
    report = status_report(engine, config, now=now)
    s = {x["id"]: x for x in report["sources"]}
    assert {k: v["state"] for k, v in s.items()} == {
        "good": "ok", "garbage": "failing", "empty": "suspect", "nightly": "new", "off": "disabled"}
    assert s["good"]["last_run"]["inserted"] == 3 and s["good"]["items_active"] == 3
    assert s["good"]["next_run_from"] == "schedule"
    assert abs(s["good"]["next_run"] - (s["good"]["last_run"]["started_at"] + timedelta(hours=6))) < timedelta(seconds=1)
    nightly = s["nightly"]["next_run"].astimezone(ZoneInfo("Europe/Amsterdam"))
    assert (nightly.hour, nightly.minute) == (4, 30) and now < nightly <= now + timedelta(days=1)
    assert s["off"]["next_run"] is None
    assert s["garbage"]["consecutive_failures"] == 1 and s["garbage"]["backoff_until"] > now
    assert "not JSON" in s["garbage"]["last_error"] and "min_items" in s["empty"]["reason"]
    assert report["states"]["failing"] == 1 and report["totals"]["items_active"] == 3
    assert sum(b["items"] for b in report["buurten"]) == report["totals"]["bundled_active"] > 0

    later = status_report(engine, config, now=now + timedelta(days=3))
    s = {x["id"]: x for x in later["sources"]}
    assert s["good"]["state"] == "stale" and s["good"]["stale"] and "expected within 2d" in s["good"]["reason"]
    assert s["garbage"]["backoff_until"] is None  # back-off over; still failing until a run succeeds
    assert s["garbage"]["state"] == "failing"


def test_tim_status_and_runs_commands(web, sqlite_url, tmp_path):
    _, cfg_path, _ = _world(web, sqlite_url, tmp_path)
    runner = CliRunner()
    table = runner.invoke(app, ["status", "--db", sqlite_url, "--config", str(cfg_path)], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    for text in ("good", "failing", "suspect", "disabled", "Active bundled items per buurt", "5 sources"):
        assert text in table.stdout

    as_json = json.loads(runner.invoke(app, ["status", "--json", "--db", sqlite_url, "--config", str(cfg_path)]).stdout)
    assert {s["id"] for s in as_json["sources"]} == {"good", "garbage", "empty", "nightly", "off"}
    assert re.match(r"\d{4}-\d\d-\d\dT.*Z$", as_json["sources"][0]["last_run"]["started_at"])

    runs = runner.invoke(app, ["runs", "garbage", "--json", "--db", sqlite_url, "--config", str(cfg_path)])
    history = json.loads(runs.stdout)
    assert [(r["status"], r["complete"]) for r in history] == [("failed", False)] and "not JSON" in history[0]["error"]
    listed = runner.invoke(app, ["runs", "good", "--db", sqlite_url, "--config", str(cfg_path)], env={"COLUMNS": "200"})
    assert listed.exit_code == 0 and "3 fetched, +3" in listed.stdout
    unknown = runner.invoke(app, ["runs", "nope", "--db", sqlite_url, "--config", str(cfg_path)])
    assert unknown.exit_code == 2


def test_status_and_metrics_endpoints(web, sqlite_url, tmp_path):
    config, _, engine = _world(web, sqlite_url, tmp_path)
    api = FastAPI()
    api.state.engine, api.state.config = engine, config
    api.include_router(router)
    client = TestClient(api)

    status = client.get("/status")
    assert status.status_code == 200
    assert {s["id"]: s["state"] for s in status.json()["sources"]}["garbage"] == "failing"

    metrics = client.get("/metrics")
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = metrics.text
    assert 'tim_source_state{source="garbage",state="failing"} 1' in text
    assert 'tim_source_state{source="good",state="failing"} 0' in text
    assert 'tim_source_items{source="good",status="active"} 3' in text
    assert 'tim_source_consecutive_failures{source="garbage"} 1' in text
    assert 'tim_source_runs_total{source="empty",status="suspect"} 1' in text
    sample = re.compile(r'^[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? -?[0-9.e+]+$')
    for line in text.splitlines():
        assert line.startswith(("# HELP ", "# TYPE ")) or sample.match(line), line


def test_label_values_are_escaped():
    report = {"sources": [], "totals": {"items_active": 0, "items_expired": 0, "bundled_active": 1},
              "buurten": [{"buurt_code": "BU1", "buurt_name": 'De "Heeg"\\Oost\nX', "items": 1}]}
    assert 'buurt_name="De \\"Heeg\\"\\\\Oost\\nX"} 1' in prometheus_text(report)
