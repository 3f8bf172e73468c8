"""``/status`` (JSON) and ``/metrics`` (Prometheus text): the operator's view over HTTP.

A FastAPI ``APIRouter``; the app that includes it keeps the engine in ``app.state.engine`` and
the loaded config in ``app.state.config``. Both endpoints read ``store.health`` on each request.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from tim.store.health import PROMETHEUS_CONTENT_TYPE, jsonable, prometheus_text, status_report

router = APIRouter(tags=["status"])


@router.get("/status", summary="Health of every source, totals and totals per buurt")
def status(request: Request) -> JSONResponse:
    """Every configured source: state (new/ok/failing/suspect/stale/disabled), last run and its
    counts, next run, consecutive failures, last error; plus totals and totals per buurt."""
    report = status_report(request.app.state.engine, request.app.state.config)
    return JSONResponse(jsonable(report))


@router.get("/metrics", summary="Source health as Prometheus metrics")
def metrics(request: Request) -> Response:
    """The same data as ``/status`` in the Prometheus text exposition format."""
    report = status_report(request.app.state.engine, request.app.state.config)
    return Response(prometheus_text(report), media_type=PROMETHEUS_CONTENT_TYPE)
