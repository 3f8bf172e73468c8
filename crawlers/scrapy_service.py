"""The Scrapy service: one long-lived ``crawlers.scrapy_runner`` process serving every ``html`` run.

Starting Python, Scrapy and Twisted costs about two CPU seconds; a subprocess per source run paid
that for every html source. Instead the first html crawl of the process starts one service process
and every later one (from any thread: ``Pipeline.run`` crawls sources concurrently) sends it a
job: ``submit(spec)`` writes ``{"job": id, "spec": ...}`` to the child's stdin (secrets travel
there, never on argv) and returns a :class:`Job`, whose events a reader thread takes from the
child's stdout and hands to that job's queue only. A job's failure, record errors and
``complete`` flag therefore reach only its own crawler.

Lifetime: the child is kept while jobs come, closed after ``IDLE_SECONDS`` without any job and at
interpreter exit; it exits by itself on stdin EOF and when its parent is gone, so it is never an
orphan. If it dies (killed, crashed), every job in flight ends with a :class:`ServiceExit` event
(exit code, stderr tail) and the next :func:`submit` starts a new child.

One service per pacing run directory (``crawlers.pacing``): the child inherits it as
``$TIM_PACING_DIR``, so its requests keep one delay per host with the parent's other crawls.
"""

from __future__ import annotations

import atexit
import collections
import io
import itertools
import json
import logging
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .pacing import ENV as PACING_ENV
from .pacing import PACER

log = logging.getLogger(__name__)

#: Seconds the child is kept without any job before it is closed.
IDLE_SECONDS = 60.0
#: Seconds a closing child gets to exit after its stdin is closed, before it is killed.
CLOSE_GRACE_SECONDS = 10.0
#: Lines of the child's stderr kept for error messages.
STDERR_LINES = 60


@dataclass(frozen=True)
class ServiceExit:
    """The event a job gets when the service process ended while the job was in flight."""

    pid: int
    returncode: int | None
    stderr: str


class Job:
    """One html run inside the service: iterate :meth:`events` until it ends."""

    def __init__(self, service: ScrapyService, job_id: str, pid: int) -> None:
        self.service, self.id, self.pid = service, job_id, pid
        self.queue: queue.Queue[dict[str, Any] | ServiceExit] = queue.Queue()
        self.finished = False

    def events(self) -> Iterator[dict[str, Any] | ServiceExit]:
        """The job's events in order; the last is ``done``, ``fail`` or a :class:`ServiceExit`.
        Leaving the iteration early cancels the job in the child."""
        try:
            while True:
                event = self.queue.get()
                if isinstance(event, ServiceExit) or event["t"] in ("done", "fail"):
                    self.finished = True
                    yield event
                    return
                yield event
        finally:
            self.close()

    def close(self) -> None:
        """Forget the job (cancelling it in the child if it has not ended); idempotent."""
        self.service._end(self)


class ScrapyService:
    """One child process and the jobs in flight in it (see the module docstring)."""

    def __init__(self, pacing_dir: str) -> None:
        self.pacing_dir = pacing_dir
        self._lock = threading.Lock()  # guards proc, jobs and writes to the child's stdin
        self._proc: subprocess.Popen | None = None
        self._jobs: dict[str, Job] = {}
        self._ids = itertools.count(1)
        self._idle_timer: threading.Timer | None = None

    @property
    def pid(self) -> int | None:
        """The running child's pid (None when there is none)."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    # -- the child ------------------------------------------------------------------------------
    def _spawn(self) -> subprocess.Popen:
        env = {**os.environ, PACING_ENV: self.pacing_dir}
        # unbuffered pipes: a write is one whole line or nothing; nothing sits in a buffer
        proc = subprocess.Popen([sys.executable, "-m", "tim.crawlers.scrapy_runner"], env=env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                bufsize=0)
        stderr: collections.deque[bytes] = collections.deque(maxlen=STDERR_LINES)
        threading.Thread(target=self._read_events, args=(proc, stderr), daemon=True,
                         name=f"scrapy-service-{proc.pid}-out").start()
        threading.Thread(target=self._read_stderr, args=(proc, stderr), daemon=True,
                         name=f"scrapy-service-{proc.pid}-err").start()
        log.info("scrapy service started pid=%d", proc.pid)
        return proc

    @staticmethod
    def _read_stderr(proc: subprocess.Popen, tail: collections.deque[bytes]) -> None:
        for line in io.open(proc.stderr.fileno(), "rb", closefd=False):
            tail.append(line)
            log.debug("scrapy service pid=%d: %s", proc.pid, line.decode("utf-8", "replace").rstrip())
        try:
            proc.stderr.close()
        except OSError:
            pass

    def _read_events(self, proc: subprocess.Popen, tail: collections.deque[bytes]) -> None:
        """The reader thread of one child: each event to its job's queue; at EOF, every job
        still in flight in that child gets a :class:`ServiceExit`."""
        for line in io.open(proc.stdout.fileno(), "rb", closefd=False):  # buffered, for reading
            try:
                event = json.loads(line)
            except ValueError:
                log.warning("scrapy service pid=%d wrote a line that is no event: %.200r", proc.pid, line)
                continue
            # no lock: a dict lookup is atomic, and a writer holding the lock must never wait
            # for this thread (the child may be blocked writing to us)
            job = self._jobs.get(str(event.get("job")))
            if job is not None and job.pid == proc.pid:
                job.queue.put(event)
        returncode = proc.wait()
        with self._lock:
            orphans = [job for job in self._jobs.values() if job.pid == proc.pid]
            if self._proc is proc:
                self._proc = None
            for stream in (proc.stdin, proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        if orphans:
            text = b"".join(tail).decode("utf-8", "replace")[-2000:]
            log.warning("scrapy service pid=%d ended (exit %s) with %d job(s) in flight",
                        proc.pid, returncode, len(orphans))
            for job in orphans:
                job.queue.put(ServiceExit(proc.pid, returncode, text))

    def _write(self, proc: subprocess.Popen, message: dict[str, Any]) -> None:
        """One line to the child's stdin; called with the lock held, so lines never interleave."""
        data = (json.dumps(message) + "\n").encode()
        fd = proc.stdin.fileno()
        while data:
            data = data[os.write(fd, data):]

    # -- jobs -----------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the child now, without a job (it imports Scrapy while other sources crawl);
        unused, it closes after ``IDLE_SECONDS`` like an idle one."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = self._spawn()
                if not self._jobs and self._idle_timer is None:
                    self._idle_timer = threading.Timer(IDLE_SECONDS, self._close_if_idle)
                    self._idle_timer.daemon = True
                    self._idle_timer.start()

    def submit(self, spec: dict[str, Any]) -> Job:
        """Send one job to the child (starting it when there is none) and return it."""
        with self._lock:
            if self._idle_timer is not None:
                self._idle_timer.cancel()
                self._idle_timer = None
            if self._proc is None or self._proc.poll() is not None:
                self._proc = self._spawn()
            proc = self._proc
            job = Job(self, str(next(self._ids)), proc.pid)
            self._jobs[job.id] = job
            try:
                self._write(proc, {"job": job.id, "spec": spec})
            except OSError as exc:  # the child died just now: its reader thread ends the job
                job.queue.put(ServiceExit(proc.pid, proc.poll(), f"writing the job failed: {exc}"))
            return job

    def _end(self, job: Job) -> None:
        with self._lock:
            if self._jobs.pop(job.id, None) is None:
                return
            proc = self._proc
            if not job.finished and proc is not None and proc.pid == job.pid and proc.poll() is None:
                try:
                    self._write(proc, {"cancel": job.id})
                except OSError:
                    pass
            if not self._jobs and proc is not None and self._idle_timer is None:
                self._idle_timer = threading.Timer(IDLE_SECONDS, self._close_if_idle)
                self._idle_timer.daemon = True
                self._idle_timer.start()

    def _close_if_idle(self) -> None:
        with self._lock:
            if self._jobs or self._idle_timer is None:
                return
            self._idle_timer = None
        self.close(only_if_idle=True)

    def close(self, only_if_idle: bool = False, quiet: bool = False) -> None:
        """Close the child's stdin (it exits on EOF) and wait for it; kill it if it lingers."""
        with self._lock:
            proc = self._proc
            if proc is None or (only_if_idle and self._jobs):
                return
            self._proc = None
            if self._idle_timer is not None:
                self._idle_timer.cancel()
                self._idle_timer = None
            try:
                proc.stdin.close()
            except OSError:
                pass
        try:
            proc.wait(CLOSE_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if not quiet:  # at interpreter exit the log's streams may be closed already
            log.info("scrapy service closed pid=%d", proc.pid)


_services: dict[str, ScrapyService] = {}
_services_lock = threading.Lock()


def service() -> ScrapyService:
    """The service of this process for the current pacing run directory."""
    directory = str(PACER.directory)  # creates and exports the run directory if there is none
    with _services_lock:
        svc = _services.get(directory)
        if svc is None:
            svc = _services[directory] = ScrapyService(directory)
        return svc


def submit(spec: dict[str, Any]) -> Job:
    """Run one html job in the process's Scrapy service."""
    return service().submit(spec)


def start() -> None:
    """Start the process's Scrapy service ahead of its first job (see ``ScrapyService.start``)."""
    service().start()


def close_all(quiet: bool = False) -> None:
    """Close every service's child (at interpreter exit, quietly; tests may call it too)."""
    with _services_lock:
        services = list(_services.values())
    for svc in services:
        svc.close(quiet=quiet)


atexit.register(close_all, quiet=True)


def _forget_after_fork() -> None:
    """In a forked child: the services belong to the parent. Drop this copy's ends of their
    pipes (so the parent's child still sees EOF when the parent goes) and start afresh."""
    global _services_lock
    for svc in list(_services.values()):
        proc = svc._proc
        if proc is not None:
            for stream in (proc.stdin, proc.stdout, proc.stderr):  # unbuffered: closing writes nothing
                try:
                    stream.close()
                except OSError:
                    pass
            proc.returncode = 0  # not this process's child: never waited for or killed here
        svc._proc = None
        svc._jobs.clear()
        svc._lock = threading.Lock()
    _services.clear()
    _services_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)
