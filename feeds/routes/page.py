"""The map page at ``/`` and its static files (no external tiles, CDNs or libraries).

The page is served with a strict Content-Security-Policy: scripts, styles and data only from
this origin, no inline script, no plugins, no framing.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, Response

from ..conditional import not_modified

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).resolve().parent.parent / "static"
FILES = {"map.js": "text/javascript; charset=utf-8", "map.css": "text/css; charset=utf-8"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@lru_cache(maxsize=8)
def _load(name: str) -> tuple[bytes, str]:
    body = (STATIC / name).read_bytes()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _static(request: Request, name: str, media_type: str, extra: dict | None = None) -> Response:
    body, etag = _load(name)
    headers = {"ETag": etag, "Cache-Control": "no-cache", **(extra or {})}
    if not_modified(request, etag, None):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


@router.get("/")
def map_page(request: Request) -> Response:
    return _static(request, "index.html", "text/html; charset=utf-8",
                   {"Content-Security-Policy": CSP, "X-Frame-Options": "DENY"})


@router.get("/static/{name}")
def static_file(request: Request, name: str) -> Response:
    if name not in FILES:
        raise HTTPException(status_code=404, detail="not found")
    return _static(request, name, FILES[name])
