"""``/changes``: the incremental change feed, modelled on OpenActive RPDE 1.0.

Entries are clusters ordered by (``change_seq``, ``id``); ``modified`` is the ``change_seq``.
A bundled item that changes gets a new, higher ``change_seq`` and so moves behind every position
a client has already passed: polling ``next`` sees each change once. Deleted clusters (all
members expired, or merged away) stay in the table as tombstones. The feed is deliberately not
filterable: a filtered view could never tell a client about an item that left the filter.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from ..conditional import conditional_response, now
from ..cursor import decode_after, encode_after
from ..params import invalid
from ..query import changes, present, state
from tim.exports.safety import json_bytes
from .common import base_url

router = APIRouter(tags=["changes"])


def _entry(row, source_names) -> dict:
    if row.status == "deleted":
        return {"state": "deleted", "kind": row.kind, "id": row.id, "modified": row.change_seq}
    return {"state": "updated", "kind": row.kind, "id": row.id, "modified": row.change_seq,
            "data": present(row, source_names)}


@router.get("/changes", response_class=Response,
            summary="RPDE page of changes after a position",
            description="`{items, next, license?}`; poll `next` forever. The last page is empty and its "
                        "`next` points at itself.")
def changes_page(
    request: Request,
    after: Annotated[str | None, Query(max_length=400, description="Opaque position from a previous `next`.")] = None,
) -> Response:
    position = None
    if after is not None:
        try:
            position = decode_after(after)
        except ValueError as exc:
            raise invalid("after", str(exc)) from exc
    app = request.app
    serve = app.state.config.serve
    base = base_url(request)
    with app.state.engine.connect() as conn:
        started = now()
        seq, _ = state(conn)

        def render() -> bytes:
            rows = changes(conn, position, serve.page_size)
            token = encode_after(rows[-1].change_seq, rows[-1].id) if rows else after
            page = {"items": [_entry(r, app.state.source_names) for r in rows],
                    "next": f"{base}/changes" + (f"?after={token}" if token else "")}
            if serve.licence_url:
                page["license"] = serve.licence_url
            return json_bytes(page)

        return conditional_response(request, key=f"changes|{after}|{base}", state_token=str(seq), seq=seq,
                                    started=started, render=render, media_type="application/json")
