"""Persisting de-duplication: items' cluster ids, bundled items, merge decisions, the change sequence.

``dedup`` is pure; this module feeds it the stored active items and writes back what it decided.
A bundled item whose content changes (or that disappears) gets a new value of the monotonic
``changes`` counter, which orders the incremental change feed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from datetime import date, datetime
from sys import intern

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.engine import Connection

from .db import from_db, utcnow
from .tables import ClusterRow, CounterRow, DedupOverrideRow, ItemRow, MergeDecisionRow

ITEM_FIELDS = (
    "id", "source_id", "kind", "title", "description_html", "description_text", "url", "organizer",
    "starts_at", "ends_at", "location_name", "address", "street", "housenumber", "postcode", "city",
    "lat", "lon", "buurt_code", "buurt_name", "wijk_code", "geo_method", "geo_confidence", "geo_matched",
    "image", "categories", "first_seen", "last_seen", "updated_at", "status", "cluster_id",
)


def _json_default(value):
    if isinstance(value, datetime):
        return from_db(value).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False, sort_keys=True)


def item_dict(row) -> dict:
    """A stored item as a plain dict (categories decoded, datetimes aware UTC)."""
    d = {k: getattr(row, k) for k in ITEM_FIELDS}
    d["categories"] = json.loads(d["categories"] or "[]")
    for k in ("starts_at", "ends_at", "first_seen", "last_seen", "updated_at"):
        d[k] = from_db(d[k])
    return d


def next_seq(conn: Connection, n: int = 1) -> int:
    """Reserve ``n`` values of the change counter; return the first."""
    t = CounterRow.__table__
    row = conn.execute(select(t.c.value).where(t.c.name == "changes").with_for_update()).first()
    if row is None:
        conn.execute(t.insert().values(name="changes", value=n))
        return 1
    conn.execute(update(t).where(t.c.name == "changes").values(value=row.value + n))
    return row.value + 1


def load_overrides(conn: Connection) -> list[tuple[str, str, str | None]]:
    t = DedupOverrideRow.__table__
    return [(r.action, r.item_a, r.item_b) for r in conn.execute(select(t).order_by(t.c.id))]


def add_override(conn: Connection, action: str, item_a: str, item_b: str | None, note: str | None = None) -> None:
    conn.execute(DedupOverrideRow.__table__.insert().values(
        action=action, item_a=item_a, item_b=item_b, created_at=utcnow(), note=note))


#: Geo methods whose point is the venue itself (address-level); street and buurt centroids can lie
#: more than the dedup distance limit from the venue and would keep true duplicates apart.
POINT_METHODS = ("source_coordinates", "address_point", "postcode", "venue", "street_number", "online")

_HREF = re.compile(r"""href=["']([^"']+)["']""", re.IGNORECASE)


def _dedup_record(r: dict, priority: int):
    from tim.dedup import DedupRecord

    exact = (r["geo_method"] or "").startswith(POINT_METHODS)
    buurt = r["buurt_code"]
    return DedupRecord(  # the few distinct sources, kinds and buurten: one string each, not one per record
        id=r["id"], source_id=intern(r["source_id"]), kind=intern(r["kind"]), title=r["title"],
        description_text=r["description_text"] or "", starts_at=r["starts_at"], ends_at=r["ends_at"],
        lat=r["lat"] if exact else None, lon=r["lon"] if exact else None, buurt_code=buurt and intern(buurt),
        organizer=r["organizer"], url=r["url"],
        urls_in_text=tuple(dict.fromkeys(_HREF.findall(r["description_html"] or ""))), priority=priority,
    )


class Reclusterer:
    """One ``dedup.Deduplicator`` and what the last pass saw and wrote, kept per process, so that a
    later pass re-scores only the blocks of new or changed records (the result equals a full pass),
    reads in full only the rows that changed, and rebuilds only the bundled items whose members or
    member rows changed."""

    def __init__(self, settings):
        from tim.dedup import Deduplicator

        self.deduplicator = Deduplicator(settings)
        self.last: dict[str, object] | None = None
        self.context: tuple | None = None
        """(``items_touched``, priorities) the kept rows and bundles were made under."""
        self.versions: dict[str, object] = {}
        """item id -> ``updated_at`` of the row its record was made of."""
        self.bundles: dict[str, tuple[tuple[str, ...], str]] = {}
        """cluster id -> (sorted member ids, ``bundled_hash``) as the last pass wrote it."""
        self.decisions: frozenset | None = None

    def cluster(self, records: list, previous: dict[str, str], overrides):
        changed = None if self.last is None else {r.id for r in records if self.last.get(r.id) != r}
        result = self.deduplicator.cluster(records, previous=previous, overrides=overrides, changed=changed)
        self.last = {r.id: r for r in records}
        return result


#: The ``counters`` row holding the fingerprint of the last pass's input.
FINGERPRINT = "dedup_input"


def input_fingerprint(conn: Connection, dedup_settings, priorities: dict[str, int]) -> int:
    """A cheap fingerprint of everything a pass reads: the active items (how many, the latest
    content or geo change, the latest status change), the overrides, the settings and the source
    priorities. Any insert, update, expiry, reactivation or override moves it; so does
    ``touch_items`` (for writers that change items without moving ``updated_at``)."""
    t = ItemRow.__table__
    items = conn.execute(select(func.count(), func.max(t.c.updated_at), func.max(t.c.status_changed_at))
                         .where(t.c.status == "active")).one()
    ot = DedupOverrideRow.__table__
    overrides = conn.execute(select(func.count(), func.max(ot.c.id))).one()
    ct = CounterRow.__table__
    touched = conn.execute(select(ct.c.value).where(ct.c.name == "items_touched")).scalar()
    settings = dedup_settings.model_dump(mode="json") if hasattr(dedup_settings, "model_dump") else repr(dedup_settings)
    text = dumps([list(items), list(overrides), touched, settings, sorted(priorities.items())])
    # 31 bits: ``counters.value`` is a 32-bit INTEGER on PostgreSQL
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) & 0x7FFFFFFF


def touch_items(conn: Connection) -> None:
    """Say that items changed in a way ``updated_at`` does not show (the next pass must run)."""
    ct = CounterRow.__table__
    if conn.execute(update(ct).where(ct.c.name == "items_touched").values(value=ct.c.value + 1)).rowcount == 0:
        conn.execute(ct.insert().values(name="items_touched", value=1))


def _set_counter(conn: Connection, name: str, value: int) -> None:
    ct = CounterRow.__table__
    if conn.execute(update(ct).where(ct.c.name == name).values(value=value)).rowcount == 0:
        conn.execute(ct.insert().values(name=name, value=value))


_NEVER = object()

#: The columns a ``DedupRecord`` is made of (``_dedup_record``): a pass reads only these of the
#: records it (re)scores, and full rows only of the bundled items it rebuilds, a chunk at a time.
_RECORD_COLUMNS = ("id", "source_id", "kind", "title", "description_text", "description_html", "starts_at",
                   "ends_at", "lat", "lon", "buurt_code", "organizer", "url", "geo_method")

#: Bundled items rebuilt (member rows read, bundled, written) per step of a pass: a first pass over
#: 100,000 items holds a chunk's rows and bundled texts, not all of them at once.
BUNDLE_CHUNK = 2000


def _read_records(conn: Connection, ids: set[str], priorities: dict[str, int], *,
                  everything: bool = False) -> dict[str, object]:
    """``DedupRecord`` of the active items ``ids``; one scan of every active item when
    ``everything`` (cheaper than many ``IN`` lookups for most of them). Rows are not kept."""
    t = ItemRow.__table__
    cols = [t.c[c] for c in _RECORD_COLUMNS]
    out: dict[str, object] = {}

    def add(rows) -> None:
        for r in rows:
            if r.id in ids:
                d = r._asdict()
                d["starts_at"], d["ends_at"] = from_db(d["starts_at"]), from_db(d["ends_at"])
                out[r.id] = _dedup_record(d, priorities.get(d["source_id"], 50))

    if ids:
        add(conn.execute(select(*cols).where(t.c.status == "active")) if everything else _by_ids(conn, cols, ids))
    return out


def _by_ids(conn: Connection, columns, ids: set[str]):
    """Rows (``columns`` of ``items``) of the items ``ids``, 500 ids per ``IN`` query."""
    t = ItemRow.__table__
    order = sorted(ids)
    for i in range(0, len(order), 500):
        yield from conn.execute(select(*columns).where(t.c.id.in_(order[i:i + 500])))


def _load_rows(conn: Connection, ids: set[str], into: dict[str, dict]) -> None:
    """Full rows (``item_dict``) of the items ``ids`` into ``into``."""
    for r in _by_ids(conn, [ItemRow.__table__], ids):
        into[r.id] = item_dict(r)


def recluster(conn: Connection, dedup_settings, priorities: dict[str, int],
              reclusterer: Reclusterer | None = None, *, skip_unchanged: bool = True) -> dict:
    """Cluster all active items, store cluster ids, bundled items and decisions. Returns counts.

    Pass the same ``reclusterer`` on every call of a long-running process to make passes
    incremental; without one, every pass scores all records. When nothing a pass reads changed
    since the last pass (any process; see :func:`input_fingerprint`), the stored result is
    already that pass's result: it is kept and the counts say ``skipped``.
    """
    from tim.dedup import bundle

    fingerprint = input_fingerprint(conn, dedup_settings, priorities)
    ct_ = CounterRow.__table__
    if skip_unchanged and conn.execute(select(ct_.c.value).where(ct_.c.name == FINGERPRINT)).scalar() == fingerprint:
        cl = ClusterRow.__table__
        return {"clusters": conn.execute(select(func.count()).select_from(cl).where(cl.c.status == "active")).scalar(),
                "new": 0, "changed": 0, "deleted": 0,
                "decisions": conn.execute(select(func.count()).select_from(MergeDecisionRow.__table__)).scalar(),
                "skipped": True}

    t = ItemRow.__table__
    rc = reclusterer or Reclusterer(dedup_settings)
    ct_touched = conn.execute(select(ct_.c.value).where(ct_.c.name == "items_touched")).scalar()
    context = (ct_touched, tuple(sorted(priorities.items())))
    if rc.context != context:  # geo moved without updated_at, or priorities changed: rebuild all
        rc.versions, rc.bundles, rc.context = {}, {}, context
    light = conn.execute(select(t.c.id, t.c.updated_at, t.c.cluster_id).where(t.c.status == "active")).all()
    stale = {r.id for r in light if rc.versions.get(r.id, _NEVER) != r.updated_at or rc.last is None
             or r.id not in rc.last}
    fresh = _read_records(conn, stale, priorities, everything=len(stale) > len(light) // 4)
    records = [fresh[r.id] if r.id in stale else rc.last[r.id] for r in light]
    del fresh
    previous = {r.id: r.cluster_id for r in light if r.cluster_id}
    result = rc.cluster(records, previous, load_overrides(conn))
    del records
    moved = [(i, c) for i, c in result.assignments.items() if previous.get(i) != c]
    if moved:
        conn.execute(
            update(t).where(t.c.id == bindparam("_id")).values(cluster_id=bindparam("_cid")),
            [{"_id": i, "_cid": c} for i, c in moved],
        )

    members: dict[str, list[str]] = defaultdict(list)
    for i, c in result.assignments.items():
        members[c].append(i)

    ct = ClusterRow.__table__
    existing = {r.id: r for r in conn.execute(select(ct.c.id, ct.c.status, ct.c.bundled_hash))}
    # a bundled item is rebuilt when its members, or one of their rows, changed since this
    # instance wrote it (or the stored one is not what it wrote: another process's pass)
    rebuild = []
    for cid, ids in members.items():
        kept, old = rc.bundles.get(cid), existing.get(cid)
        if (kept is None or old is None or old.status != "active" or old.bundled_hash != kept[1]
                or kept[0] != tuple(sorted(ids)) or not stale.isdisjoint(ids)):
            rebuild.append(cid)
    now = utcnow()
    new = changed = 0
    for start in range(0, len(rebuild), BUNDLE_CHUNK):
        chunk = rebuild[start:start + BUNDLE_CHUNK]
        rows: dict[str, dict] = {}
        _load_rows(conn, {i for cid in chunk for i in members[cid]}, rows)
        inserts, updates = [], []
        for cid in chunk:
            mem = [rows[i] for i in members[cid]]  # read after ``moved``: cluster_id is cid
            bundled = bundle(mem, priorities)
            bundled["id"] = cid
            # last_seen moves on every crawl; kept in it, every bundled item would be announced as
            # changed in the change feed (and lose its ETag) after each run
            bundled.pop("last_seen", None)
            text = dumps(bundled)
            digest = hashlib.sha256(text.encode()).hexdigest()
            old = existing.get(cid)
            rc.bundles[cid] = (tuple(sorted(members[cid])), digest)
            values = {"kind": mem[0]["kind"], "status": "active", "buurt_code": bundled.get("buurt_code"),
                      "member_count": len(mem), "bundled": text, "bundled_hash": digest, "modified_at": now}
            if old is None:
                inserts.append({"id": cid, "created_at": now, **values})
            elif old.bundled_hash != digest or old.status != "active":
                updates.append({"_id": cid, **values})
        del rows
        if inserts or updates:
            seq = next_seq(conn, len(inserts) + len(updates))
            for row in inserts + updates:
                row["change_seq"] = seq
                seq += 1
        if inserts:
            conn.execute(ct.insert(), inserts)
        if updates:
            keys = [k for k in updates[0] if k != "_id"]
            conn.execute(
                update(ct).where(ct.c.id == bindparam("_id")).values({k: bindparam("v_" + k) for k in keys}),
                [{"_id": u["_id"], **{"v_" + k: u[k] for k in keys}} for u in updates],
            )
        new, changed = new + len(inserts), changed + len(updates)
    gone = [cid for cid, r in existing.items() if r.status == "active" and cid not in members]
    for cid in list(rc.bundles):
        if cid not in members:
            del rc.bundles[cid]
    rc.versions = {r.id: r.updated_at for r in light}
    if gone:
        seq = next_seq(conn, len(gone))
        for cid in gone:
            conn.execute(update(ct).where(ct.c.id == cid).values(status="deleted", modified_at=now, change_seq=seq,
                                                                  member_count=0))
            seq += 1

    mt = MergeDecisionRow.__table__
    decisions = frozenset((d.a, d.b, float(d.score), d.decision, dumps(d.reasons)) for d in result.decisions)
    stored = conn.execute(select(func.count()).select_from(mt)).scalar()
    if decisions != rc.decisions or stored != len(decisions):  # unchanged: kept, with their decided_at
        conn.execute(delete(mt))
        if decisions:
            conn.execute(mt.insert(), [
                {"item_a": a, "item_b": b, "score": score, "decision": decision, "reasons": reasons, "decided_at": now}
                for a, b, score, decision, reasons in sorted(decisions)
            ])
        rc.decisions = decisions
    _set_counter(conn, FINGERPRINT, fingerprint)
    return {"clusters": len(members), "new": new, "changed": changed, "deleted": len(gone),
            "decisions": len(result.decisions), "skipped": False}
