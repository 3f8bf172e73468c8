"""Exports for analysts: the item dataset as files (CSV, JSON Lines, GeoJSON, Parquet), each
with a ``datapackage.json`` beside it (see ``exports.datapackage``).

``export(engine, fmt, path, ...)`` writes one file (or stdout when ``path`` is None);
``by_source=True`` writes one file per source into the directory ``path``, with file names that
cannot leave that directory whatever the source id says (``safe_path``).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from tim.progress import ProgressCallback, Tracker

from .rows import BUNDLED_COLUMNS, RAW_COLUMNS, bundled_rows, raw_rows
from .writers import WRITERS, safe_cell

FORMATS = tuple(WRITERS)
EXTENSIONS = {"csv": ".csv", "jsonl": ".jsonl", "geojson": ".geojson", "parquet": ".parquet"}
_UNSAFE = re.compile(r"[^a-z0-9_-]+")


def safe_path(directory: Path, name: str, suffix: str) -> Path:
    """``directory/<slug of name><suffix>``, guaranteed inside ``directory``.

    The slug keeps lowercase letters, digits, ``-`` and ``_``; anything else (slashes, dots,
    NUL, ``..``) becomes ``-`` and a short hash of the original keeps distinct names distinct.
    """
    slug = _UNSAFE.sub("-", name.lower()).strip("-_")[:64] or "unnamed"
    if slug != name:
        slug += "-" + hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    base = Path(directory).resolve()
    target = (base / f"{slug}{suffix}").resolve()
    if target.parent != base:
        raise ValueError(f"export file name from {name!r} would leave {base}")
    return target


def _source_ids(engine: Engine, raw: bool, filters: dict) -> set[str]:
    """Source ids present in what an export writes (for attribution)."""
    from tim.store.tables import ItemRow

    t = ItemRow.__table__
    q = select(t.c.source_id).distinct()
    if filters.get("buurt"):
        q = q.where(t.c.buurt_code == filters["buurt"])
    if filters.get("kind"):
        q = q.where(t.c.kind == filters["kind"])
    if filters.get("source"):
        q = q.where(t.c.source_id == filters["source"])
    if filters.get("gemeente"):
        q = q.where(t.c.gemeente_code == filters["gemeente"])
    if not raw:
        q = q.where(t.c.status == "active")
    with engine.connect() as conn:
        return {r.source_id for r in conn.execute(q)}


def _write(engine: Engine, fmt: str, path: Path | None, raw: bool, filters: dict, tracker: Tracker) -> int:
    tracker.step(path.name if path else "stdout")
    with engine.connect() as conn:
        rows = raw_rows(conn, **filters) if raw else bundled_rows(conn, **filters)
        n = WRITERS[fmt](tracker.counted(rows), RAW_COLUMNS if raw else BUNDLED_COLUMNS, path)
    tracker.step_done(rows=n)
    return n


def export(engine: Engine, fmt: str, path: Path | None, *, raw: bool = False, by_source: bool = False,
           config=None, buurt: str | None = None, kind: str | None = None,
           since: datetime | None = None, gemeente: str | None = None,
           progress: ProgressCallback | None = None) -> int:
    """Write the dataset in ``fmt`` to ``path`` (stdout if None); return the number of rows.

    ``gemeente`` (a CBS code, ``GM0935``) keeps the records, or bundled items with a record, of
    that gemeente.

    With a file (or a directory and ``by_source``), ``datapackage.json`` is written beside it.
    ``progress`` gets the events of task ``export``: a step per file written, its rows as records.
    """
    from . import datapackage

    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(WRITERS)}")
    filters = {"buurt": buurt, "kind": kind, "since": since}
    if gemeente:
        from tim.store.gemeenten import check_code

        filters["gemeente"] = check_code(gemeente)
    if path is None:
        if by_source or fmt == "parquet":
            raise ValueError(f"{'--by-source' if by_source else 'parquet'} needs an output path (-o)")
        tracker = Tracker(progress, "export", total=1, unit="files").start(format=fmt)
        n = _write(engine, fmt, None, raw, filters, tracker)
        tracker.finish(rows=n)
        return n
    path = Path(path)
    if not by_source:
        tracker = Tracker(progress, "export", total=1, unit="files").start(format=fmt)
        n = _write(engine, fmt, path, raw, filters, tracker)
        res = [datapackage.resource(path, fmt, raw=raw, rows=n)]
        datapackage.write(path.parent, res, datapackage.crawled_sources(config, _source_ids(engine, raw, filters)))
        tracker.finish(rows=n)
        return n
    path.mkdir(parents=True, exist_ok=True)
    total, resources = 0, []
    ids = sorted(_source_ids(engine, raw, filters))
    tracker = Tracker(progress, "export", total=len(ids), unit="files").start(format=fmt)
    for sid in ids:
        target = safe_path(path, sid, EXTENSIONS[fmt])
        n = _write(engine, fmt, target, raw, {**filters, "source": sid}, tracker)
        total += n
        resources.append(datapackage.resource(target, fmt, raw=raw, rows=n))
    datapackage.write(path, resources, datapackage.crawled_sources(config, set(ids)))
    tracker.finish(rows=total)
    return total


__all__ = ["BUNDLED_COLUMNS", "FORMATS", "RAW_COLUMNS", "export", "safe_cell", "safe_path"]
