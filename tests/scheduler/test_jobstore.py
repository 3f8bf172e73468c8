"""The persistent job store (issue #6): a restart keeps each source's next run; a changed
schedule reschedules, a disabled source loses its job; ``tim status`` shows the stored times.
Runs on SQLite and PostgreSQL (the job table lives in the pipeline's own database)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from tim.cli.main import app
from tim.config import load_config
from tim.errors import ConfigError
from tim.scheduler.service import Service

from .sites import json_source, write_config

URL = "http://127.0.0.1:9/api"  # never fetched: these services stay paused


def _config(tmp_path, every="every 1h", nightly="0 3 * * *", enabled_b=True):
    return write_config(tmp_path / "sources.toml", [
        json_source("alpha", URL, schedule=every),
        json_source("beta", URL, schedule=nightly, extra=f"enabled = {str(enabled_b).lower()}"),
    ], scheduler="jitter_seconds = 600\n")


def test_restart_keeps_next_run_times(services, db_url, tmp_path):
    cfg = _config(tmp_path)
    first = services(cfg, db_url)
    before = first.next_run_times()
    now = datetime.now(UTC)
    # alpha never ran: due at once plus at most the jitter; beta waits for 03:00 (plus jitter).
    assert now - timedelta(seconds=5) <= before["alpha"] <= now + timedelta(seconds=605)
    assert before["beta"].astimezone(UTC) > now and before["beta"].hour == 3
    first.stop(grace=0)

    second = services(cfg, db_url)
    assert {p.source_id: p.action for p in second.plans} == {"alpha": "kept", "beta": "kept"}
    after = second.next_run_times()
    assert after.keys() == before.keys()
    for sid in before:  # to the microsecond, not recomputed (a recomputed jitter would differ)
        assert abs((after[sid] - before[sid]).total_seconds()) < 1e-3, sid

    result = CliRunner().invoke(app, ["status", "--json", "--db", db_url, "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    shown = {s["id"]: s for s in json.loads(result.stdout)["sources"]}
    assert shown["alpha"]["next_run_from"] == "scheduler"
    assert abs(datetime.fromisoformat(shown["alpha"]["next_run"]) - before["alpha"]) < timedelta(milliseconds=1)


def test_changed_schedule_reschedules_and_disabled_source_loses_its_job(services, db_url, tmp_path):
    first = services(_config(tmp_path), db_url)
    kept_beta = first.next_run_times()["beta"]
    first.stop(grace=0)
    second = services(_config(tmp_path, every="every 2h"), db_url)
    assert abs((second.next_run_times()["beta"] - kept_beta).total_seconds()) < 1e-3
    assert {p.source_id: p.action for p in second.plans} == {"alpha": "rescheduled", "beta": "kept"}
    assert "every 7200s" in second.scheduler.get_job("source:alpha").name
    second.stop(grace=0)
    third = services(_config(tmp_path, every="every 2h", enabled_b=False), db_url)
    assert set(third.next_run_times()) == {"alpha"}
    assert {p.source_id: p.action for p in third.plans} == {"alpha": "kept", "beta": "removed"}


def test_a_deadline_for_an_unknown_source_is_a_config_error(sqlite_url, tmp_path):
    cfg = write_config(tmp_path / "sources.toml", [json_source("alpha", URL)],
                       scheduler="[scheduler.deadlines]\nalhpa = 60\n")
    with pytest.raises(ConfigError, match="alhpa"):
        Service(load_config(cfg), cfg, sqlite_url)
