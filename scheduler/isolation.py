"""One source run in its own process group, with a hard deadline.

The child is ``python -m tim.scheduler.worker`` started in a new session, so a kill reaches its own
children too (Scrapy's crawler process). Its stdout and stderr are relayed line by line to the
service's stderr, and the last lines are kept to explain a crash. A child over its deadline, or
still running when a stopping service's grace period ends, gets SIGTERM and, if it lingers,
SIGKILL. Nothing a source does can block the caller past ``deadline + KILL_WAIT_S``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

KILL_WAIT_S = 5.0
"""Seconds between SIGTERM and SIGKILL of a child being stopped."""
POLL_S = 0.2
TAIL_LINES = 20


@dataclass
class ChildResult:
    """How a child run ended."""

    pid: int
    returncode: int | None
    stopped_for: str | None = None
    """``deadline`` or ``shutdown`` when we killed it; ``None`` when it ended on its own."""
    seconds: float = 0.0
    deadline: float = 0.0
    tail: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """The child ended on its own with exit code 0 (its run recorded itself)."""
        return self.stopped_for is None and self.returncode == 0

    def describe(self) -> str:
        """Why the run did not record itself, for the run's ``error``."""
        if self.stopped_for == "deadline":
            return f"deadline exceeded: killed after {self.deadline:g} s"
        if self.stopped_for == "shutdown":
            return "interrupted: the service stopped before the run finished"
        if self.returncode is not None and self.returncode < 0:
            try:
                name = signal.Signals(-self.returncode).name
            except ValueError:
                name = str(-self.returncode)
            why = f"worker killed by signal {name}"
        else:
            why = f"worker exited with code {self.returncode}"
        last = next((line for line in reversed(self.tail) if line.strip()), "")
        return f"{why}: {last.strip()[:300]}" if last else why


def worker_argv(source_id: str, config_path: str, db_url: str) -> list[str]:
    return [sys.executable, "-m", "tim.scheduler.worker", source_id, "--db", db_url, "--config", config_path]


def run_child(argv: list[str], *, deadline: float, should_stop: Callable[[], bool] = lambda: False,
              on_start: Callable[[subprocess.Popen], None] | None = None) -> ChildResult:
    """Run ``argv`` in a new process group; kill the group after ``deadline`` seconds, or as soon as
    ``should_stop()`` turns true. Returns when the child (and its relay) has ended."""
    env = dict(os.environ)
    env.setdefault("PYTHONUNBUFFERED", "1")
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True, env=env)
    tail: deque[str] = deque(maxlen=TAIL_LINES)
    relay = threading.Thread(target=_relay, args=(proc, tail), daemon=True, name=f"relay-{proc.pid}")
    relay.start()
    if on_start:
        on_start(proc)
    stopped_for = None
    while True:
        try:
            proc.wait(timeout=POLL_S)
            break
        except subprocess.TimeoutExpired:
            pass
        if time.monotonic() - started > deadline:
            stopped_for = "deadline"
        elif should_stop():
            stopped_for = "shutdown"
        if stopped_for:
            kill_group(proc)
            break
    relay.join(timeout=KILL_WAIT_S)
    return ChildResult(proc.pid, proc.returncode, stopped_for, time.monotonic() - started, deadline, list(tail))


def kill_group(proc: subprocess.Popen) -> None:
    """SIGTERM the child's process group, then SIGKILL it if it is still there after KILL_WAIT_S."""
    for sig, wait in ((signal.SIGTERM, KILL_WAIT_S), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=wait)
            if sig is signal.SIGTERM:
                _killpg_quietly(proc.pid)  # grandchildren that ignored SIGTERM
            return
        except subprocess.TimeoutExpired:
            continue


def _killpg_quietly(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _relay(proc: subprocess.Popen, tail: deque[str]) -> None:
    """Copy the child's output to our stderr, keeping the last lines."""
    assert proc.stdout is not None
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace")
        tail.append(line)
        try:
            sys.stderr.write(line)
            sys.stderr.flush()
        except (ValueError, OSError):  # stderr closed (service exiting)
            pass
    proc.stdout.close()
