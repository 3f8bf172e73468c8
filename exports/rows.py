"""The rows an export writes: one per source record (``raw``) or one per bundled item.

Values are made inert on the way out (``exports.safety``): text columns hold plain text, URL
columns only http/https URLs. ``since`` means *changed since*: a bundled item's ``modified_at``,
a record's content (``updated_at``) or status (``status_changed_at``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from .safety import plain_text, safe_url
from tim.store import gemeenten
from tim.store.db import from_db, to_db
from tim.store.tables import ClusterRow, ItemRow

from .columns import BUNDLED, RAW, TEXT_COLUMNS, URL_COLUMNS

#: Columns of a raw export, in order (the data dictionary in docs/data-dictionary.md).
RAW_COLUMNS = tuple(c.name for c in RAW)

#: Columns of a bundled export, in order.
BUNDLED_COLUMNS = tuple(c.name for c in BUNDLED)


def _iso(value):
    if isinstance(value, datetime):
        return from_db(value).isoformat().replace("+00:00", "Z")
    return value


def _inert(d: dict, text: bool = True) -> dict:
    """``d`` with plain-text text columns (skipped when ``text`` is False: the caller saw no
    ``<`` or ``&`` anywhere in the row) and http(s)-only URL columns."""
    if text:
        for k in TEXT_COLUMNS:
            if d.get(k) is not None:
                d[k] = plain_text(d[k])
    for k in URL_COLUMNS:
        if d.get(k) is not None:
            d[k] = safe_url(d[k])
    return d


def raw_rows(conn: Connection, *, buurt: str | None = None, kind: str | None = None,
             since: datetime | None = None, source: str | None = None,
             include_expired: bool = True, gemeente: str | None = None) -> Iterator[dict]:
    """One dict per stored source record, ordered by id."""
    t = ItemRow.__table__
    q = select(*[t.c[c] for c in RAW_COLUMNS]).order_by(t.c.id)
    if gemeente:
        q = q.where(gemeenten.items_condition(gemeente))
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


_BUNDLE_FIELDS = tuple(c for c in BUNDLED_COLUMNS if c not in (
    "id", "kind", "status", "member_count", "modified_at", "source_ids", "source_urls", "provenance"))
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def _bundle_columns(conn: Connection):
    """SQL expressions extracting (fields as a JSON array, provenance, sources) from ``bundled``:
    the database parses the JSON (in C), Python only the small pieces it needs."""
    b = ClusterRow.__table__.c.bundled
    if conn.dialect.name == "postgresql":
        j = cast(b, postgresql.JSONB)
        return (cast(func.jsonb_build_array(*[j[f] for f in _BUNDLE_FIELDS]), Text),
                cast(j["provenance"], Text), cast(j["sources"], Text))
    return (func.json_extract(b, *[f"$.{f}" for f in _BUNDLE_FIELDS]),
            func.json_extract(b, "$.provenance"), func.json_extract(b, "$.sources"))


def _provenance_text(text: str | None, postgres: bool) -> str:
    """Compact JSON with sorted keys (as SQLite returns it); markup characters escaped."""
    if not text:
        return "{}"
    if postgres:
        text = json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if "<" in text or ">" in text or "&" in text:
        text = "".join(_JSON_ESCAPES.get(ch, ch) for ch in text)
    return text


def bundled_rows(conn: Connection, *, buurt: str | None = None, kind: str | None = None,
                 since: datetime | None = None, source: str | None = None,
                 include_deleted: bool = False, gemeente: str | None = None) -> Iterator[dict]:
    """One dict per bundled item (cluster), ordered by id."""
    t = ClusterRow.__table__
    fields, provenance, sources_json = _bundle_columns(conn)
    q = select(t.c.id, t.c.kind, t.c.status, t.c.member_count, t.c.modified_at,
               fields.label("f"), provenance.label("p"), sources_json.label("s")).order_by(t.c.id)
    if gemeente:
        q = q.where(gemeenten.clusters_condition(gemeente))
    if not include_deleted:
        q = q.where(t.c.status == "active")
    if buurt:
        q = q.where(t.c.buurt_code == buurt)
    if kind:
        q = q.where(t.c.kind == kind)
    if since:
        q = q.where(t.c.modified_at >= to_db(since))
    postgres = conn.dialect.name == "postgresql"
    for r in conn.execute(q):
        try:
            values = json.loads(r.f) if r.f else []
            sources = json.loads(r.s) if r.s else []
        except ValueError:
            values, sources = [], []
        sources = [s for s in sources if isinstance(s, dict)] if isinstance(sources, list) else []
        markup = r.f is not None and ("<" in r.f or "&" in r.f)
        if source and not any(s.get("source_id") == source for s in sources):
            continue
        d = dict(zip(_BUNDLE_FIELDS, values))
        d.update(
            id=r.id, kind=r.kind, status=r.status, member_count=r.member_count,
            modified_at=_iso(r.modified_at),
            source_ids=";".join(plain_text(str(s.get("source_id") or "")) for s in sources),
            source_urls=";".join(safe_url(s.get("url")) or "" for s in sources),
            provenance=_provenance_text(r.p, postgres),
        )
        yield _inert(d, markup)
