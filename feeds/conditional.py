"""Conditional GET for every feed: ETag and Last-Modified, 304, and a small render cache.

A response is a function of its route, its validated parameters and the *state* of the store:
the highest ``change_seq`` (every change of a bundled item bumps it, in commit order). So
``ETag = hash(route, parameters, state)`` is exact, and the rendered body can be cached under it.

``Last-Modified`` cannot come from ``clusters.modified_at``: a writer stamps that before its
transaction commits, possibly seconds earlier, so a client could be told "not modified" about a
change it never saw. Instead the :class:`ChangeClock` stamps a state with the time this server
first saw it, rounded up to the second, and only sends the header once that second is well past;
any later state is then first seen strictly later. ``If-None-Match`` wins over
``If-Modified-Since`` (RFC 9110 13.2.2).
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request, Response

FORMAT_VERSION = "1"
"""Bump when any rendering changes, so old ETags stop matching."""


class ChangeClock:
    """First time this process saw each state token (only the newest is kept)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seq: int | None = None
        self._seen: int = 0

    def last_modified(self, seq: int, started: float) -> datetime | None:
        """Last-Modified for state ``seq`` read after ``started`` (epoch seconds), or None."""
        with self._lock:
            if self._seq is None or seq > self._seq:
                self._seq, self._seen = seq, math.ceil(started)
            elif seq < self._seq:
                return None
            seen = self._seen
        if started < seen + 1:
            return None
        return datetime.fromtimestamp(seen, UTC)


class RenderCache:
    """Rendered bodies by ETag, least recently used out first, bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._data: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._data.get(key)
            if body is not None:
                self._data.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        if len(body) > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._data:
                return
            self._data[key] = body
            self._size += len(body)
            while self._size > self.max_bytes and self._data:
                _, old = self._data.popitem(last=False)
                self._size -= len(old)


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    tags = [t.strip() for t in header.split(",")]
    bare = etag.removeprefix("W/")
    return any(t.removeprefix("W/") == bare for t in tags)


def not_modified(request: Request, etag: str, last_modified: datetime | None) -> bool:
    inm = request.headers.get("if-none-match")
    if inm is not None:
        return _etag_matches(inm, etag)
    ims = request.headers.get("if-modified-since")
    if ims and last_modified is not None:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError, IndexError):
            return False
        if since is None:
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return last_modified <= since
    return False


def conditional_response(
    request: Request,
    *,
    key: str,
    state_token: str,
    seq: int,
    started: float,
    render: Callable[[], bytes],
    media_type: str,
    extra_headers: dict[str, str] | None = None,
) -> Response:
    """A 304 when the client holds the current representation, else the (cached) body."""
    app_state = request.app.state
    digest = hashlib.sha256(f"{FORMAT_VERSION}|{key}|{state_token}".encode()).hexdigest()[:32]
    etag = f'"{digest}"'
    lm = app_state.clock.last_modified(seq, started)
    headers = {"ETag": etag, "Cache-Control": "no-cache", **(extra_headers or {})}
    if lm is not None:
        headers["Last-Modified"] = format_datetime(lm, usegmt=True)
    if not_modified(request, etag, lm):
        return Response(status_code=304, headers=headers)
    cache: RenderCache = app_state.cache
    body = cache.get(etag) if cache.max_bytes else None
    if body is None:
        body = render()
        if cache.max_bytes:
            cache.put(etag, body)
    return Response(content=body, media_type=media_type, headers=headers)


def now() -> float:
    return time.time()
