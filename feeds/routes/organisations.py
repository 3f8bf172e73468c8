"""The organisation directory: organisations and initiatives seen across all sources.

``GET /organisations`` lists every organisation (``?buurt=CODE`` for one buurt's), each with its
names, website, address and buurt where it has one, its sources, and the items that name it
(with the bundled item's id, so a client can fetch ``/items`` by it). ``GET
/buurten/{code}/organisations.json`` is the same for one buurt. JSON values are made inert
(``exports.safety.json_bytes``); responses are conditional (ETag / Last-Modified).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import func, select

from tim.exports.safety import clean_value, json_bytes
from tim.store.org_tables import OrganisationItemRow, OrganisationRow
from tim.store.organisations import list_organisations, organisation_items

from ..conditional import conditional_response, now
from ..params import buurt_code
from ..query import state

router = APIRouter(tags=["organisations"])


def _fingerprint(conn) -> str:
    ot, lt = OrganisationRow.__table__, OrganisationItemRow.__table__
    n, latest = conn.execute(select(func.count(), func.max(ot.c.updated_at)).select_from(ot)).one()
    links = conn.execute(select(func.count()).select_from(lt)).scalar_one()
    return f"{n}|{links}|{latest}"


def _iso(value):
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(value, datetime) else value


def _render(conn, buurt: str | None) -> bytes:
    orgs = list_organisations(conn, buurt=buurt)
    links = organisation_items(conn, [o["id"] for o in orgs]) if orgs else {}
    out = []
    for o in orgs:
        o = {k: _iso(v) for k, v in o.items()}
        o["items"] = [{"id": i["bundled_id"], "item_id": i["item_id"], "role": i["role"], "kind": i["kind"],
                       "title": i["title"], "url": i["url"], "source_id": i["source_id"],
                       "starts_at": _iso(i["starts_at"])} for i in links.get(o["id"], [])]
        out.append(o)
    return json_bytes({"organisations": clean_value(out), "count": len(out)})


def _response(request: Request, buurt: str | None) -> Response:
    with request.app.state.engine.connect() as conn:
        started = now()
        seq, _ = state(conn)
        token = f"{seq}|{_fingerprint(conn)}"
        return conditional_response(request, key=f"organisations|{buurt or ''}", state_token=token, seq=seq,
                                    started=started, render=lambda: _render(conn, buurt),
                                    media_type="application/json")


@router.get("/organisations", response_class=Response,
            summary="Organisations and initiatives across all sources, with the items that name them")
def organisations(request: Request,
                  buurt: Annotated[str | None, Query(description="Only this buurt's (CBS code)")] = None) -> Response:
    """`{organisations: [{id, name, alternate_names, website, address, buurt_code, ..., items: [...]}], count}`."""
    if buurt is not None:
        buurt = buurt_code(request, buurt)
    return _response(request, buurt)


@router.get("/buurten/{code}/organisations.json", response_class=Response,
            summary="The organisations of one buurt (those with an address there)")
def buurt_organisations(request: Request, code: Annotated[str, Depends(buurt_code)]) -> Response:
    return _response(request, code)
