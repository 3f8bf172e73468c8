"""Read-side queries shared by the CLI, the feeds and the status views."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from .tables import ClusterRow, ItemRow


def buurt_counts(conn: Connection) -> list[dict]:
    """Active bundled items per buurt (``None`` = city-wide), most first."""
    c = ClusterRow.__table__
    i = ItemRow.__table__
    names = {
        r.buurt_code: (r.buurt_name, r.wijk_code)
        for r in conn.execute(select(i.c.buurt_code, i.c.buurt_name, i.c.wijk_code).where(i.c.buurt_code.is_not(None)).distinct())
    }
    rows = conn.execute(
        select(c.c.buurt_code, func.count().label("n")).where(c.c.status == "active").group_by(c.c.buurt_code)
    )
    out = [
        {"buurt_code": r.buurt_code, "buurt_name": names.get(r.buurt_code, (None, None))[0],
         "wijk_code": names.get(r.buurt_code, (None, None))[1], "items": r.n}
        for r in rows
    ]
    return sorted(out, key=lambda d: (-d["items"], d["buurt_code"] or "~"))
