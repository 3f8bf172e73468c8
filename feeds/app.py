"""``create_app(engine, config)``: the read-only FastAPI app of ``tim serve``.

The engine and config live on ``app.state``; so do the buurten (loaded once), the change clock
and the render cache of :mod:`feeds.conditional`. The scheduler's ``feeds.status`` router
(``/status``, ``/metrics``) is included when that module exists.
"""

from __future__ import annotations

import importlib
import logging

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Engine

from .areas import load_buurten, load_wijken
from .conditional import ChangeClock, RenderCache

log = logging.getLogger("tim.feeds")

DESCRIPTION = """Bundled volunteering, participation and neighbourhood items of Maastricht, per buurt.

Every feed answers `ETag` / `Last-Modified` and honours `If-None-Match` / `If-Modified-Since` with 304.
`/changes` is an RPDE-style incremental feed: poll its `next` link forever.
"""


class SecurityHeaders:
    """Pure ASGI middleware: ``nosniff`` and a referrer policy on every response; ``HEAD`` is
    answered like ``GET`` without the body (feed readers probe with it)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                message["headers"] = headers
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(engine: Engine, config=None) -> FastAPI:
    """The FastAPI app serving the store behind ``engine`` (read-only)."""
    from tim.config import Config

    config = config or Config()
    app = FastAPI(title=config.serve.title, description=DESCRIPTION, version="1.0",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")  # routes.docs: no CDN
    app.state.engine = engine
    app.state.config = config
    app.state.buurten = load_buurten(engine)
    app.state.buurt_index = {b.code: b for b in app.state.buurten}
    app.state.wijken = load_wijken(app.state.buurten)
    app.state.source_names = {s.id: s.display_name for s in config.sources}
    app.state.clock = ChangeClock()
    app.state.cache = RenderCache(config.serve.cache_bytes)

    from .routes import api, changes, docs, feeds, locate, organisations, page

    for module in (api, feeds, changes, locate, page, organisations, docs):
        app.include_router(module.router)
    _include_status(app)

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request failed: %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal error"}, status_code=500)

    app.add_middleware(SecurityHeaders)
    if config.serve.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=list(config.serve.cors_origins), allow_methods=["GET", "HEAD", "OPTIONS"],
            allow_headers=["If-None-Match", "If-Modified-Since"], expose_headers=["ETag", "Last-Modified"],
            max_age=600,
        )
    return app


def _include_status(app: FastAPI) -> None:
    """Include ``feeds.status.router`` (the scheduler's /status and /metrics) when it exists."""
    try:
        module = importlib.import_module("tim.feeds.status")
    except ModuleNotFoundError as exc:
        if exc.name != "tim.feeds.status":
            raise
        return
    app.include_router(module.router)
