"""Issue 7: ``tim serve`` (a real uvicorn process on 127.0.0.1) and the commands' help and docs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from tim.cli.main import app as cli
from tim.store.db import make_engine

from .seed import standard_set

ROOT = Path(__file__).resolve().parents[2]


def test_commands_have_help_and_docs():
    runner = CliRunner()
    docs = (ROOT / "docs" / "feeds.md").read_text(encoding="utf-8")
    for cmd in ("serve", "stats", "export"):
        out = runner.invoke(cli, [cmd, "--help"])
        assert out.exit_code == 0 and len(out.output) > 200, out.output
        assert f"tim {cmd}" in docs or cmd == "export" and "tim export" in docs
    assert "--port" in runner.invoke(cli, ["serve", "--help"]).output


def test_tim_serve_serves_the_store(tmp_path):
    db = f"sqlite:///{tmp_path / 'tim.db'}"
    engine = make_engine(db)
    standard_set(engine)
    engine.dispose()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tim", "serve", "--port", str(port), "--db", db],
        cwd=tmp_path, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/buurten", timeout=2)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "tim serve did not answer"
                time.sleep(0.2)
        assert r.status_code == 200 and len(r.json()) == 44
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=5).headers["content-type"].startswith("text/html")
    finally:
        proc.terminate()
        proc.wait(15)
