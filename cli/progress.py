"""Showing the progress events of long commands (``tim crawl``, ``tim demo``, ``tim export``,
``tim geo reassign`` and the ``tim geo import-*`` commands). No logic here: the stages report
:class:`tim.progress.ProgressEvent` values; this module only renders them, on stderr so that
stdout (an export written to stdout, the tables) stays clean.

- On a terminal: rich's live progress display (steps done / total, the current source or file,
  records, elapsed time), replaced by its final state when the task ends.
- Otherwise (a pipe, a file, cron, CI): plain logfmt lines, one per start, step, phase and end of
  the task, and a heartbeat line for a running step at most every ``HEARTBEAT_SECONDS``.
  ``TIM_PROGRESS=plain`` forces those lines on a terminal too, ``TIM_PROGRESS=off`` silences both.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime

from tim.progress import ProgressEvent

HEARTBEAT_SECONDS = 10.0


def _value(v) -> str:
    s = "" if v is None else str(v)
    if not s or any(c in s for c in ' "=\\') or any(ord(c) < 32 for c in s):
        s = '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
    return s


def logfmt_line(event: ProgressEvent, now: datetime | None = None) -> str:
    """One event as a logfmt line: ``time=... level=info msg=progress task=... event=... ...``."""
    now = now or datetime.now(UTC)
    pairs = {"time": now.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z", "level": "info", "msg": "progress",
             "task": event.task, "event": event.event, "done": event.done,
             "total": "" if event.total is None else event.total, "unit": event.unit,
             "current": event.current or "", "records": event.records, "elapsed": f"{event.elapsed:.2f}"}
    pairs.update({k: v for k, v in event.fields.items() if k not in pairs})
    return " ".join(f"{k}={_value(v)}" for k, v in pairs.items())


class LogfmtProgress:
    """Events as logfmt lines on ``stream``."""

    def __init__(self, stream, heartbeat: float = HEARTBEAT_SECONDS) -> None:
        self.stream = stream
        self.heartbeat = heartbeat
        self._last = time.monotonic()

    def __call__(self, event: ProgressEvent) -> None:
        now = time.monotonic()
        if event.event == "advanced" and now - self._last < self.heartbeat:
            return
        self._last = now
        self.stream.write(logfmt_line(event) + "\n")
        self.stream.flush()


class RichProgress:
    """Events as rich's live progress display on ``stream`` (a terminal)."""

    def __init__(self, title: str, stream) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeElapsedColumn)

        self.title = title
        self.display = Progress(
            SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[unit]}", markup=False), TextColumn("{task.fields[current]}", markup=False),
            TextColumn("{task.fields[records]} records", markup=False), TimeElapsedColumn(),
            console=Console(file=stream), transient=False, refresh_per_second=8,
            # stdout is left alone: it may be an export being written to a file or pipe; log lines
            # on stderr are shown above the display
            redirect_stdout=False, redirect_stderr=True)
        self.task_id = None

    def __enter__(self) -> RichProgress:
        self.display.start()
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self.display.stop()

    def __call__(self, event: ProgressEvent) -> None:
        current = event.current or ""
        if event.event == "step_finished" and event.fields.get("status"):
            current = f"{current} {event.fields['status']}"
        if event.event == "finished":
            current = "done"
        if self.task_id is None:
            self.task_id = self.display.add_task(self.title, total=event.total, unit=event.unit, current=current,
                                                 records=event.records)
        self.display.update(self.task_id, total=event.total, completed=event.done, unit=event.unit,
                            current=current, records=event.records)
        if event.event == "finished":
            self.display.update(self.task_id, total=event.total if event.total is not None else event.done)
            self.display.refresh()


@contextlib.contextmanager
def progress_display(title: str, stream=None) -> Iterator:
    """A progress callable for one command: rich's live display on a terminal, logfmt lines otherwise."""
    stream = stream or sys.stderr
    mode = os.environ.get("TIM_PROGRESS", "auto").lower()
    if mode == "off":
        yield None
        return
    if mode != "plain" and stream.isatty():
        with RichProgress(title, stream) as live:
            yield live
        return
    yield LogfmtProgress(stream)
