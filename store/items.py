"""Storing one run's items: bulk insert / update / unchanged / expired, in one transaction.

The caller hands over every item a run produced; the store compares content hashes with what it
holds and reports what it did. Items missing from a *complete* run count a miss; after
``expire_after`` consecutive misses (or once their end date has passed) they become ``expired``
— never deleted — and come back ``active`` when they reappear. Every status change is recorded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from tim.records import Item

from .db import to_db, utcnow
from .tables import ItemRow, StatusChangeRow

_CHUNK = 500


@dataclass
class UpsertCounts:
    """What one run did to the stored items of its source."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    expired: int = 0
    reactivated: int = 0
    duplicates: int = 0


def item_to_row(item: Item, now, run_id: int | None) -> dict:
    """Column values of an item (without first_seen / status bookkeeping)."""
    geo = item.geo
    return {
        "id": item.id,
        "source_id": item.source_id,
        "source_key": item.source_key,
        "kind": item.kind,
        "title": item.title,
        "description_html": item.description_html,
        "description_text": item.description_text,
        "url": item.url,
        "organizer": item.organizer,
        "starts_at": to_db(item.starts_at),
        "ends_at": to_db(item.ends_at),
        "location_name": item.location_name,
        "address": item.address,
        "street": item.street,
        "housenumber": item.housenumber,
        "postcode": item.postcode,
        "city": item.city,
        "lat": geo.lat if geo and geo.lat is not None else item.lat,
        "lon": geo.lon if geo and geo.lon is not None else item.lon,
        "source_lat": item.lat,
        "source_lon": item.lon,
        "categories": json.dumps(item.categories, ensure_ascii=False),
        "image": item.image,
        "published_at": to_db(item.published_at),
        "online": item.online,
        "buurt_code": geo.buurt_code if geo else None,
        "buurt_name": geo.buurt_name if geo else None,
        "wijk_code": geo.wijk_code if geo else None,
        "geo_method": geo.method if geo else "none",
        "geo_confidence": float(geo.confidence) if geo else 0.0,
        "geo_matched": geo.matched if geo else None,
        "geo_conflict": geo.conflict if geo else None,
        "boundary_version": geo.boundary_version if geo else None,
        "content_hash": item.content_hash,
        "raw_hash": item.raw_hash,
        "fetched_url": item.fetched_url,
        "normalised_as": item.normalised_as,
        "last_seen": now,
        "last_run_id": run_id,
    }


def made_of(conn: Connection, source_id: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """What the source's stored items were made from: item id -> ``normalised_as``, and document
    URL -> the ids of the items its last read (or replay) saw. One run stamps all of a page's
    items with one ``last_seen``; an item the page no longer listed kept an older one."""
    made: dict[str, str] = {}
    pages: dict[str, tuple[object, list[str]]] = {}
    for r in conn.execute(_MADE_OF, {"b_source_id": source_id}):
        if r.normalised_as:
            made[r.id] = r.normalised_as
        if r.fetched_url:
            last, ids = pages.get(r.fetched_url, (None, []))
            if last is None or r.last_seen > last:
                pages[r.fetched_url] = (r.last_seen, [r.id])
            elif r.last_seen == last:
                ids.append(r.id)
    return made, {url: ids for url, (_last, ids) in pages.items()}


_GEO_COLS = ("buurt_code", "wijk_code", "geo_method", "lat", "lon", "geo_conflict", "boundary_version")

# Statements of every run, built once (values come as parameters, ids as an expanding IN list):
# SQLAlchemy finds their compiled form in its cache without building the construct again.
_t = ItemRow.__table__
_OF_SOURCE = _t.c.source_id == bindparam("b_source_id")
_EXISTING = select(_t.c.id, _t.c.content_hash, _t.c.status, _t.c.missing_runs, _t.c.ends_at, _t.c.starts_at,
                   _t.c.kind, _t.c.status_changed_at, _t.c.updated_at, _t.c.normalised_as, _t.c.fetched_url,
                   *[_t.c[c] for c in _GEO_COLS]).where(_OF_SOURCE)
# a not-modified run compares no content: what it needs to see, miss or expire the active items
_ACTIVE_NOT_MODIFIED = select(_t.c.id, _t.c.missing_runs, _t.c.ends_at, _t.c.starts_at, _t.c.kind).where(
    _OF_SOURCE, _t.c.status == "active")
_MADE_OF = select(_t.c.id, _t.c.fetched_url, _t.c.normalised_as, _t.c.last_seen).where(_OF_SOURCE)
_BY_IDS = update(_t).where(_t.c.id.in_(bindparam("b_ids", expanding=True)))  # SET: the parameters
_MISSED = _BY_IDS.values(missing_runs=_t.c.missing_runs + 1)
_RESTAMP = update(_t).where(_t.c.id == bindparam("_id")).values(normalised_as=bindparam("v_na"),
                                                               fetched_url=bindparam("v_fu"))
_STATUS_CHANGES = StatusChangeRow.__table__.insert()


def _ended(row_ends, row_starts, kind: str, now) -> bool:
    end = row_ends or (row_starts if kind == "event" else None)
    return end is not None and end < now


def _insert(conn: Connection):
    dialect = conn.dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(ItemRow)


def _chunks(seq: Sequence, n: int = _CHUNK) -> Iterable[Sequence]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def apply_run(
    conn: Connection,
    source_id: str,
    items: list[Item],
    *,
    seen: Sequence[str] = (),
    run_id: int | None,
    complete: bool,
    not_modified: bool = False,
    expire_after: int = 2,
    now=None,
) -> UpsertCounts:
    """Store one run's items of ``source_id``; the caller owns the transaction (``engine.begin()``).

    ``complete`` says the crawl read the whole source: only then do missing items count a miss.
    ``not_modified`` (304 / identical body): every active item of the source is seen, unchanged.
    ``seen``: ids of stored items the run met again without normalising them (records identical
    to what they were made from, items of pages that came back unchanged): each is seen as it is
    stored, so it is unchanged, or expires or comes back by its stored dates like any other.
    """
    now = now or utcnow()
    counts = UpsertCounts()
    changes: list[dict] = []

    if not_modified:
        # The body is the previous run's: what it listed is seen again, unchanged; what was
        # missing from it is missing again (a miss counts only when the run is complete); an
        # active item whose end has passed expires. Only the source's active items matter.
        seen, missing, ended = [], [], []
        missed: dict = {}
        for r in conn.execute(_ACTIVE_NOT_MODIFIED, {"b_source_id": source_id}):
            if _ended(r.ends_at, r.starts_at, r.kind, now):
                ended.append(r.id)
            elif r.missing_runs == 0:
                seen.append(r.id)
            else:
                missing.append(r.id)
                missed[r.id] = r
        for chunk in _chunks(seen):
            conn.execute(_BY_IDS, {"b_ids": chunk, "last_seen": now, "missing_runs": 0, "last_run_id": run_id})
        counts.unchanged = len(seen)
        gone: list[str] = []
        if complete:
            gone = _count_misses(conn, missed, missing, expire_after, now, run_id, changes)
        if changes:
            conn.execute(_STATUS_CHANGES, changes)
        counts.expired += len(gone) + _expire(conn, ended, now, run_id)
        return counts

    t = ItemRow.__table__
    existing = {r.id: r for r in conn.execute(_EXISTING, {"b_source_id": source_id})}
    by_id: dict[str, Item] = {}
    for item in items:
        if item.id in by_id:
            counts.duplicates += 1
        by_id[item.id] = item

    inserts, updates, unchanged_ids, restamp = [], [], [], []
    met: set[str] = set()
    reactivate: list[str] = []
    for item_id in seen:
        old = existing.get(item_id)
        if old is None or item_id in by_id or item_id in met:
            continue  # gone meanwhile (its record was normalised this run, or listed twice)
        met.add(item_id)
        if _ended(old.ends_at, old.starts_at, old.kind, now):
            continue  # _expire_ended below expires it if it is still active
        if old.status != "active":
            reactivate.append(item_id)
            changes.append(_change(item_id, old.status, "active", now, "reappeared", run_id))
            counts.reactivated += 1
        unchanged_ids.append(item_id)
        counts.unchanged += 1
    for item in by_id.values():
        row = item_to_row(item, now, run_id)
        old = existing.get(item.id)
        ended = _ended(row["ends_at"], row["starts_at"], row["kind"], now)
        status = "expired" if ended else "active"
        if old is None:
            row.update(first_seen=now, updated_at=now, status=status, missing_runs=0, status_changed_at=now)
            inserts.append(row)
            changes.append(_change(item.id, None, status, now, "ended" if ended else "new", run_id))
            counts.inserted += 1
            continue
        if old.status != status:
            reason = "ended" if ended else "reappeared"
            changes.append(_change(item.id, old.status, status, now, reason, run_id))
            if ended:
                counts.expired += 1
            else:
                counts.reactivated += 1
        same_content = old.content_hash == row["content_hash"] and all(
            getattr(old, c) == row[c] for c in _GEO_COLS
        )
        if same_content and old.status == status:
            unchanged_ids.append(item.id)
            counts.unchanged += 1
            if (old.normalised_as, old.fetched_url) != (row["normalised_as"], row["fetched_url"]):
                restamp.append({"_id": item.id, "v_na": row["normalised_as"], "v_fu": row["fetched_url"]})
            continue
        row.update(
            status=status,
            status_changed_at=now if old.status != status else old.status_changed_at,
            missing_runs=0,
            updated_at=now if not same_content else old.updated_at,
        )
        updates.append(row)
        if same_content:
            counts.unchanged += 1
        else:
            counts.updated += 1

    if inserts:
        # executemany of one cached statement: SQLAlchemy batches it as "insertmanyvalues";
        # a multi-VALUES statement built per chunk would be re-compiled every time (10x slower)
        conn.execute(_insert(conn).on_conflict_do_nothing(index_elements=["id"]), inserts)
    if updates:
        keys = sorted(updates[0].keys() - {"id"})
        stmt = update(t).where(t.c.id == bindparam("_id")).values({k: bindparam("v_" + k) for k in keys})
        conn.execute(stmt, [{"_id": r["id"], **{"v_" + k: r[k] for k in keys}} for r in updates])
    for chunk in _chunks(unchanged_ids):
        conn.execute(_BY_IDS, {"b_ids": chunk, "last_seen": now, "missing_runs": 0, "last_run_id": run_id})
    if restamp:  # same item, read from another body or document: what it is made of now
        conn.execute(_RESTAMP, restamp)
    for chunk in _chunks(reactivate):
        conn.execute(_BY_IDS, {"b_ids": chunk, "status": "active", "status_changed_at": now})

    gone = []
    if complete:
        missing = [i for i, r in existing.items() if i not in by_id and i not in met and r.status == "active"]
        gone = _count_misses(conn, existing, missing, expire_after, now, run_id, changes)
    # skip what this run stored or expired, and what it saw unchanged (found not ended above)
    skip = set(by_id)
    skip.update(gone)
    skip.update(unchanged_ids)
    counts.expired += len(gone) + _expire_ended(conn, existing, now, run_id, skip=skip)
    if changes:
        conn.execute(_STATUS_CHANGES, changes)
    return counts


def _count_misses(conn: Connection, existing: dict, missing: list[str], expire_after: int, now,
                  run_id: int | None, changes: list[dict]) -> list[str]:
    """Count one more miss for each of ``missing``; expire those at ``expire_after``; return them."""
    for chunk in _chunks(missing):
        conn.execute(_MISSED, {"b_ids": chunk})
    to_expire = [i for i in missing if existing[i].missing_runs + 1 >= expire_after]
    for chunk in _chunks(to_expire):
        conn.execute(_BY_IDS, {"b_ids": chunk, "status": "expired", "status_changed_at": now})
    changes.extend(
        _change(i, "active", "expired", now, f"missing from {expire_after} complete runs", run_id) for i in to_expire
    )
    return to_expire


def _change(item_id: str, old: str | None, new: str, at, reason: str, run_id: int | None) -> dict:
    return {"item_id": item_id, "old_status": old, "new_status": new, "at": at, "reason": reason, "run_id": run_id}


def _expire_ended(conn: Connection, existing: dict, now, run_id: int | None, skip=frozenset()) -> int:
    """Expire the source's items that were active before this run (``existing``, as read at its
    start; ``skip``: those this run stored or expired itself) and whose end (or, for events,
    start) has passed."""
    ended = [i for i, r in existing.items()
             if r.status == "active" and i not in skip and _ended(r.ends_at, r.starts_at, r.kind, now)]
    return _expire(conn, ended, now, run_id)


def _expire(conn: Connection, ended: list[str], now, run_id: int | None) -> int:
    """Expire the active items ``ended`` (their end, or for events their start, has passed)."""
    for chunk in _chunks(ended):
        conn.execute(_BY_IDS, {"b_ids": chunk, "status": "expired", "status_changed_at": now})
    if ended:
        conn.execute(
            _STATUS_CHANGES,
            [_change(i, "active", "expired", now, "ended", run_id) for i in ended],
        )
    return len(ended)
