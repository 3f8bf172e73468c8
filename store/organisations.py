"""The organisation directory in the store: rebuilt from the active items after each dedup pass.

``rebuild_organisations(conn)`` reads every active item, makes a ``dedup.organisations.Mention`` of
its organiser (role ``organizer``) and, for network and initiative items, of the item itself (role
``self``: its title, website, address and buurt), clusters them and replaces the
``organisations`` / ``organisation_items`` rows in the caller's transaction (``first_seen`` kept).
``list_organisations`` and ``organisation_items`` read them back for feeds and exports.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from tim.dedup.organisations import Mention, Organisation, cluster_organisations

from .db import from_db, utcnow
from .org_tables import OrganisationItemRow, OrganisationRow
from .tables import ItemRow

#: Item kinds whose records are organisations themselves.
SELF_KINDS = ("network", "initiative")
DESCRIPTION_CHARS = 1000


def mentions(conn: Connection) -> list[Mention]:
    """The mentions of organisations in the active items."""
    t = ItemRow.__table__
    rows = conn.execute(select(
        t.c.id, t.c.source_id, t.c.kind, t.c.title, t.c.url, t.c.organizer, t.c.address, t.c.street,
        t.c.housenumber, t.c.postcode, t.c.city, t.c.lat, t.c.lon, t.c.buurt_code, t.c.buurt_name,
        t.c.wijk_code, t.c.description_text, t.c.online,
    ).where(t.c.status == "active").order_by(t.c.id))
    out: list[Mention] = []
    for r in rows:
        if r.organizer:
            out.append(Mention(name=r.organizer, item_id=r.id, source_id=r.source_id, role="organizer"))
        if r.kind in SELF_KINDS and r.title:
            address = r.address or " ".join(p for p in (r.street, r.housenumber) if p) or None
            out.append(Mention(
                name=r.title, item_id=r.id, source_id=r.source_id, role="self", website=r.url,
                address=address, postcode=r.postcode, housenumber=r.housenumber, city=r.city,
                lat=r.lat if not r.online else None, lon=r.lon if not r.online else None,
                buurt_code=r.buurt_code, buurt_name=r.buurt_name, wijk_code=r.wijk_code,
                description=(r.description_text or "")[:DESCRIPTION_CHARS] or None,
            ))
    return out


def rebuild_organisations(conn: Connection) -> dict[str, int]:
    """Recompute the directory from the active items; return counts."""
    orgs = cluster_organisations(mentions(conn))
    ot, it = OrganisationRow.__table__, OrganisationItemRow.__table__
    first_seen = {r.id: r.first_seen for r in conn.execute(select(ot.c.id, ot.c.first_seen))}
    old = {r.id: _row_payload(r) for r in conn.execute(select(ot))}
    now = utcnow()
    conn.execute(delete(it))
    conn.execute(delete(ot))
    rows, links = [], []
    for o in orgs:
        row = _row(o)
        payload = {k: row[k] for k in _PAYLOAD}
        previous = old.get(o.id)
        row["first_seen"] = first_seen.get(o.id, now)
        row["updated_at"] = previous["updated_at"] if previous and previous["payload"] == payload else now
        rows.append(row)
        seen: set[tuple[str, str]] = set()
        for m in o.mentions:
            if (m.item_id, m.role) not in seen:
                seen.add((m.item_id, m.role))
                links.append({"organisation_id": o.id, "item_id": m.item_id, "role": m.role, "name": m.name})
    if rows:
        conn.execute(ot.insert(), rows)
    if links:
        conn.execute(it.insert(), links)
    return {"organisations": len(rows), "organisation_links": len(links)}


_PAYLOAD = ("name", "alternate_names", "website", "description", "address", "postcode", "city", "lat", "lon",
            "buurt_code", "buurt_name", "wijk_code", "source_ids", "item_count")


def _row(o: Organisation) -> dict[str, Any]:
    return {
        "id": o.id, "name": o.name, "alternate_names": json.dumps(o.alternate_names, ensure_ascii=False),
        "website": o.website, "description": o.description, "address": o.address, "postcode": o.postcode,
        "city": o.city, "lat": o.lat, "lon": o.lon, "buurt_code": o.buurt_code, "buurt_name": o.buurt_name,
        "wijk_code": o.wijk_code, "source_ids": json.dumps(o.source_ids),
        "item_count": len({m.item_id for m in o.mentions}),
    }


def _row_payload(r) -> dict[str, Any]:
    return {"payload": {k: getattr(r, k) for k in _PAYLOAD}, "updated_at": r.updated_at}


def organisation_dict(row) -> dict[str, Any]:
    """A stored organisation as plain data (JSON lists decoded, datetimes aware UTC)."""
    return {
        "id": row.id, "name": row.name, "alternate_names": json.loads(row.alternate_names or "[]"),
        "website": row.website, "description": row.description, "address": row.address,
        "postcode": row.postcode, "city": row.city, "lat": row.lat, "lon": row.lon,
        "buurt_code": row.buurt_code, "buurt_name": row.buurt_name, "wijk_code": row.wijk_code,
        "source_ids": json.loads(row.source_ids or "[]"), "item_count": row.item_count,
        "first_seen": from_db(row.first_seen), "updated_at": from_db(row.updated_at),
    }


def list_organisations(conn: Connection, *, buurt: str | None = None) -> list[dict[str, Any]]:
    """Every organisation (of one buurt, when given), by name."""
    t = OrganisationRow.__table__
    q = select(t).order_by(t.c.name, t.c.id)
    if buurt:
        q = q.where(t.c.buurt_code == buurt)
    return [organisation_dict(r) for r in conn.execute(q)]


def organisation_items(conn: Connection, organisation_ids: list[str] | None = None) -> dict[str, list[dict]]:
    """organisation id -> its items (id, bundled item id, role, kind, title, url, starts_at, buurt)."""
    lt, t = OrganisationItemRow.__table__, ItemRow.__table__
    q = (select(lt.c.organisation_id, lt.c.role, t.c.id, t.c.cluster_id, t.c.source_id, t.c.kind, t.c.title,
                t.c.url, t.c.description_text, t.c.starts_at, t.c.updated_at, t.c.buurt_code, t.c.address,
                t.c.postcode, t.c.housenumber)
         .join(t, t.c.id == lt.c.item_id).order_by(lt.c.organisation_id, t.c.starts_at, t.c.id))
    if organisation_ids is not None:
        q = q.where(lt.c.organisation_id.in_(organisation_ids))
    out: dict[str, list[dict]] = {}
    for r in conn.execute(q):
        out.setdefault(r.organisation_id, []).append({
            "item_id": r.id, "bundled_id": r.cluster_id, "role": r.role, "source_id": r.source_id,
            "kind": r.kind, "title": r.title, "url": r.url, "description_text": r.description_text,
            "starts_at": from_db(r.starts_at), "updated_at": from_db(r.updated_at), "buurt_code": r.buurt_code,
            "postcode": r.postcode, "housenumber": r.housenumber,
        })
    return out
