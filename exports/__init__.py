"""Exports for analysts: the item dataset as files (CSV, JSON Lines, GeoJSON)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from .rows import BUNDLED_COLUMNS, RAW_COLUMNS, bundled_rows, raw_rows
from .writers import WRITERS, safe_cell

FORMATS = tuple(WRITERS)


def export(engine: Engine, fmt: str, path: Path | None, *, raw: bool = False, **filters) -> int:
    """Write the dataset in ``fmt`` to ``path`` (stdout if None); return the number of rows."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(WRITERS)}")
    with engine.connect() as conn:
        rows = raw_rows(conn, **filters) if raw else bundled_rows(conn, **filters)
        return WRITERS[fmt](rows, RAW_COLUMNS if raw else BUNDLED_COLUMNS, path)


__all__ = ["BUNDLED_COLUMNS", "FORMATS", "RAW_COLUMNS", "export", "safe_cell"]
