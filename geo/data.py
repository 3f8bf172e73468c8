"""The bundled data files of ``geo`` (see ``data/SOURCES.md``), read once and cached.

Every reader raises :class:`errors.GeoError` naming the file when it cannot be read.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from tim.errors import GeoError
from tim.normalizers.address import data_dir

BUURTEN_FILE = "maastricht_buurten_cbs2024.geojson"
BUNDLED_VERSION = "cbs2024-generalised"
"""Boundary version label of the bundled polygons (CBS 2024 ``buurt_gegeneraliseerd``)."""


def path(name: str) -> Path:
    """Path of a file in the data folder."""
    return data_dir() / name


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a CSV data file as dicts (values stripped)."""
    p = path(name)
    try:
        with p.open(encoding="utf-8", newline="") as fh:
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise GeoError(f"cannot read data file {p}: {exc}") from exc


@lru_cache(maxsize=1)
def wijk_names() -> dict[str, str]:
    """wijkcode -> wijk name, from ``maastricht_buurt_names.csv``."""
    return {r["wijkcode"]: r["wijknaam"] for r in read_csv("maastricht_buurt_names.csv") if r["wijkcode"]}


@lru_cache(maxsize=1)
def bundled_boundaries():  # -> BoundarySet
    """The bundled generalised CBS 2024 buurt polygons (44 buurten of Maastricht)."""
    from .boundaries import BoundarySet

    return BoundarySet.from_file(path(BUURTEN_FILE), BUNDLED_VERSION, wijk_names=wijk_names())
