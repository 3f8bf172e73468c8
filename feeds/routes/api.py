"""JSON lists: the buurten with their counts, bundled items (per buurt and city-wide), the buurt
polygons for the map, and the statistics."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from tim.records import ITEM_KINDS
from tim.store.stats import flat_rows, region_stats_fingerprint, statistics

from ..conditional import conditional_response, now
from ..formats.geojson import render_areas
from ..params import ListParams, buurt_code, filters
from ..query import counts_by_buurt_kind, state
from tim.exports.safety import json_bytes, plain_text
from .common import run_list

router = APIRouter(tags=["items"])
Params = Annotated[ListParams, Depends(filters)]


def _counts(conn) -> dict[str, dict[str, int]]:
    per: dict[str, dict[str, int]] = defaultdict(dict)
    for (code, kind), n in counts_by_buurt_kind(conn).items():
        if code:
            per[code][kind] = per[code].get(kind, 0) + n
    return per


def _area_response(request: Request, name: str, render, media_type: str) -> Response:
    app = request.app
    with app.state.engine.connect() as conn:
        started = now()
        seq, _ = state(conn)
        return conditional_response(request, key=name, state_token=str(seq), seq=seq, started=started,
                                    render=lambda: render(_counts(conn)), media_type=media_type)


@router.get("/buurten", response_class=Response, summary="Every buurt with its active item counts per kind")
def buurten(request: Request, gemeente: Annotated[str | None, Query(
        pattern=r"^GM[0-9]{4}$", description="Another gemeente's imported buurten (default: Maastricht's).")] = None,
) -> Response:
    """`[{code, name, wijk_code, wijk_name, items, per_kind: {kind: n}}]`, all buurten, zeros included."""
    areas = request.app.state.buurten
    if gemeente and gemeente != "GM0935":
        from tim.geo.store_io import load_active_boundaries

        bset = load_active_boundaries(request.app.state.engine, gemeente)
        if bset is None:
            raise HTTPException(status_code=404, detail=f"no buurten of {gemeente} imported")
        areas = bset.buurten

    def render(counts) -> bytes:
        return json_bytes([
            {"code": b.code, "name": b.name, "wijk_code": b.wijk_code, "wijk_name": b.wijk_name,
             "items": sum(counts.get(b.code, {}).values()),
             "per_kind": {k: counts.get(b.code, {}).get(k, 0) for k in ITEM_KINDS}}
            for b in areas
        ])

    return _area_response(request, f"buurten:{gemeente}" if gemeente else "buurten", render, "application/json")


@router.get("/buurten.geojson", response_class=Response, summary="Buurt polygons with item counts (the map's data)")
def buurten_geojson(request: Request) -> Response:
    return _area_response(request, "buurten.geojson",
                          lambda counts: render_areas(request.app.state.buurten, counts), "application/geo+json")


def _items_json(items, next_url, _changed_at) -> bytes:
    return json_bytes({"items": items, "next": next_url})


@router.get("/items", response_class=Response, summary="Bundled items, city-wide, with filters and cursor paging")
def items(request: Request, params: Params) -> Response:
    """`{items: [bundled item], next: URL | null}`; every item lists all its `sources`."""
    return run_list(request, params, scope="items", default_limit=request.app.state.config.serve.page_size,
                    media_type="application/json", render=_items_json)


@router.get("/items/no-buurt", response_class=Response,
            summary="Bundled items that belong to no single buurt (city-wide)")
def no_buurt_items(request: Request, params: Params) -> Response:
    """Items for the whole city: online, city-wide or without a known place (`buurt_code` null);
    the map page lists them while no buurt is chosen. Same filters, paging and shape as `/items`."""
    return run_list(request, params, scope="no-buurt", default_limit=request.app.state.config.serve.page_size,
                    media_type="application/json", render=_items_json, no_buurt=True)


@router.get("/buurten/{code}/items", response_class=Response, summary="Bundled items of one buurt")
def buurt_items(request: Request, params: Params, code: Annotated[str, Depends(buurt_code)]) -> Response:
    return run_list(request, params, scope=f"buurt:{code}", default_limit=request.app.state.config.serve.page_size,
                    media_type="application/json", render=_items_json, buurt=code)


@router.get("/stats", response_class=Response, summary="Items per buurt, wijk and kind; per 1,000 inhabitants; blind spots")
def stats(request: Request,
          format: Annotated[Literal["json", "csv"], Query(description="json (default) or csv")] = "json") -> Response:
    app = request.app
    with app.state.engine.connect() as conn:
        started = now()
        seq, _ = state(conn)
        token = f"{seq}|{region_stats_fingerprint(conn)}"

        def render() -> bytes:
            data = statistics(conn, app.state.buurten, app.state.wijken)
            if format == "json":
                return json_bytes(data)
            return stats_csv(flat_rows(data)).encode("utf-8")

        media = "application/json" if format == "json" else "text/csv; charset=utf-8"
        return conditional_response(request, key=f"stats|{format}", state_token=token, seq=seq,
                                    started=started, render=render, media_type=media)


def stats_csv(rows: list[dict]) -> str:
    """Statistics rows as CSV (names are plain text, formula starts neutralised)."""
    from tim.exports.writers import safe_cell

    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({k: safe_cell(plain_text(v)) for k, v in r.items()})
    return buf.getvalue()
