"""Gemeente codes of stored items (many municipalities).

An item belongs to the gemeente of its buurt (a CBS buurt code carries it: ``BU0935xxxx`` is in
``GM0935``); an item without a buurt (city-wide) to the gemeente its source covers
(``gemeente`` in ``sources.toml``, default ``GM0935``).
"""

from __future__ import annotations

import re

from sqlalchemy import bindparam, case, func, literal, select, update
from sqlalchemy.engine import Connection

from .tables import ClusterRow, ItemRow

GEMEENTE_PATTERN = re.compile(r"^GM[0-9]{4}$")


def _from_buurt(default):
    t = ItemRow.__table__
    return case((t.c.buurt_code.like("BU%"), literal("GM") + func.substr(t.c.buurt_code, 3, 4)), else_=default)


def _assign_statement():
    t = ItemRow.__table__
    value = _from_buurt(bindparam("b_gemeente", type_=t.c.gemeente_code.type))
    return (update(t).where(t.c.source_id == bindparam("b_source_id"),
                            (t.c.gemeente_code.is_(None)) | (t.c.gemeente_code != value))
            .values(gemeente_code=value))


_ASSIGN = _assign_statement()  # built once: every source run executes it


def assign(conn: Connection, source_id: str, source_gemeente: str) -> int:
    """Set the gemeente of every item of ``source_id``; returns the rows changed."""
    res = conn.execute(_ASSIGN, {"b_source_id": source_id, "b_gemeente": source_gemeente})
    return res.rowcount or 0


def reassign_all(conn: Connection) -> int:
    """After buurten changed (``tim geo reassign``): follow the buurt, keep the source's otherwise."""
    t = ItemRow.__table__
    value = _from_buurt(t.c.gemeente_code)
    res = conn.execute(update(t).where(t.c.buurt_code.like("BU%"),
                                       (t.c.gemeente_code.is_(None)) | (t.c.gemeente_code != value))
                       .values(gemeente_code=value))
    return res.rowcount or 0


def check_code(code: str) -> str:
    code = code.strip().upper()
    if not GEMEENTE_PATTERN.fullmatch(code):
        raise ValueError(f"{code!r} is not a CBS gemeente code (GM + 4 digits, e.g. GM0935)")
    return code


def items_condition(gemeente: str):
    """WHERE on ``items``: records of the gemeente."""
    return ItemRow.__table__.c.gemeente_code == gemeente


def clusters_condition(gemeente: str):
    """WHERE on ``clusters``: bundled items with a record of the gemeente."""
    t, c = ItemRow.__table__, ClusterRow.__table__
    return c.c.id.in_(select(t.c.cluster_id).where(t.c.cluster_id.is_not(None), t.c.gemeente_code == gemeente))
