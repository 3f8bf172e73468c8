"""Warm worker processes (``tim.processes``, issue #11): tasks run in other processes, several at a
time in each; a child that dies fails only its own tasks and is replaced; a failing task or a
failing start says what went wrong. Real child processes, no timing asserted."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tim.processes import TaskFailed, WorkerDied, WorkerPool, WorkerStartError


def _setup(gate_dir: str):
    """A child's handler: ``("pid",)`` -> its pid; ``("wait", name)`` -> waits for a file named
    ``name`` in ``gate_dir``, noting that it waits; ``("fail",)`` raises."""
    gate = Path(gate_dir)

    def handle(task, notify):
        if task[0] == "wait":
            notify(("waiting", os.getpid()))
            deadline = time.monotonic() + 60
            while not (gate / task[1]).exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            return ("opened", os.getpid())
        if task[0] == "fail":
            raise ValueError("record 7 is kapot")
        return os.getpid()

    return handle


def _broken_setup():
    raise RuntimeError("geo data missing")


def _wait_for(cond, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_tasks_run_in_the_children_several_at_a_time_each(tmp_path):
    with WorkerPool(2, 2, _setup, (str(tmp_path),)) as pool:
        pids = set(pool.pids)
        assert len(pids) == 2 and os.getpid() not in pids
        notes = []
        # four waiting tasks on two children of two threads: all four are in flight at once
        futures = [pool.submit(("wait", "open"), on_note=notes.append) for _ in range(4)]
        _wait_for(lambda: len(notes) == 4)
        assert sorted(len(tasks) for tasks in pool.running().values()) == [2, 2]
        assert {pid for _w, pid in notes} == pids  # notes reached the parent from both children
        (tmp_path / "open").touch()
        assert sorted(f.result(30) for f in futures) == sorted(("opened", p) for p in pids for _ in range(2))
        assert pool.submit(("pid",)).result(30) in pids
        assert pool.running() == {p: [] for p in pids}


def test_a_child_that_dies_fails_only_its_own_tasks_and_is_replaced(tmp_path):
    with WorkerPool(2, 1, _setup, (str(tmp_path),)) as pool:
        first = set(pool.pids)
        notes = []
        victim_f = pool.submit(("wait", "never"), on_note=notes.append)
        _wait_for(lambda: notes)
        victim = notes[0][1]
        other_f = pool.submit(("wait", "open"))  # goes to the idle child
        _wait_for(lambda: all(len(t) == 1 for t in pool.running().values()))
        os.kill(victim, signal.SIGKILL)
        with pytest.raises(WorkerDied, match=r"killed by signal 9") as died:
            victim_f.result(30)
        assert died.value.pid == victim
        (tmp_path / "open").touch()
        assert other_f.result(30) == ("opened", (first - {victim}).pop())
        # the next task finds two children again: the dead one replaced
        assert pool.submit(("pid",)).result(60) in set(pool.pids)
        assert len(pool.pids) == 2 and victim not in pool.pids and (first - {victim}) < set(pool.pids)


def test_a_failing_task_fails_its_future_with_the_childs_traceback(tmp_path):
    with WorkerPool(1, 1, _setup, (str(tmp_path),)) as pool:
        pid = pool.pids[0]
        with pytest.raises(TaskFailed, match="ValueError: record 7 is kapot") as failed:
            pool.submit(("fail",)).result(30)
        assert "Traceback" in str(failed.value) and "handle" in str(failed.value)
        assert pool.submit(("pid",)).result(30) == pid  # the child lives on


def test_a_setup_that_fails_is_a_start_error_that_says_why():
    pool = WorkerPool(2, 1, _broken_setup)
    with pytest.raises(WorkerStartError, match="could not start") as err:
        pool.start()
    assert "RuntimeError: geo data missing" in str(err.value)
    assert pool.pids == []
    pool.close()


def test_a_closed_pool_takes_no_tasks_and_its_children_are_gone(tmp_path):
    pool = WorkerPool(1, 1, _setup, (str(tmp_path),))
    pool.start()
    pid = pool.pids[0]
    pool.close()
    with pytest.raises(RuntimeError, match="closed"):
        pool.submit(("pid",))
    _wait_for(lambda: not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text())


def _logging_setup():
    import logging

    logging.getLogger("tim.test.child").info("klaar om te beginnen")

    def handle(task, notify):
        logging.getLogger("tim.test.child").warning("bron %s: record %d kapot", task, 7)
        logging.getLogger("tim.test.child").debug("niet te zien: onder het niveau")
        return os.getpid()

    return handle


def test_what_a_child_logs_reaches_the_parents_loggers(caplog):
    import logging

    caplog.set_level(logging.INFO, logger="tim.test.child")
    root, level = logging.getLogger(), logging.getLogger().level
    root.setLevel(logging.INFO)  # the children log at the parent's level when they start
    try:
        with WorkerPool(1, 1, _logging_setup) as pool:
            pid = pool.submit("museum").result(30)
            _wait_for(lambda: any("kapot" in r.getMessage() for r in caplog.records))
    finally:
        root.setLevel(level)
    mine = [r for r in caplog.records if r.name == "tim.test.child"]
    assert [(r.levelname, r.getMessage()) for r in mine] == [
        ("INFO", "klaar om te beginnen"), ("WARNING", "bron museum: record 7 kapot")]
    assert {r.process for r in mine} == {pid} != {os.getpid()}
