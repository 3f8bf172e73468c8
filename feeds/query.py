"""Read-side queries of the feeds: bundled items with filters and keyset paging, counts per
buurt and kind, the change feed, and the state token that every ETag is made of.

Every value a client sends arrives here already validated (``feeds.params``) and only as a bound
parameter; sort orders come from the fixed set ``SORTS``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, cast, func, literal, or_, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from tim.store.db import from_db
from tim.store.tables import ClusterRow

from tim.exports.safety import clean_value

C = ClusterRow.__table__
SORTS = ("-modified", "starts_at", "id")
"""Orders a client may ask for: most recently changed first, soonest first (undated last), by id."""
UNDATED = "~"
"""Sort key of an item without a start (sorts after every ISO date)."""


@dataclass(frozen=True)
class ItemFilter:
    """Filters of an item list (all optional, combined with AND)."""

    buurt: str | None = None
    kind: str | None = None
    start: datetime | None = None
    """Items still running at or after this time (``ends_at`` or ``starts_at`` >= start)."""
    end: datetime | None = None
    """Items starting before this time."""
    q: str | None = None
    source: str | None = None
    kinds: tuple[str, ...] | None = None
    """Restrict to these kinds (the iCal feed: events only)."""
    no_buurt: bool = False
    """Only items that belong to no single buurt (city-wide: the whole city, online, or unplaced)."""
    gemeente: str | None = None
    """CBS gemeente code: items with a source record of that gemeente."""
    bbox: tuple[float, float, float, float] | None = None
    """(west, south, east, north) in WGS84: items with a source record whose point is in the box
    (PostGIS's spatial index when present, ``tim.store.spatial``)."""

    def key(self) -> str:
        return json.dumps([self.buurt, self.kind, _iso(self.start), _iso(self.end), self.q, self.source,
                           list(self.kinds or []), list(self.bbox or []), self.gemeente]
                          + (["no_buurt"] if self.no_buurt else []))


def _iso(dt: datetime | None) -> str | None:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if dt else None


def jfield(conn: Connection, name: str):
    """SQL text value of the bundled item's top-level field ``name`` (a constant of ours)."""
    if conn.dialect.name == "postgresql":
        return cast(C.c.bundled, postgresql.JSONB)[name].astext
    return func.json_extract(C.c.bundled, f"$.{name}")


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(conn: Connection, flt: ItemFilter) -> list:
    conds = [C.c.status == "active"]
    if flt.buurt:
        conds.append(C.c.buurt_code == flt.buurt)
    if flt.no_buurt:
        conds.append(C.c.buurt_code.is_(None))
    if flt.kind:
        conds.append(C.c.kind == flt.kind)
    if flt.kinds:
        conds.append(C.c.kind.in_(flt.kinds))
    if flt.start or flt.end:
        starts = jfield(conn, "starts_at")
        conds.append(starts.is_not(None))
        if flt.start:
            conds.append(func.coalesce(jfield(conn, "ends_at"), starts) >= _iso(flt.start))
        if flt.end:
            conds.append(starts < _iso(flt.end))
    if flt.q:
        pattern = f"%{_like_escape(flt.q)}%"
        text = func.coalesce(jfield(conn, "title"), "")
        for name in ("description_text", "organizer", "location_name", "address"):
            text = text + literal(" ") + func.coalesce(jfield(conn, name), "")
        conds.append(text.ilike(pattern, escape="\\"))
    if flt.gemeente:
        from tim.store.gemeenten import clusters_condition

        conds.append(clusters_condition(flt.gemeente))
    if flt.bbox:
        from tim.store.spatial import bbox_condition
        from tim.store.tables import ItemRow

        it = ItemRow.__table__
        conds.append(C.c.id.in_(select(it.c.cluster_id).where(it.c.cluster_id.is_not(None),
                                                             bbox_condition(conn, *flt.bbox))))
    if flt.source:
        # the bundled JSON is written by store.clusters.dumps (sort_keys, default separators)
        conds.append(C.c.bundled.like(f'%"source_id": "{_like_escape(flt.source)}"%', escape="\\"))
    return conds


def _sort_key(conn: Connection, sort: str):
    if sort == "starts_at":
        return func.coalesce(jfield(conn, "starts_at"), UNDATED)
    if sort == "-modified":
        return C.c.change_seq
    return None


def list_items(conn: Connection, flt: ItemFilter, *, sort: str, limit: int,
               after: tuple | None = None) -> tuple[list, tuple | None]:
    """Up to ``limit`` active bundled items in ``sort`` order after the keyset position ``after``.

    Returns (rows, position of the last row when more follow, else None). Rows carry ``sort_key``.
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    key = _sort_key(conn, sort)
    conds = _where(conn, flt)
    cols = [C, (key if key is not None else C.c.id).label("sort_key")]
    q = select(*cols)
    if sort == "-modified":
        if after:
            conds.append(or_(key < after[0], and_(key == after[0], C.c.id < after[1])))
        q = q.order_by(key.desc(), C.c.id.desc())
    elif sort == "starts_at":
        if after:
            conds.append(or_(key > after[0], and_(key == after[0], C.c.id > after[1])))
        q = q.order_by(key, C.c.id)
    else:
        if after:
            conds.append(C.c.id > after[1])
        q = q.order_by(C.c.id)
    rows = conn.execute(q.where(*conds).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    position = (rows[-1].sort_key, rows[-1].id) if more and rows else None
    return rows, position


def present(row, source_names: dict[str, str] | None = None) -> dict:
    """A cluster row as the API's bundled item: the bundled fields made inert, plus bookkeeping."""
    try:
        bundled = json.loads(row.bundled or "{}")
    except ValueError:
        bundled = {}
    if not isinstance(bundled, dict):
        bundled = {}
    item = clean_value(bundled)
    item["id"] = row.id
    item["kind"] = row.kind
    item["buurt_code"] = row.buurt_code
    item["member_count"] = row.member_count
    item["modified"] = row.change_seq
    item["modified_at"] = _iso(from_db(row.modified_at))
    sources = item.get("sources") if isinstance(item.get("sources"), list) else []
    names = source_names or {}
    item["sources"] = [
        {**s, "name": names.get(s.get("source_id"), s.get("source_id"))} for s in sources if isinstance(s, dict)
    ]
    return item


def counts_by_buurt_kind(conn: Connection) -> dict[tuple[str | None, str], int]:
    """(buurt_code, kind) -> active bundled items."""
    from tim.store.stats import active_counts

    return active_counts(conn)


def state(conn: Connection) -> tuple[int, datetime | None]:
    """(highest change_seq, its modified_at): changes whenever any bundled item changes."""
    row = conn.execute(
        select(C.c.change_seq, C.c.modified_at).order_by(C.c.change_seq.desc(), C.c.id.desc()).limit(1)
    ).first()
    return (int(row.change_seq), from_db(row.modified_at)) if row else (0, None)


def changes(conn: Connection, after: tuple[int, str] | None, limit: int) -> list:
    """Up to ``limit`` clusters (active or deleted) after (change_seq, id), in that order."""
    q = select(C)
    if after is not None:
        q = q.where(or_(C.c.change_seq > after[0], and_(C.c.change_seq == after[0], C.c.id > after[1])))
    return conn.execute(q.order_by(C.c.change_seq, C.c.id).limit(limit)).all()
