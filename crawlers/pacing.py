"""Per-host pacing shared by every HTTP client in the process.

At most one request at a time per host, a minimum delay between the end of one request and the
start of the next, and a host-wide pause after ``Retry-After`` or a back-off. Thread-safe: the
pipeline may crawl several sources at once and they still take turns per host.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_end: float = float("-inf")
    not_before: float = float("-inf")


class HostPacer:
    """The process-wide table of hosts; use :data:`PACER`."""

    def __init__(self) -> None:
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def _host(self, host: str) -> _Host:
        with self._lock:
            return self._hosts.setdefault(host.lower(), _Host())

    @contextmanager
    def turn(self, host: str, delay: float) -> Iterator[None]:
        """Wait for the host's turn (one at a time, ``delay`` seconds after the previous request
        ended, not before a pause set by :meth:`pause`), hold it for one request, release it."""
        state = self._host(host)
        with state.lock:
            while True:
                wait = max(state.last_end + delay, state.not_before) - time.monotonic()
                if wait <= 0:
                    break
                time.sleep(wait)
            try:
                yield
            finally:
                state.last_end = time.monotonic()

    def pause(self, host: str, seconds: float) -> None:
        """No request to ``host`` before ``seconds`` from now (Retry-After, back-off)."""
        state = self._host(host)
        state.not_before = max(state.not_before, time.monotonic() + seconds)


#: The one pacer of the process.
PACER = HostPacer()
