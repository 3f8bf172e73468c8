"""The feeds (or, until the feeds app exists, just ``/status`` and ``/metrics``) served by uvicorn
in a thread of the ``tim run`` process."""

from __future__ import annotations

import importlib
import logging
import threading

from .logs import logfmt

log = logging.getLogger("tim.scheduler")


def build_app(engine, config):
    """``feeds.app.create_app(engine, config)`` when present, with the status router mounted;
    otherwise a bare FastAPI app with the status router alone."""
    from fastapi import FastAPI

    from tim.feeds.status import router

    try:
        module = importlib.import_module("tim.feeds.app")
    except ModuleNotFoundError as exc:
        if exc.name not in ("tim.feeds.app", "tim.feeds"):
            raise
        log.warning(logfmt("serve_status_only", reason="feeds.app not installed"))
        app = FastAPI(title="Thuis in Maastricht: status")
    else:
        app = module.create_app(engine, config)
    app.state.engine = getattr(app.state, "engine", None) or engine
    app.state.config = getattr(app.state, "config", None) or config
    if not any(getattr(r, "path", None) == "/status" for r in app.routes):
        app.include_router(router)
    return app


class ServerThread:
    """uvicorn in a daemon thread; ``stop()`` asks it to finish and waits."""

    def __init__(self, app, host: str, port: int):
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True, name="serve")
        self.host, self.port = host, port

    def start(self) -> ServerThread:
        self.thread.start()
        log.info(logfmt("serve_started", url=f"http://{self.host}:{self.port}/"))
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)
