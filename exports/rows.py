"""The rows an export writes: one per source record (``raw``) or one per bundled item.

Values are made inert on the way out (``feeds.safety``): text columns hold plain text, URL
columns only http/https URLs. ``since`` means *changed since*: a bundled item's ``modified_at``,
a record's content (``updated_at``) or status (``status_changed_at``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from feeds.safety import plain_text, safe_url
from store.db import from_db, to_db
from store.tables import ClusterRow, ItemRow

from .columns import BUNDLED, RAW, TEXT_COLUMNS, URL_COLUMNS

#: Columns of a raw export, in order (the data dictionary in docs/data-dictionary.md).
RAW_COLUMNS = tuple(c.name for c in RAW)

#: Columns of a bundled export, in order.
BUNDLED_COLUMNS = tuple(c.name for c in BUNDLED)


def _iso(value):
    if isinstance(value, datetime):
        return from_db(value).isoformat().replace("+00:00", "Z")
    return value


def _inert(d: dict) -> dict:
    for k in TEXT_COLUMNS:
        if d.get(k) is not None:
            d[k] = plain_text(d[k])
    for k in URL_COLUMNS:
        if d.get(k) is not None:
            d[k] = safe_url(d[k])
    return d


def raw_rows(conn: Connection, *, buurt: str | None = None, kind: str | None = None,
             since: datetime | None = None, source: str | None = None,
             include_expired: bool = True) -> Iterator[dict]:
    """One dict per stored source record, ordered by id."""
    t = ItemRow.__table__
    q = select(*[t.c[c] for c in RAW_COLUMNS]).order_by(t.c.id)
    if buurt:
        q = q.where(t.c.buurt_code == buurt)
    if kind:
        q = q.where(t.c.kind == kind)
    if source:
        q = q.where(t.c.source_id == source)
    if since:
        q = q.where(or_(t.c.updated_at >= to_db(since), t.c.status_changed_at >= to_db(since)))
    if not include_expired:
        q = q.where(t.c.status == "active")
    for r in conn.execute(q):
        d = {c: _iso(getattr(r, c)) for c in RAW_COLUMNS}
        try:
            cats = json.loads(d["categories"] or "[]")
        except ValueError:
            cats = []
        d["categories"] = ";".join(str(c) for c in cats) if isinstance(cats, list) else ""
        yield _inert(d)


def bundled_rows(conn: Connection, *, buurt: str | None = None, kind: str | None = None,
                 since: datetime | None = None, source: str | None = None,
                 include_deleted: bool = False) -> Iterator[dict]:
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
        try:
            b = json.loads(r.bundled)
        except ValueError:
            b = {}
        sources = [s for s in b.get("sources", []) if isinstance(s, dict)]
        if source and not any(s.get("source_id") == source for s in sources):
            continue
        d = {c: b.get(c) for c in BUNDLED_COLUMNS}
        d.update(
            id=r.id, kind=r.kind, status=r.status, member_count=r.member_count,
            modified_at=_iso(r.modified_at),
            source_ids=";".join(plain_text(str(s.get("source_id") or "")) for s in sources),
            source_urls=";".join(safe_url(s.get("url")) or "" for s in sources),
            provenance=json.dumps(b.get("provenance", {}), ensure_ascii=False, sort_keys=True),
        )
        for k in ("starts_at", "ends_at"):
            d[k] = _iso(d[k])
        yield _inert(d)
