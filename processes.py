"""Warm worker processes: CPU-bound work spread over the cores (one interpreter lock per process).

``WorkerPool(processes, threads, setup, args)`` starts ``processes`` children with the ``spawn``
method (nothing of the parent's threads or locks is forked). Each child calls ``setup(*args)``
once, to load what every task needs (a configuration, a database engine, the geo data), and gets
back a handler ``handle(task, notify) -> result``; it then runs up to ``threads`` tasks at a time,
in threads. ``submit(task, on_note)`` gives a :class:`~concurrent.futures.Future` of the handler's
result, and ``notify(payload)`` inside a task reaches that task's ``on_note`` in the parent (to
report progress), and what the child logs reaches the parent's loggers of the same names (at the
parent's level when the child started), with the child's pid as the record's ``process``.

Tasks and results travel pickled over one pipe per child, so a child that dies in the middle of a
message spoils no other child's. A child that dies (killed, out of memory, a crash in C code)
fails the futures of its tasks in flight with :class:`WorkerDied`, and only those; the next
``submit`` starts a replacement. An exception inside a task fails that task's future with
:class:`TaskFailed`, carrying the child's traceback. Children are daemonic (they end with the
parent), and a child whose parent has gone away finishes the tasks in flight and exits.

Generic: nothing here knows what a task is. ``pipeline`` uses it to crawl sources in several
processes (``[settings] processes``).
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

log = logging.getLogger("tim.processes")

#: Seconds a new child may take to become ready (start-up and ``setup``).
START_TIMEOUT = 180.0


class WorkerDied(RuntimeError):
    """The child running a task ended before the task did."""

    def __init__(self, pid: int | None, exitcode: int | None):
        self.pid, self.exitcode = pid, exitcode
        how = f"killed by signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit code {exitcode}"
        super().__init__(f"worker process {pid} ended in the middle of the task ({how})")


class TaskFailed(RuntimeError):
    """The task raised inside its child; the message holds the child's traceback."""


class WorkerStartError(RuntimeError):
    """A child could not be started or its ``setup`` failed."""


class _Forward(logging.Handler):
    """A child's log records, sent to the parent, which hands them to its own loggers."""

    def __init__(self, send: Callable[[tuple], None]) -> None:
        super().__init__()
        self.send = send

    def emit(self, record: logging.LogRecord) -> None:
        try:
            fields = {"name": record.name, "levelno": record.levelno, "levelname": record.levelname,
                      "msg": record.getMessage(), "created": record.created, "process": record.process,
                      "processName": record.processName, "threadName": record.threadName,
                      "exc_text": self.formatter.formatException(record.exc_info)
                      if record.exc_info and self.formatter else None}
            self.send(("log", None, fields))
        except Exception:  # noqa: BLE001  (logging must never fail a task)
            self.handleError(record)


def _child(conn: Connection, setup: Callable, args: tuple, threads: int, log_level: int) -> None:
    """A child's life: ``setup`` once, then tasks from the pipe until it says stop or closes."""
    send_lock = threading.Lock()

    def send(msg: tuple) -> None:
        with send_lock:
            conn.send(msg)

    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    forward = _Forward(send)
    forward.setFormatter(logging.Formatter())
    root.addHandler(forward)
    root.setLevel(log_level)
    try:
        handle = setup(*args)
    except BaseException:  # noqa: BLE001  (told to the parent, which raises WorkerStartError)
        send(("failed", None, traceback.format_exc()))
        return

    def run(tid: int, task: object) -> None:
        try:
            result = handle(task, lambda payload: send(("note", tid, payload)))
            send(("done", tid, result))  # a result that does not pickle fails here, before writing
        except BaseException as exc:  # noqa: BLE001
            send(("error", tid, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))

    send(("ready", None, os.getpid()))
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="tim-task") as pool:
        while True:
            try:
                msg = conn.recv()
            except (EOFError, OSError):  # the parent has gone: finish what is in flight
                break
            if msg is None:
                break
            pool.submit(run, *msg)


@dataclass
class _Worker:
    proc: multiprocessing.process.BaseProcess
    conn: Connection
    tasks: dict[int, tuple[Future, Callable | None, object]] = field(default_factory=dict)


class WorkerPool:
    """``processes`` warm children running ``threads`` tasks each; see the module docstring."""

    def __init__(self, processes: int, threads: int, setup: Callable, args: tuple = (), *,
                 name: str = "tim-worker") -> None:
        if processes < 1 or threads < 1:
            raise ValueError("a worker pool needs at least one process and one thread")
        self.processes, self.threads, self.name = processes, threads, name
        self._setup, self._args = setup, args
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._workers: list[_Worker] = []
        self._ids = itertools.count()
        self._wake_r, self._wake_w = self._ctx.Pipe(duplex=False)
        self._collector: threading.Thread | None = None
        self._closed = False

    # -- life -----------------------------------------------------------------------------
    def start(self) -> None:
        """Start children until there are ``processes`` of them; returns when all are ready."""
        with self._start_lock:
            with self._lock:
                if self._closed:
                    raise RuntimeError("the worker pool is closed")
                missing = self.processes - len(self._workers)
            starting = []
            for _ in range(missing):
                parent, child = self._ctx.Pipe()
                level = logging.getLogger().getEffectiveLevel()
                proc = self._ctx.Process(target=_child, args=(child, self._setup, self._args, self.threads, level),
                                         name=self.name, daemon=True)
                proc.start()
                child.close()
                starting.append(_Worker(proc, parent))
            ready, error = [], None
            for w in starting:  # they start at the same time; wait for each in turn
                try:
                    ready.append(self._ready(w))
                except WorkerStartError as exc:
                    error = error or exc
            if error is not None:
                for w in ready:
                    _stop(w)
                raise error
            with self._lock:
                self._workers.extend(ready)
                if self._collector is None:
                    self._collector = threading.Thread(target=self._collect, name=f"{self.name}-collector",
                                                       daemon=True)
                    self._collector.start()
            self._wake()

    @staticmethod
    def _ready(w: _Worker) -> _Worker:
        deadline = time.monotonic() + START_TIMEOUT
        while True:  # what setup logs comes first
            if not w.conn.poll(max(0.0, deadline - time.monotonic())):
                _stop(w)
                raise WorkerStartError(f"worker process {w.proc.pid} was not ready after {START_TIMEOUT:.0f} s")
            try:
                kind, _tid, payload = w.conn.recv()
            except (EOFError, OSError):
                w.proc.join(5)
                raise WorkerStartError(f"worker process {w.proc.pid} ended while starting "
                                       f"(exit code {w.proc.exitcode})") from None
            if kind == "log":
                _relog(payload)
                continue
            if kind != "ready":
                w.proc.join(5)
                raise WorkerStartError(f"worker process {w.proc.pid} could not start:\n{payload}")
            return w

    def close(self, timeout: float = 30.0) -> None:
        """Let the children finish their tasks in flight, then end them."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers = list(self._workers)
        for w in workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        for w in workers:
            w.proc.join(timeout)
            if w.proc.is_alive():
                w.proc.terminate()
                w.proc.join(5)
        self._wake()
        if self._collector is not None:
            self._collector.join(timeout)

    def __enter__(self) -> WorkerPool:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return [w.proc.pid for w in self._workers]

    def running(self) -> dict[int, list[object]]:
        """The tasks in flight in each child, by pid."""
        with self._lock:
            return {w.proc.pid: [t for _f, _n, t in w.tasks.values()] for w in self._workers}

    # -- tasks ----------------------------------------------------------------------------
    def submit(self, task: object, on_note: Callable[[object], None] | None = None) -> Future:
        """Run ``task`` in the least busy child; ``on_note`` gets what the task notifies."""
        with self._lock:
            short = len(self._workers) < self.processes and not self._closed
        if short:  # first use, or a child died: (re)start before choosing
            self.start()
        future: Future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the worker pool is closed")
            w = min(self._workers, key=lambda x: len(x.tasks))
            tid = next(self._ids)
            w.tasks[tid] = (future, on_note, task)
            try:
                w.conn.send((tid, task))
            except OSError:  # it has just died: the collector fails its other tasks
                del w.tasks[tid]
                future.set_exception(WorkerDied(w.proc.pid, w.proc.exitcode))
        return future

    # -- the parent's side of the pipes ----------------------------------------------------
    def _wake(self) -> None:
        try:
            self._wake_w.send(None)
        except OSError:
            pass

    def _collect(self) -> None:
        while True:
            with self._lock:
                if self._closed and not any(w.tasks for w in self._workers):
                    return
                by_conn = {w.conn: w for w in self._workers}
                by_sentinel = {w.proc.sentinel: w for w in self._workers}
            for r in wait([*by_conn, *by_sentinel, self._wake_r], timeout=5.0):
                if r is self._wake_r:
                    self._wake_r.recv()
                elif r in by_conn:
                    w = by_conn[r]
                    try:
                        self._deliver(w, *r.recv())
                    except (EOFError, OSError):
                        self._lost(w)
                else:
                    w = by_sentinel[r]
                    try:
                        while w.conn.poll():  # what it sent before it ended still counts
                            self._deliver(w, *w.conn.recv())
                    except (EOFError, OSError):
                        pass
                    self._lost(w)

    def _deliver(self, w: _Worker, kind: str, tid: int | None, payload: object) -> None:
        if kind == "log":
            _relog(payload)
            return
        with self._lock:
            entry = w.tasks.get(tid) if kind == "note" else w.tasks.pop(tid, None)
        if entry is None:
            return
        future, on_note, _task = entry
        if kind == "note":
            if on_note is not None:
                try:
                    on_note(payload)
                except Exception:  # noqa: BLE001  (a progress display must not stop the collector)
                    log.exception("on_note of task %s failed", tid)
        elif kind == "done":
            future.set_result(payload)
        else:
            future.set_exception(TaskFailed(str(payload)))

    def _lost(self, w: _Worker) -> None:
        with self._lock:
            if w not in self._workers:
                return
            self._workers.remove(w)
            tasks, w.tasks = w.tasks, {}
        w.proc.join(5)
        w.conn.close()
        for future, _on_note, _task in tasks.values():
            future.set_exception(WorkerDied(w.proc.pid, w.proc.exitcode))


def _relog(fields: dict) -> None:
    """A child's log record, handled by the parent's logger of the same name."""
    record = logging.makeLogRecord(fields)
    logger = logging.getLogger(record.name)
    if logger.isEnabledFor(record.levelno):
        logger.handle(record)


def _stop(w: _Worker) -> None:
    try:
        w.conn.send(None)
    except OSError:
        pass
    w.proc.join(5)
    if w.proc.is_alive():
        w.proc.terminate()
        w.proc.join(5)
    w.conn.close()
