"""HTTP helpers of the demo sites: conditional GET (ETag / Last-Modified -> 304) and dates."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime

from tim.demo.web import Request, Response


def http_date(dt: datetime) -> str:
    """An RFC 7231 date (``Tue, 10 Jun 2025 14:05:00 GMT``)."""
    return format_datetime(dt.astimezone(timezone.utc).replace(microsecond=0), usegmt=True)


def etag_of(body: bytes) -> str:
    """A strong ETag from the body's hash."""
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


def _etag_matches(header: str, etag: str) -> bool:
    tags = [t.strip() for t in header.split(",")]
    return "*" in tags or etag in tags or f"W/{etag}" in tags


def conditional(
    req: Request, body: bytes | str, content_type: str, last_modified: datetime, max_age: int = 300
) -> Response:
    """200 with ETag/Last-Modified, or 304 when ``If-None-Match`` matches (or, without it,
    ``If-Modified-Since`` is not older than ``last_modified``)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    etag = etag_of(data)
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
        "Cache-Control": f"public, max-age={max_age}",
    }
    inm = req.headers.get("if-none-match")
    ims = req.headers.get("if-modified-since")
    not_modified = False
    if inm is not None:
        not_modified = _etag_matches(inm, etag)
    elif ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            since = None
        if since is not None:
            if since.tzinfo is None:
                since = since.replace(tzinfo=timezone.utc)
            not_modified = last_modified.replace(microsecond=0) <= since
    if not_modified:
        return Response(b"", status=304, headers=headers, content_type=content_type)
    return Response(data, headers=headers, content_type=content_type)
