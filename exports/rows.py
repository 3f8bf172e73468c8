"""The rows an export writes: one per source record (``raw``) or one per bundled item."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection

from store.db import from_db, to_db
from store.tables import ClusterRow, ItemRow

#: Columns of a raw export, in order (the data dictionary in docs/data-dictionary.md).
RAW_COLUMNS = (
    "id", "cluster_id", "source_id", "url", "kind", "title", "starts_at", "ends_at", "organizer",
    "location_name", "address", "street", "housenumber", "postcode", "city", "lat", "lon",
    "buurt_code", "buurt_name", "wijk_code", "geo_method", "geo_confidence", "geo_matched",
    "geo_conflict", "categories", "description_text", "first_seen", "last_seen", "status",
)

#: Columns of a bundled export, in order.
BUNDLED_COLUMNS = (
    "id", "kind", "title", "starts_at", "ends_at", "organizer", "location_name", "address",
    "postcode", "lat", "lon", "buurt_code", "buurt_name", "wijk_code", "geo_method",
    "geo_confidence", "url", "description_text", "member_count", "source_ids", "source_urls",
    "provenance", "status", "modified_at",
)


def _iso(value):
    if isinstance(value, datetime):
        return from_db(value).isoformat().replace("+00:00", "Z")
    return value


def raw_rows(conn: Connection, *, buurt: str | None = None, kind: str | None = None,
             since: datetime | None = None, include_expired: bool = True) -> Iterator[dict]:
    """One dict per stored source record, ordered by id."""
    t = ItemRow.__table__
    q = select(*[t.c[c] for c in RAW_COLUMNS]).order_by(t.c.id)
    if buurt:
        q = q.where(t.c.buurt_code == buurt)
    if kind:
        q = q.where(t.c.kind == kind)
    if since:
        q = q.where(t.c.last_seen >= to_db(since))
    if not include_expired:
        q = q.where(t.c.status == "active")
    for r in conn.execute(q):
        d = {c: _iso(getattr(r, c)) for c in RAW_COLUMNS}
        d["categories"] = ";".join(json.loads(d["categories"] or "[]"))
        yield d


def bundled_rows(conn: Connection, *, buurt: str | None = None, kind: str | None = None,
                 since: datetime | None = None, include_deleted: bool = False) -> Iterator[dict]:
    """One dict per bundled item (cluster), ordered by id."""
    t = ClusterRow.__table__
    q = select(t).order_by(t.c.id)
    if not include_deleted:
        q = q.where(t.c.status == "active")
    if buurt:
        q = q.where(t.c.buurt_code == buurt)
    if kind:
        q = q.where(t.c.kind == kind)
    if since:
        q = q.where(t.c.modified_at >= to_db(since))
    for r in conn.execute(q):
        b = json.loads(r.bundled)
        sources = b.get("sources", [])
        d = {c: b.get(c) for c in BUNDLED_COLUMNS}
        d.update(
            id=r.id, kind=r.kind, status=r.status, member_count=r.member_count,
            modified_at=_iso(r.modified_at),
            source_ids=";".join(s.get("source_id", "") for s in sources),
            source_urls=";".join(s.get("url") or "" for s in sources),
            provenance=json.dumps(b.get("provenance", {}), ensure_ascii=False, sort_keys=True),
        )
        yield d
