"""Logging for ``tim run`` and its workers: one line per event, ``event key=value ...``.

The service and every worker child log with the same format to stderr; a child's lines are
relayed through the service's stderr unchanged, so one stream holds every run's lines.
"""

from __future__ import annotations

import logging
import sys

from tim.pipeline import logfmt

__all__ = ["FORMAT", "configure_logging", "logfmt"]

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"

#: Libraries whose own chatter would repeat our lines (we log their events in logfmt ourselves).
_QUIET = {"httpx": logging.WARNING, "httpcore": logging.WARNING, "apscheduler": logging.ERROR,
          "uvicorn.access": logging.WARNING, "pika": logging.WARNING}


def configure_logging(verbose: bool = False) -> None:
    """INFO (DEBUG with ``verbose``) to stderr in the one format; replaces earlier handlers."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for name, level in _QUIET.items():
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else level)
