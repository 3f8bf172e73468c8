"""``tim run`` end to end: start the service (and the HTTP server), wait for SIGTERM / Ctrl-C,
stop cleanly, return exit code 0.

The first signal stops scheduling and gives running source runs ``shutdown_grace_seconds`` to
finish; a second one stops them at once (their transactions roll back, the runs are recorded
``interrupted``).
"""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

from .logs import logfmt
from .service import Service

log = logging.getLogger("tim.scheduler")


def run_service(config, config_path: str | Path, db_url: str, *, serve: bool = False,
                host: str | None = None, port: int | None = None, enqueue=None) -> int:
    """Run until signalled; returns the process exit code. With ``enqueue`` (``--role
    scheduler``) due runs go onto the job queue for ``tim worker`` instead of running here."""
    service = Service(config, config_path, db_url, enqueue=enqueue)
    stop = threading.Event()
    signals_seen = 0

    def on_signal(signum, _frame) -> None:
        nonlocal signals_seen
        signals_seen += 1
        log.info(logfmt("signal_received", signal=signal.Signals(signum).name, count=signals_seen))
        stop.set()
        if signals_seen > 1:
            service.force_stop_children()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    server = None
    try:
        service.start()
        if serve:
            from .serve import ServerThread, build_app

            server = ServerThread(build_app(service.engine, config), host or config.serve.host,
                                  port or config.serve.port).start()
        while not stop.wait(1.0):
            pass
        service.stop()
    finally:
        if server is not None:
            server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
