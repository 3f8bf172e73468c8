"""Headless Chromium against the real app served by uvicorn on 127.0.0.1 (the map page's and the
API docs' browser tests). Chromium gets a fresh profile and a proxy on a dead port: every request
that is not for 127.0.0.1 (which Chromium never proxies) fails, so a page that needs the internet
cannot render."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
skip_without_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not found (Debian package 'chromium'; .ci/run installs it)")
needs_chromium = [pytest.mark.browser, skip_without_chromium]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dead_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then closed)."""
    return free_port()


@contextlib.contextmanager
def serving(app):
    """``app`` served by uvicorn in a thread on a free port; yields the base URL."""
    import uvicorn

    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{srv.config.port}"
    finally:
        srv.should_exit = True
        thread.join(10)


def chromium(tmp_path: Path, url: str, *extra: str, budget_ms: int = 15000) -> str:
    """Run headless Chromium on ``url`` (fresh profile, no network but 127.0.0.1); return stdout."""
    profile = tmp_path / f"profile-{time.monotonic_ns()}"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
           "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}",
           f"--proxy-server=http://127.0.0.1:{dead_port()}", "--window-size=1280,900", *extra, url]
    out = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=90)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout
