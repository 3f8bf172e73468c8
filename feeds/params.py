"""Validated query parameters of the API: a strange value is a 422 naming the parameter.

Dates (``from``/``to``) are ISO 8601 dates or date-times; a value without an offset is read as
Europe/Amsterdam time. Text (``q``) is capped and matched literally (LIKE wildcards escaped).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError

from tim.records import ITEM_KINDS

from .cursor import decode_cursor
from .query import SORTS, ItemFilter

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
Kind = Literal["vacancy", "event", "participation", "network", "initiative", "news"]
Sort = Literal["-modified", "starts_at", "id"]
assert set(Kind.__args__) == set(ITEM_KINDS) and set(Sort.__args__) == set(SORTS)  # type: ignore[attr-defined]
SOURCE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
BUURT_PATTERN = r"^BU[0-9]{8}$"


def invalid(param: str, message: str, where: str = "query") -> RequestValidationError:
    """A 422 in FastAPI's own error format."""
    return RequestValidationError([{"type": "value_error", "loc": (where, param), "msg": message, "input": None}])


def parse_when(value: str | None, param: str) -> datetime | None:
    """ISO date or date-time -> aware UTC; naive values are Europe/Amsterdam."""
    if value is None:
        return None
    text = value.strip()
    if len(text) > 40:
        raise invalid(param, "not an ISO 8601 date or date-time")
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            dt = datetime(d.year, d.month, d.day)
        else:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError as exc:
        raise invalid(param, "not an ISO 8601 date or date-time") from exc
    if dt.year < 1900 or dt.year > 2200:
        raise invalid(param, "date out of range (1900-2200)")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=AMSTERDAM)
    return dt.astimezone(UTC)


@dataclass(frozen=True)
class ListParams:
    """Filters, order and paging of one list request."""

    flt: ItemFilter
    sort: str
    limit: int
    after: tuple | None
    query_key: str

    def key(self) -> str:
        return self.query_key


def filters(
    request: Request,
    kind: Annotated[Kind | None, Query(description="Only items of this kind.")] = None,
    from_: Annotated[str | None, Query(alias="from", max_length=40,
                                       description="Items running at or after this ISO date/date-time (Europe/Amsterdam if no offset).")] = None,
    to: Annotated[str | None, Query(max_length=40, description="Items starting before this ISO date/date-time.")] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100, description="Text in title, description, organiser, place.")] = None,
    source: Annotated[str | None, Query(pattern=SOURCE_PATTERN, description="Only items with a record from this source id.")] = None,
    sort: Annotated[Sort | None, Query(description="Order: -modified (newest change first), starts_at (soonest first), id.")] = None,
    limit: Annotated[int | None, Query(ge=1, le=10_000, description="Items per page.")] = None,
    cursor: Annotated[str | None, Query(max_length=400, description="Opaque cursor from the previous page's next link.")] = None,
    gemeente: Annotated[str | None, Query(pattern=r"^GM[0-9]{4}$", description="Only items of this gemeente (CBS code, e.g. GM0935).")] = None,
    bbox: Annotated[str | None, Query(max_length=120, description="Only items with a point in this box: west,south,east,north (WGS84 degrees).")] = None,
) -> ListParams:
    """The list parameters of ``/items``, ``/buurten/{code}/items`` and the feeds."""
    settings = request.app.state.config.serve
    start, end = parse_when(from_, "from"), parse_when(to, "to")
    if start and end and end <= start:
        raise invalid("to", "must be after 'from'")
    if limit is not None and limit > settings.max_page_size:
        raise invalid("limit", f"at most {settings.max_page_size}")
    text = q.strip() if q else None
    if q is not None and not text:
        raise invalid("q", "empty search text")
    if text and any(ord(c) < 32 for c in text):
        raise invalid("q", "control characters are not allowed")
    order = sort or "-modified"
    after = None
    if cursor is not None:
        try:
            after = decode_cursor(cursor, order)
        except ValueError as exc:
            raise invalid("cursor", str(exc)) from exc
    flt = ItemFilter(kind=kind, start=start, end=end, q=text, source=source, bbox=parse_bbox(bbox),
                     gemeente=gemeente)
    key = flt.key() + f"|{order}|{limit}|{cursor}"
    return ListParams(flt=flt, sort=order, limit=limit or 0, after=after, query_key=key)


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``west,south,east,north`` in WGS84 degrees -> a tuple; 422 naming ``bbox`` otherwise."""
    import math

    if value is None:
        return None
    parts = value.split(",")
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError as exc:
        raise invalid("bbox", "four numbers: west,south,east,north") from exc
    if not all(math.isfinite(v) for v in (w, s, e, n)):
        raise invalid("bbox", "four finite numbers")
    if not (-180 <= w <= e <= 180 and -90 <= s <= n <= 90):
        raise invalid("bbox", "west <= east within -180..180 and south <= north within -90..90")
    return (w, s, e, n)


def buurt_code(request: Request, code: str) -> str:
    """A path's buurt code: 422 when malformed, 404 when not a buurt of the boundary set."""
    import re

    if not re.fullmatch(BUURT_PATTERN, code):
        raise invalid("code", "not a CBS buurt code (BU + 8 digits)", where="path")
    if code not in request.app.state.buurt_index:
        raise HTTPException(status_code=404, detail=f"no buurt {code}")
    return code
