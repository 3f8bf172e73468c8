"""Per-buurt statistics: active bundled items per buurt, wijk and kind, per 1,000 inhabitants.

``statistics(conn, buurten, wijken)`` takes the area lists (from ``feeds.areas``) so the store
never reads data files; inhabitants imported by ``tim geo import-stats`` (``geo_region_stats``)
win over the figures the areas carry. Buurten without any active item are the platform's
*blind spots*.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Connection

from tim.records import ITEM_KINDS

from .tables import ClusterRow

CITY_WIDE = None
"""The ``buurt_code`` of items with no buurt (city-wide or outside the municipality)."""


def active_counts(conn: Connection) -> dict[tuple[str | None, str], int]:
    """(buurt_code, kind) -> number of active bundled items."""
    c = ClusterRow.__table__
    rows = conn.execute(
        select(c.c.buurt_code, c.c.kind, func.count().label("n"))
        .where(c.c.status == "active").group_by(c.c.buurt_code, c.c.kind)
    )
    return {(r.buurt_code, r.kind): int(r.n) for r in rows}


def imported_inhabitants(conn: Connection) -> dict[str, int]:
    """region code -> inhabitants from ``geo_region_stats`` (empty when never imported)."""
    if not inspect(conn).has_table("geo_region_stats"):
        return {}
    from tim.geo.tables import GeoRegionStatsRow

    t = GeoRegionStatsRow.__table__
    rows = conn.execute(select(t.c.region_code, t.c.inhabitants).where(t.c.inhabitants.is_not(None)))
    return {r.region_code: int(r.inhabitants) for r in rows}


def region_stats_fingerprint(conn: Connection) -> str:
    """Changes whenever ``tim geo import-stats`` loads new figures (for the /stats ETag)."""
    if not inspect(conn).has_table("geo_region_stats"):
        return "none"
    from tim.geo.tables import GeoRegionStatsRow

    t = GeoRegionStatsRow.__table__
    row = conn.execute(select(func.count(), func.max(t.c.imported_at))).first()
    return f"{row[0]}:{row[1]}"


def _per_1000(items: int, inhabitants: int | None) -> float | None:
    return round(items * 1000 / inhabitants, 2) if inhabitants else None


def _entry(code, name, counts: dict[str, int], inhabitants: int | None, source: str | None, **extra) -> dict:
    items = sum(counts.values())
    return {"code": code, "name": name, **extra, "items": items,
            "per_kind": {k: counts.get(k, 0) for k in ITEM_KINDS},
            "inhabitants": inhabitants, "inhabitants_source": source if inhabitants else None,
            "per_1000_inhabitants": _per_1000(items, inhabitants)}


def statistics(conn: Connection, buurten: list, wijken: list) -> dict:
    """Items per buurt, wijk and kind; per 1,000 inhabitants where known; the blind spots.

    ``buurten`` items have ``code, name, wijk_code, wijk_name, inhabitants``; ``wijken`` items
    have ``code, name, buurt_codes, inhabitants``.
    """
    counts = active_counts(conn)
    imported = imported_inhabitants(conn)
    per_buurt: dict[str | None, dict[str, int]] = defaultdict(dict)
    for (code, kind), n in counts.items():
        per_buurt[code][kind] = per_buurt[code].get(kind, 0) + n
    known = {b.code for b in buurten}

    buurt_rows = []
    for b in buurten:
        inh, src = (imported[b.code], "geo_region_stats") if b.code in imported else (b.inhabitants, "geo")
        buurt_rows.append(_entry(b.code, b.name, per_buurt.get(b.code, {}), inh, src,
                                 wijk_code=b.wijk_code, wijk_name=b.wijk_name))
    wijk_rows = []
    for w in wijken:
        wc: dict[str, int] = defaultdict(int)
        for code in w.buurt_codes:
            for kind, n in per_buurt.get(code, {}).items():
                wc[kind] += n
        inh, src = (imported[w.code], "geo_region_stats") if w.code in imported else (w.inhabitants, "cbs_kwb2024")
        wijk_rows.append(_entry(w.code, w.name, wc, inh, src))
    city_wide = per_buurt.get(CITY_WIDE, {})
    other: dict[str, int] = defaultdict(int)
    for code, kinds in per_buurt.items():
        if code is not CITY_WIDE and code not in known:
            for kind, n in kinds.items():
                other[kind] += n
    total: dict[str, int] = defaultdict(int)
    for kinds in per_buurt.values():
        for kind, n in kinds.items():
            total[kind] += n
    municipality_inh = imported.get("GM0935") or (
        sum(w.inhabitants for w in wijken) if wijken and all(w.inhabitants for w in wijken) else None)
    return {
        "kinds": list(ITEM_KINDS),
        "buurten": buurt_rows,
        "wijken": wijk_rows,
        "city_wide": _entry(None, "city-wide (no buurt)", city_wide, None, None),
        "unknown_buurt": _entry(None, "buurt code not in the boundary set", dict(other), None, None),
        "total": _entry("GM0935", "Maastricht", dict(total), municipality_inh,
                        "geo_region_stats" if "GM0935" in imported else "cbs_kwb2024"),
        "blind_spots": [{"code": r["code"], "name": r["name"], "wijk_code": r["wijk_code"]}
                        for r in buurt_rows if r["items"] == 0],
    }


def flat_rows(stats: dict) -> list[dict]:
    """One flat row per buurt, wijk and the city (for CSV and tables)."""
    rows = []

    def add(level: str, e: dict, wijk_code=None, blind=None):
        rows.append({"level": level, "code": e["code"] or "", "name": e["name"] or "", "wijk_code": wijk_code or "",
                     "items": e["items"], **{k: e["per_kind"][k] for k in stats["kinds"]},
                     "inhabitants": e["inhabitants"] if e["inhabitants"] is not None else "",
                     "per_1000_inhabitants": e["per_1000_inhabitants"] if e["per_1000_inhabitants"] is not None else "",
                     "blind_spot": "" if blind is None else ("yes" if blind else "no")})

    for b in stats["buurten"]:
        add("buurt", b, b["wijk_code"], b["items"] == 0)
    for w in stats["wijken"]:
        add("wijk", w)
    add("city_wide", stats["city_wide"])
    if stats["unknown_buurt"]["items"]:
        add("unknown_buurt", stats["unknown_buurt"])
    add("total", stats["total"])
    return rows
