"""Re-clustering after runs (issue #6): never two passes at once, and a burst of requests during
a pass costs one more pass, not one per request, so no run's items are left out."""

from __future__ import annotations

import threading
import time

from tim.scheduler.dedup import DedupCoordinator


def test_one_pass_at_a_time_and_requests_during_a_pass_fold_into_one():
    running, peak, lock = 0, 0, threading.Lock()
    gate = threading.Event()

    def recluster():
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        gate.wait(5)
        time.sleep(0.05)
        with lock:
            running -= 1

    coordinator = DedupCoordinator(recluster)
    coordinator.request()
    time.sleep(0.2)  # the first pass is running, held at the gate
    threads = [threading.Thread(target=coordinator.request) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    gate.set()
    assert coordinator.idle(10)
    assert peak == 1 and coordinator.passes == 2
    coordinator.stop(5)


def test_a_failing_pass_does_not_stop_later_ones():
    calls = []

    def recluster():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database busy")

    coordinator = DedupCoordinator(recluster)
    coordinator.request()
    assert coordinator.idle(5)
    coordinator.request()
    assert coordinator.idle(5) and coordinator.passes == 2
    coordinator.stop(5)
