"""Stopping ``tim run`` (issue #6). SIGTERM: scheduling stops, the running source run finishes
within the grace period, the process exits 0. With no grace left the run is stopped instead: its
transaction rolls back (no items), the run is recorded ``interrupted`` and no failure is counted."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import urllib.request

from sqlalchemy import func, select

from tim.store.db import make_engine
from tim.store.tables import ItemRow, SourceStateRow

from .sites import JsonSite, json_source, record, runs_of, wait_for, write_config


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except OSError:
        return 0, ""


def test_sigterm_lets_the_running_run_finish_and_exits_0(web, sqlite_url, tmp_path):
    gate = threading.Event()
    site = JsonSite(web, "/api", [record(i) for i in range(3)], gate=gate)
    cfg = write_config(tmp_path / "sources.toml", [json_source("vb", site.url)],
                       scheduler="shutdown_grace_seconds = 60\n")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from cli.main import app; app()", "run", "--db", sqlite_url,
                             "--config", str(cfg), "--serve", "--port", str(port)], stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    engine = make_engine(sqlite_url)
    try:
        wait_for(lambda: web.requests_to("/api"), 60, "the source run to fetch")  # a new source runs at once
        status = wait_for(lambda: _get(f"http://127.0.0.1:{port}/status")[1], 30, "/status to answer")
        assert json.loads(status)["sources"][0]["running_since"] is not None  # held at the gate
        assert "tim_source_state{" in _get(f"http://127.0.0.1:{port}/metrics")[1]
        proc.send_signal(signal.SIGTERM)
        wait_for(lambda: any("scheduler_stopping running=vb" in line for line in lines), 30, "the stop to begin")
        gate.set()  # the run now finishes, within the grace period
        proc.wait(timeout=60)
        reader.join(10)
    finally:
        gate.set()
        if proc.poll() is None:
            proc.kill()
    err = "".join(lines)
    assert proc.returncode == 0, err
    assert [r.status for r in runs_of(engine, "vb")] == ["ok"]
    assert "signal_received signal=SIGTERM" in err and "scheduler_stopped" in err
    assert "job_finished source=vb run=1 status=ok fetched=3 inserted=3" in err


def test_stop_without_grace_rolls_the_run_back_as_interrupted(services, web, sqlite_url, tmp_path):
    gate = threading.Event()  # never set: the run is held until the service stops it
    site = JsonSite(web, "/api", [record(i) for i in range(3)], gate=gate)
    cfg = write_config(tmp_path / "sources.toml", [json_source("vb", site.url, schedule="0 3 * * *")])
    service = services(cfg, sqlite_url)
    service.run_now("vb")
    service.resume()
    wait_for(lambda: web.requests_to("/api"), 60, "the source run to fetch")
    service.stop(grace=0)
    run = runs_of(service.engine, "vb")[-1]
    assert (run.status, run.error) == ("interrupted", "interrupted: the service stopped before the run finished")
    with service.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ItemRow)).scalar_one() == 0
        state = conn.execute(select(SourceStateRow)).first()
    assert state is None or state.consecutive_failures == 0
    assert not service.context.children
