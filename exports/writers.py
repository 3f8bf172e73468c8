"""File writers for exports: CSV (spreadsheet-safe), JSON Lines, GeoJSON, Parquet (typed).

Every writer writes to a temporary file beside the target and renames it into place, so a crash
never leaves a half-written export.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|")


def safe_cell(value):
    """Neutralise a CSV cell a spreadsheet would run as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@contextmanager
def atomic_open(path: Path | None, mode: str = "w") -> Iterator[IO]:
    """Open a temp file beside ``path`` and rename it over ``path`` on success (stdout if None)."""
    if path is None:
        import sys

        yield sys.stdout
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8", newline="" if "b" not in mode else None) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(rows: Iterable[dict], columns: tuple[str, ...], path: Path | None) -> int:
    n = 0
    with atomic_open(path) as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for row in rows:
            w.writerow([safe_cell(row.get(k)) for k in columns])
            n += 1
    return n


def write_jsonl(rows: Iterable[dict], columns: tuple[str, ...], path: Path | None) -> int:
    n = 0
    with atomic_open(path) as fh:
        for row in rows:
            fh.write(json.dumps({k: row.get(k) for k in columns}, ensure_ascii=False) + "\n")
            n += 1
    return n


def write_geojson(rows: Iterable[dict], columns: tuple[str, ...], path: Path | None) -> int:
    """A FeatureCollection; items without a point get ``geometry: null`` (valid GeoJSON)."""
    n = 0
    with atomic_open(path) as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        for row in rows:
            lat, lon = row.get("lat"), row.get("lon")
            geom = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
            props = {k: row.get(k) for k in columns if k not in ("lat", "lon")}
            feat = {"type": "Feature", "id": row.get("id"), "geometry": geom, "properties": props}
            fh.write(("," if n else "") + json.dumps(feat, ensure_ascii=False) + "\n")
            n += 1
        fh.write("]}\n")
    return n


def write_parquet(rows: Iterable[dict], columns: tuple[str, ...], path: Path | None) -> int:
    """Typed Parquet (see ``exports.columns``), written in batches; needs a file, not stdout."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .columns import BUNDLED_BY_NAME, RAW_BY_NAME

    if path is None:
        raise ValueError("parquet needs an output file (-o)")
    spec = {**RAW_BY_NAME, **BUNDLED_BY_NAME}  # a name has one type in both
    schema = pa.schema([pa.field(c, spec[c].arrow, nullable=True) for c in columns])
    n = 0
    with atomic_open(path, "wb") as fh:
        writer = pq.ParquetWriter(fh, schema, compression="zstd")
        batch: list[dict] = []
        for row in rows:
            batch.append({c: _typed(row.get(c), spec[c].type) for c in columns})
            n += 1
            if len(batch) >= 5000:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        writer.close()
    return n


def _typed(value, type_: str):
    """A row value as the Python value of its column type (None stays None)."""
    from datetime import datetime

    if value is None or value == "":
        return None
    if type_ == "datetime":
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    if type_ == "number":
        return float(value)
    if type_ == "integer":
        return int(value)
    return str(value)


WRITERS = {"csv": write_csv, "jsonl": write_jsonl, "geojson": write_geojson, "parquet": write_parquet}
