"""Re-clustering after runs, at most one at a time, in its own thread.

Each stored run asks for a re-cluster; requests that arrive while one is running are folded into
one more pass after it, so a burst of runs costs at most two passes and a run's items are never
left out. The pass runs in the service process (it is our own code over our own tables, not a
source's), outside the worker pool, so it never takes a run's slot.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from .logs import logfmt

log = logging.getLogger("tim.scheduler")


class DedupCoordinator:
    """Runs ``recluster()`` in one background thread whenever asked; never two at once."""

    def __init__(self, recluster: Callable[[], object]):
        self._recluster = recluster
        self._wake = threading.Condition()
        self._pending = False
        self._stopping = False
        self._busy = False
        self.passes = 0
        """Passes run so far."""
        self._thread = threading.Thread(target=self._loop, daemon=True, name="dedup")
        self._thread.start()

    def request(self) -> None:
        """Ask for a pass after the current one (if any); returns at once."""
        with self._wake:
            self._pending = True
            self._wake.notify()

    def stop(self, timeout: float | None = None) -> None:
        """Run a pending pass, then end the thread."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join(timeout)

    def idle(self, timeout: float) -> bool:
        """Wait until no pass is pending or running; True when idle."""
        with self._wake:
            return self._wake.wait_for(lambda: not self._pending and not self._busy, timeout)

    def _loop(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._pending or self._stopping)
                if not self._pending:
                    return
                self._pending, self._busy = False, True
            try:
                self._recluster()
            except Exception as exc:  # noqa: BLE001  (a failed pass is logged; the next run asks again)
                log.error(logfmt("dedup_failed", error=f"{type(exc).__name__}: {exc}"))
            finally:
                with self._wake:
                    self._busy = False
                    self.passes += 1
                    self._wake.notify_all()
