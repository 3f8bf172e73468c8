"""``datapackage.json`` beside every file export: a Frictionless Data Package (v1) describing
each exported file with a Table Schema (name, type, description of every column), the licences
and the attribution of the geodata (``data/SOURCES.md``) and of every crawled source.

Several exports into one directory share one ``datapackage.json``: a resource with the same
path is replaced, the others are kept.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from .columns import BUNDLED, RAW
from .writers import atomic_open

NAME = "thuis-in-maastricht-items"
FORMATS = {
    "csv": ("csv", "text/csv"),
    "jsonl": ("jsonl", "application/x-ndjson"),
    "geojson": ("geojson", "application/geo+json"),
    "parquet": ("parquet", "application/vnd.apache.parquet"),
}
GEODATA_LICENCES = [
    {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
     "title": "Creative Commons Attribution 4.0 (buurt and wijk boundaries and figures: CBS, Kadaster)"},
    {"name": "ODbL-1.0", "path": "https://opendatacommons.org/licenses/odbl/1-0/",
     "title": "Open Database License 1.0 (street and address gazetteer: © OpenStreetMap contributors)"},
]
GEODATA_SOURCES = [
    {"title": "CBS/Kadaster, Wijk- en buurtkaart 2024 (buurt_gegeneraliseerd, via PDOK)",
     "path": "https://www.pdok.nl/", "licence": "CC-BY-4.0", "attribution": "CBS, Kadaster"},
    {"title": "CBS, Kerncijfers wijken en buurten 2024 (StatLine 85984NED)",
     "path": "https://opendata.cbs.nl/", "licence": "CC-BY-4.0", "attribution": "CBS"},
    {"title": "OpenStreetMap", "path": "https://www.openstreetmap.org/copyright", "licence": "ODbL-1.0",
     "attribution": "© OpenStreetMap contributors"},
]


def table_schema(raw: bool) -> dict:
    """The Table Schema of a raw or bundled export."""
    fields = []
    for c in RAW if raw else BUNDLED:
        f = {"name": c.name, "type": c.type, "description": c.description}
        if c.type == "datetime":
            f["format"] = "any"
        fields.append(f)
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}


def resource(path: Path, fmt: str, *, raw: bool, rows: int) -> dict:
    """The resource entry of one written export file (with its size and sha256)."""
    data = path.read_bytes()
    ext, media = FORMATS[fmt]
    return {
        "name": "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in path.name.lower()),
        "path": path.name,
        "profile": "tabular-data-resource" if fmt == "csv" else "data-resource",
        "format": ext,
        "mediatype": media,
        **({"encoding": "utf-8"} if fmt != "parquet" else {}),
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        "description": (f"{rows} source records (one row per record)" if raw else
                        f"{rows} bundled items (one row per item, all its sources listed)"),
        "schema": table_schema(raw),
    }


def crawled_sources(config, source_ids: set[str]) -> list[dict]:
    """Attribution of every source in the data: name, URL, licence and attribution from sources.toml."""
    known = {s.id: s for s in (config.sources if config is not None else [])}
    out = []
    for sid in sorted(source_ids):
        s = known.get(sid)
        entry = {"title": s.display_name if s else sid, "source_id": sid}
        if s is not None:
            if s.url:
                entry["path"] = s.url
            if s.licence:
                entry["licence"] = s.licence
            if s.attribution:
                entry["attribution"] = s.attribution
        out.append(entry)
    return out


def write(directory: Path, resources: list[dict], sources: list[dict]) -> Path:
    """Write (or update) ``directory/datapackage.json`` with ``resources``."""
    target = Path(directory) / "datapackage.json"
    old_resources, old_sources = [], []
    if target.exists():
        try:
            old = json.loads(target.read_text(encoding="utf-8"))
            if old.get("name") == NAME:
                old_resources, old_sources = old.get("resources", []), old.get("sources", [])
        except (OSError, ValueError):
            pass
    paths = {r["path"] for r in resources}
    merged = [r for r in old_resources if r.get("path") not in paths and (Path(directory) / r.get("path", "")).is_file()]
    merged += resources
    names = {s.get("source_id") or s.get("title") for s in GEODATA_SOURCES + sources}
    keep = [s for s in old_sources if (s.get("source_id") or s.get("title")) not in names]
    all_tabular = all(r["profile"] == "tabular-data-resource" for r in merged)
    package = {
        "profile": "tabular-data-package" if all_tabular else "data-package",
        "name": NAME,
        "title": "Thuis in Maastricht: volunteering, participation and neighbourhood items per buurt",
        "description": ("Items crawled from Maastricht platforms, normalised, geocoded to CBS buurten and "
                        "de-duplicated. Item texts remain the work of their sources: see 'sources' for "
                        "each platform's licence and attribution."),
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": GEODATA_LICENCES,
        "sources": GEODATA_SOURCES + keep + sources,
        "resources": merged,
    }
    with atomic_open(target) as fh:
        json.dump(package, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return target
