"""Per-host pacing shared by every HTTP client of the process and by its child processes.

At most one request at a time per host, a minimum delay between the end of one request and the
start of the next, and a host-wide pause after ``Retry-After`` or a back-off.

Threads of one process take turns on a per-host ``threading.Lock``. Processes take turns on a lock
file per host under one *run directory* (``fcntl.flock``), which also holds the host's state
(when its last request ended, and any pause), so the Scrapy service process of the ``html``
sources, the scheduler's worker processes and the parent all keep one delay per host. The directory is
``$TIM_PACING_DIR``; when unset, the first turn creates a private one and exports it in
``os.environ``, so every child process started afterwards inherits it. Times are
``time.monotonic()``, which on Linux is one clock for every process of the machine.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ENV = "TIM_PACING_DIR"
_UNSAFE = re.compile(r"[^a-z0-9.-]")


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    fd: int | None = None
    """The host's lock file, held for a whole turn; it holds when the last request ended."""
    pause_path: Path | None = None
    """The host's pause: written without the turn (a pause never waits for a request in flight)."""


def _read(fd: int) -> float:
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        return float(os.read(fd, 64).decode("ascii", "replace").strip())
    except ValueError:
        return float("-inf")


def _write(fd: int, last_end: float) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, f"{last_end!r}\n".encode())


def _read_pause(path: Path) -> float:
    try:
        return float(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return float("-inf")


class HostPacer:
    """The table of hosts; use :data:`PACER`. ``directory`` pins the run directory (tests);
    by default it is ``$TIM_PACING_DIR`` or a private one created on first use."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        self._directory = Path(directory) if directory is not None else None

    @property
    def directory(self) -> Path:
        with self._lock:
            if self._directory is None:
                env = os.environ.get(ENV)
                if env:
                    self._directory = Path(env)
                else:
                    self._directory = Path(tempfile.mkdtemp(prefix="tim-pacing-"))
                    os.environ[ENV] = str(self._directory)
                    atexit.register(shutil.rmtree, self._directory, True)
            self._directory.mkdir(parents=True, exist_ok=True)
            return self._directory

    def _host(self, host: str) -> _Host:
        key = host.lower()
        with self._lock:
            state = self._hosts.get(key)
            if state is None:
                state = self._hosts[key] = _Host()
        if state.fd is None:
            directory = self.directory
            with self._lock:
                if state.fd is None:
                    name = _UNSAFE.sub("_", key) or "_"
                    state.pause_path = directory / f"{name}.pause"
                    state.fd = os.open(directory / f"{name}.host", os.O_RDWR | os.O_CREAT, 0o600)
        return state

    # -- a turn in two halves (the Scrapy middleware acquires and releases in different calls) --
    def acquire(self, host: str, delay: float) -> None:
        """Wait for the host's turn: no other request to it in flight (in any process sharing
        the directory), ``delay`` seconds since the previous one ended, past any pause."""
        state = self._host(host)
        state.lock.acquire()
        try:
            fcntl.flock(state.fd, fcntl.LOCK_EX)
            while True:
                wait = max(_read(state.fd) + delay, _read_pause(state.pause_path)) - time.monotonic()
                if wait <= 0:
                    break
                time.sleep(wait)
        except BaseException:
            self._unlock(state)
            raise

    def release(self, host: str) -> None:
        """End the turn taken by :meth:`acquire`: the host's delay counts from now."""
        state = self._host(host)
        try:
            _write(state.fd, time.monotonic())
        finally:
            self._unlock(state)

    @staticmethod
    def _unlock(state: _Host) -> None:
        try:
            fcntl.flock(state.fd, fcntl.LOCK_UN)
        finally:
            state.lock.release()

    @contextmanager
    def turn(self, host: str, delay: float) -> Iterator[None]:
        """Hold the host's turn for one request (see :meth:`acquire`)."""
        self.acquire(host, delay)
        try:
            yield
        finally:
            self.release(host)

    def pause(self, host: str, seconds: float) -> None:
        """No request to ``host`` before ``seconds`` from now (Retry-After, back-off), in any
        process sharing the directory."""
        state = self._host(host)
        with self._lock:  # never the host's turn: the Scrapy reactor calls this while it is held
            until = max(_read_pause(state.pause_path), time.monotonic() + seconds)
            tmp = state.pause_path.with_name(f"{state.pause_path.name}.{os.getpid()}.{threading.get_ident()}")
            tmp.write_text(f"{until!r}\n", encoding="ascii")
            os.replace(tmp, state.pause_path)  # atomic: a reader sees the old or the new pause


#: The one pacer of the process.
PACER = HostPacer()
