"""Helpers shared by the routers: links, feed metadata, and one list request end to end."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlencode

from fastapi import Request, Response

from ..conditional import conditional_response, now
from ..cursor import encode_cursor
from ..formats import FeedMeta, item_time
from ..params import ListParams
from ..query import ItemFilter, list_items, present, state
from tim.exports.safety import safe_url

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
TAG = "tag:thuisinmaastricht.nl,2024"


def base_url(request: Request) -> str:
    """The public base URL: configured, else from the request (when it is a sane http URL)."""
    configured = request.app.state.config.serve.base_url
    if configured:
        return configured.rstrip("/")
    derived = str(request.base_url).rstrip("/")
    return derived if safe_url(derived + "/") else "http://localhost"


def link(request: Request, path: str | None = None, **changes) -> str:
    """Absolute URL of ``path`` (default: this request's) with query parameters changed."""
    params = dict(request.query_params) if path is None else {}
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = v
    query = urlencode(sorted(params.items()))
    return base_url(request) + (path or request.url.path) + (f"?{query}" if query else "")


def run_list(
    request: Request,
    params: ListParams,
    *,
    scope: str,
    default_limit: int,
    media_type: str,
    render: Callable[[list[dict], str | None, datetime | None], bytes],
    kinds: tuple[str, ...] | None = None,
    sort: str | None = None,
    buurt: str | None = None,
    no_buurt: bool = False,
) -> Response:
    """Query one page of bundled items and render it, behind ETag / Last-Modified."""
    app = request.app
    flt = replace(params.flt, buurt=buurt, kinds=kinds, no_buurt=no_buurt)
    order = params.sort if request.query_params.get("sort") else (sort or params.sort)
    limit = params.limit or default_limit
    key = f"{request.url.path}|{scope}|{flt.key()}|{order}|{limit}|{request.query_params.get('cursor')}|{base_url(request)}"
    with app.state.engine.connect() as conn:
        started = now()
        seq, changed_at = state(conn)

        def body() -> bytes:
            rows, position = list_items(conn, flt, sort=order, limit=limit, after=params.after)
            items = [present(r, app.state.source_names) for r in rows]
            next_url = None
            if position is not None:
                next_url = link(request, cursor=encode_cursor(order, position[0], position[1]), sort=order)
            return render(items, next_url, changed_at)

        return conditional_response(request, key=key, state_token=str(seq), seq=seq, started=started,
                                    render=body, media_type=media_type)


def feed_meta(request: Request, *, scope_title: str, scope: str, home_path: str, items: list[dict],
              next_url: str | None, changed_at: datetime | None, params: ListParams) -> FeedMeta:
    """Metadata of a feed document."""
    times = [t for t in (item_time(i, "modified_at") for i in items) if t]
    updated = max(times) if times else (changed_at or EPOCH)
    filt = params.flt.key()
    suffix = "" if filt == ItemFilter().key() else ":" + hashlib.sha1(filt.encode()).hexdigest()[:12]
    serve = request.app.state.config.serve
    return FeedMeta(
        title=f"{serve.title} — {scope_title}",
        feed_id=f"{TAG}:feed:{scope}{suffix}",
        self_url=link(request),
        home_url=base_url(request) + home_path,
        updated=updated,
        description=f"Vrijwilligerswerk, activiteiten en initiatieven: {scope_title}",
        next_url=next_url,
    )
