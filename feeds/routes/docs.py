"""The API documentation pages, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), with no CDN.

FastAPI's own pages load Swagger UI, ReDoc and a favicon from public CDNs, so they stay blank on
a machine without internet. Here the same HTML (FastAPI's ``get_swagger_ui_html`` /
``get_redoc_html``) points at copies served by this app under ``/static/docs/``: the
``swagger-ui-bundle.js``, ``swagger-ui.css`` and ``redoc.standalone.js`` that the PyPI package
``fastapi-offline`` ships as package data (we use only its files, not its app factory).

The pages get their own Content-Security-Policy: scripts only from this origin plus the one
inline start-up script of Swagger UI (allowed by its SHA-256 hash, computed from the HTML we
send), styles from this origin and inline (ReDoc and Swagger UI inject ``<style>`` elements),
images from this origin and ``data:``, fetches only to this origin, ReDoc's search worker from a
``blob:``; no framing, no forms, no plugins. Swagger UI's online validator badge is off.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html

from ..conditional import not_modified

router = APIRouter(include_in_schema=False)

ASSET_PREFIX = "/static/docs/"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
SWAGGER_PARAMETERS = {"validatorUrl": None, "deepLinking": True, "layout": "BaseLayout",
                      "showExtensions": True, "showCommonExtensions": True}
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def asset_dir() -> Path:
    """The folder holding the Swagger UI and ReDoc files (package data of ``fastapi_offline``)."""
    return Path(str(files("fastapi_offline").joinpath("static")))


def csp_for(html: str) -> str:
    """The docs pages' Content-Security-Policy: inline scripts allowed by hash only."""
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
                      for s in _INLINE_SCRIPT.findall(html))
    return (f"default-src 'none'; script-src 'self'{' ' + hashes if hashes else ''}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            "worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def _page(html: str) -> Response:
    return Response(html, media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": csp_for(html), "X-Frame-Options": "DENY",
                             "Cache-Control": "no-cache"})


def _root(request: Request) -> str:
    return request.scope.get("root_path", "").rstrip("/")


@router.get("/docs")
def swagger_ui(request: Request) -> Response:
    root = _root(request)
    html = get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}", title=f"{request.app.title} - Swagger UI",
        swagger_js_url=f"{root}{ASSET_PREFIX}swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSET_PREFIX}swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSET_PREFIX}favicon.png",
        oauth2_redirect_url=None, swagger_ui_parameters=SWAGGER_PARAMETERS,
    ).body.decode("utf-8")
    return _page(html)


@router.get("/redoc")
def redoc(request: Request) -> Response:
    root = _root(request)
    html = get_redoc_html(
        openapi_url=f"{root}{request.app.openapi_url}", title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{root}{ASSET_PREFIX}redoc.standalone.js",
        redoc_favicon_url=f"{root}{ASSET_PREFIX}favicon.png", with_google_fonts=False,
    ).body.decode("utf-8")
    return _page(html)


@lru_cache(maxsize=len(ASSETS))
def _asset(name: str) -> tuple[bytes, str]:
    body = (asset_dir() / name).read_bytes()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@router.get(ASSET_PREFIX + "{name}")
def docs_asset(request: Request, name: str) -> Response:
    if name not in ASSETS:
        raise HTTPException(status_code=404, detail="not found")
    body, etag = _asset(name)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
    if not_modified(request, etag, None):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=ASSETS[name], headers=headers)
