"""Progress of long work, reported by the stage that does it and shown by whoever called it.

A stage that runs long (the pipeline over its sources, an export, a geo import, a reassignment)
takes an optional ``progress`` callable and reports through a :class:`Tracker`, which calls it
with :class:`ProgressEvent` values. The stage never formats or prints anything: the CLI renders
the events (rich's live display on a terminal, logfmt lines otherwise, see ``cli/progress.py``);
a test or another caller may simply collect them. Without a callable a tracker does nothing.

Events, in order: ``started``; per step (a source, an output file) ``step_started`` and
``step_finished``; ``advanced`` as records or units go by (at most one per ``interval`` seconds,
so a per-record call costs next to nothing); ``phase`` for work after the steps (the
de-duplication of a crawl); ``finished``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

EVENTS = ("started", "step_started", "step_finished", "advanced", "phase", "finished")


@dataclass(frozen=True)
class ProgressEvent:
    """One moment of a long task."""

    task: str
    """What runs: ``crawl``, ``export``, ``reassign``, ``import-buurten``, ``import-postcodes``, ..."""
    event: str
    """One of :data:`EVENTS`."""
    done: int
    """Steps (sources, files) or units (items, rows) finished so far."""
    total: int | None
    """How many there are; ``None`` when not known in advance."""
    unit: str
    """What ``done`` and ``total`` count: ``sources``, ``files``, ``items``, ``rows``, ``buurten``."""
    current: str | None
    """The step or phase under way (a source id, a file name, ``dedup``), if any."""
    records: int
    """Records handled so far (fetched, written or read)."""
    elapsed: float
    """Seconds since the task started."""
    fields: Mapping[str, object] = field(default_factory=dict)
    """Facts of this event: a finished source's status and counts, the rows an export wrote, ..."""


ProgressCallback = Callable[[ProgressEvent], None]


class Tracker:
    """The producer's side: counts steps, units and records and emits events to ``progress``."""

    def __init__(self, progress: ProgressCallback | None, task: str, *, total: int | None = None,
                 unit: str = "steps", interval: float = 0.1) -> None:
        self.progress = progress
        self.task = task
        self.total = total
        self.unit = unit
        self.interval = interval
        self.done = 0
        self.records = 0
        self.current: str | None = None
        self._started = time.monotonic()
        self._last_advanced = 0.0
        self._lock = threading.RLock()  # sources crawled at once report from several threads

    def _emit(self, event: str, fields: Mapping[str, object]) -> None:
        if self.progress is None:
            return
        with self._lock:
            self._call(event, fields)

    def _call(self, event: str, fields: Mapping[str, object]) -> None:
        self.progress(ProgressEvent(self.task, event, self.done, self.total, self.unit, self.current, self.records,
                                    time.monotonic() - self._started, dict(fields)))

    def start(self, **fields) -> Tracker:
        self._started = time.monotonic()
        self._emit("started", fields)
        return self

    def step(self, current: str, **fields) -> None:
        """A step (a source, a file) begins."""
        with self._lock:
            self.current = current
            self._emit("step_started", fields)

    def step_done(self, current: str | None = None, **fields) -> None:
        """The current step (or, when steps overlap, the step ``current``) is finished."""
        with self._lock:
            if current is not None:
                self.current = current
            self.done += 1
            self._emit("step_finished", fields)

    def phase(self, current: str, **fields) -> None:
        """Work that is not one of the counted steps begins (e.g. de-duplication)."""
        self.current = current
        self._emit("phase", fields)

    def add_records(self, n: int = 1) -> None:
        """``n`` more records handled (emits ``advanced`` at most every ``interval`` seconds)."""
        with self._lock:
            self.records += n
            self._maybe_advanced()

    def advance(self, n: int = 1, records: int = 0) -> None:
        """``n`` more units done (for tasks counted in units rather than steps)."""
        with self._lock:
            self.done += n
            self.records += records
            self._maybe_advanced()

    def _maybe_advanced(self) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if now - self._last_advanced >= self.interval:
            self._last_advanced = now
            self._emit("advanced", {})

    def finish(self, **fields) -> None:
        self.current = None
        self._emit("finished", fields)

    def counted(self, items: Iterable[T]) -> Iterator[T]:
        """``items``, counting each one as a record."""
        for item in items:
            self.add_records()
            yield item


__all__ = ["EVENTS", "ProgressCallback", "ProgressEvent", "Tracker"]
