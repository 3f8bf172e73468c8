"""Importing official CBS data into the database: boundaries, the address -> buurt table, figures.

- :func:`import_buurten`: the CBS wijk- en buurtkaart (GeoJSON or GeoPackage, RD New or WGS84);
  the buurten of one gemeente are kept (default Maastricht, GM0935); stored as a boundary version of
  that gemeente and made its active one.
- :func:`import_postcodes`: CBS "buurt, wijk en gemeente per postcode en huisnummer" (CSV, e.g.
  ``pc6hnr20240801_gwb.csv`` with ``PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024``).
- :func:`import_stats`: CBS Kerncijfers wijken en buurten (CSV; inhabitants, households, area).

Each returns a small report dict; each problem is a ``GeoError`` naming the file.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tim.errors import GeoError
from tim.geo.tables import (
    GeoAddressBuurtRow,
    GeoBoundaryRow,
    GeoBoundarySetRow,
    GeoRegionStatsRow,
    ensure_geo_tables,
    utcnow,
)

from tim.progress import ProgressCallback, Tracker

from . import data
from .boundaries import MAASTRICHT, read_buurt_features

_GM_DIGITS = MAASTRICHT[2:]


def import_buurten(engine: Engine, path: str | Path, version: str | None = None, *, activate: bool = True,
                   gemeente: str = MAASTRICHT, progress: ProgressCallback | None = None) -> dict:
    """Store the buurten of ``gemeente`` (default Maastricht, GM0935) of a CBS boundary file as
    ``version`` (default: the file name, with the gemeente code for another gemeente); activating
    it deactivates only that gemeente's other sets.

    ``progress`` gets the events of task ``import-buurten`` (read, then one unit per buurt stored)."""
    path = Path(path)
    if not re.fullmatch(r"GM[0-9]{4}", gemeente):
        raise GeoError(f"{gemeente!r} is not a CBS gemeente code (GM + 4 digits, e.g. GM0935)")
    version = version or (path.stem if gemeente == MAASTRICHT else f"{path.stem}-{gemeente}")
    tracker = Tracker(progress, "import-buurten", unit="buurten").start(file=path.name)
    tracker.phase(f"reading {path.name}")
    buurten = read_buurt_features(path, wijk_names=data.wijk_names() if gemeente == MAASTRICHT else {},
                                  municipality=gemeente)
    tracker.total = len(buurten)
    tracker.phase("storing")
    ensure_geo_tables(engine)
    with Session(engine) as s:
        old = s.get(GeoBoundarySetRow, version)
        if old is not None and old.gemeente_code != gemeente:
            raise GeoError(f"{path}: boundary version {version!r} already holds {old.gemeente_code}; "
                           f"choose another --version for {gemeente}")
        s.exec(delete(GeoBoundaryRow).where(GeoBoundaryRow.version == version))  # type: ignore[call-overload]
        if activate:
            s.exec(update(GeoBoundarySetRow).where(GeoBoundarySetRow.gemeente_code == gemeente)  # type: ignore[call-overload]
                   .values(active=False))
        s.merge(GeoBoundarySetRow(version=version, gemeente_code=gemeente, source_file=str(path),
                                  feature_count=len(buurten), imported_at=utcnow(), active=activate))
        for b in buurten:
            s.add(GeoBoundaryRow(version=version, buurt_code=b.code, buurt_name=b.name, wijk_code=b.wijk_code,
                                 wijk_name=b.wijk_name, geometry_wkb=b.geometry.wkb_hex))
            tracker.advance(1, records=1)
        s.commit()
    tracker.finish(buurten=len(buurten), version=version)
    return {"version": version, "buurten": len(buurten), "active": activate, "gemeente": gemeente}


def _read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")
    except OSError as exc:
        raise GeoError(f"cannot read {path}: {exc}") from exc
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t|")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if sample.count(";") > sample.count(",") else ","  # type: ignore[misc]
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        raise GeoError(f"{path}: empty file")
    return [h.strip().strip('"') for h in rows[0]], rows[1:]


def _column(header: list[str], path: Path, *patterns: str, required: bool = True) -> int | None:
    low = [h.lower().replace(" ", "").replace("_", "") for h in header]
    for pat in patterns:
        for i, h in enumerate(low):
            if re.fullmatch(pat, h):
                return i
    if required:
        raise GeoError(f"{path}: no column like {patterns[0]!r} in header {header}")
    return None


def _code(value: str, prefix: str, digits: int) -> str:
    value = value.strip().strip('"').upper()
    value = value.removeprefix(prefix)
    return prefix + value.zfill(digits) if value else ""


def import_postcodes(engine: Engine, path: str | Path, label: str | None = None, *,
                     gemeente: str = MAASTRICHT, progress: ProgressCallback | None = None) -> dict:
    """Store (postcode, huisnummer) -> buurt for ``gemeente`` (default Maastricht) from a CBS pc6hnr
    CSV, replacing only that gemeente's rows (the table holds several gemeenten).

    ``progress`` gets the events of task ``import-postcodes``, one unit per row of the file."""
    path = Path(path)
    if not re.fullmatch(r"GM[0-9]{4}", gemeente):
        raise GeoError(f"{gemeente!r} is not a CBS gemeente code (GM + 4 digits, e.g. GM0935)")
    tracker = Tracker(progress, "import-postcodes", unit="rows").start(file=path.name)
    tracker.phase(f"reading {path.name}")
    header, rows = _read_table(path)
    tracker.total = len(rows)
    tracker.phase("checking rows")
    c_pc = _column(header, path, r"pc6", r"postcode.*")
    c_hn = _column(header, path, r"huisnummer", r"huisnr", r"hnr", r"housenumber")
    c_bu = _column(header, path, r"buurt(code)?\d{0,4}", r"bucode", r"buurtcode.*")
    c_wk = _column(header, path, r"wijk(code)?\d{0,4}", r"wkcode", required=False)
    c_gm = _column(header, path, r"gemeente(code)?\d{0,4}", r"gmcode", required=False)
    label = label or path.stem
    ensure_geo_tables(engine)
    kept = skipped = 0
    batch: dict[tuple[str, int], GeoAddressBuurtRow] = {}
    for row in rows:
        tracker.advance(1)
        if len(row) <= max(c for c in (c_pc, c_hn, c_bu, c_wk, c_gm) if c is not None):
            continue
        bu = _code(row[c_bu], "BU", 8)
        gm = _code(row[c_gm], "GM", 4)[2:] if c_gm is not None else bu[2:6]
        pc = re.sub(r"\s+", "", row[c_pc]).upper()
        if gm != gemeente[2:] or not re.fullmatch(r"[1-9]\d{3}[A-Z]{2}", pc) or not row[c_hn].strip().isdigit():
            skipped += 1
            continue
        wk = _code(row[c_wk], "WK", 6) if c_wk is not None else "WK" + bu[2:8]
        hn = int(row[c_hn])
        batch[(pc, hn)] = GeoAddressBuurtRow(postcode=pc, housenumber=hn, buurt_code=bu, wijk_code=wk, label=label,
                                             gemeente_code=gemeente)
        kept += 1
        tracker.add_records()
    tracker.phase(f"storing {len(batch)} addresses")
    with Session(engine) as s:
        s.exec(delete(GeoAddressBuurtRow).where(GeoAddressBuurtRow.gemeente_code == gemeente))  # type: ignore[call-overload]
        s.add_all(batch.values())
        s.commit()
    tracker.finish(addresses=len(batch), skipped=skipped)
    return {"label": label, "addresses": len(batch), "skipped_other_municipalities": skipped, "gemeente": gemeente}


def _number(value: str) -> float | None:
    value = value.strip().strip('"').replace(" ", "")
    if value in ("", ".", "-", "x", "?"):
        return None
    value = value.replace(".", "").replace(",", ".") if "," in value else value
    try:
        return float(value)
    except ValueError:
        return None


def import_stats(engine: Engine, path: str | Path, label: str | None = None, *,
                 progress: ProgressCallback | None = None) -> dict:
    """Store inhabitants (and households, area) per buurt/wijk of Maastricht from a CBS Kerncijfers CSV.

    ``progress`` gets the events of task ``import-stats``, one unit per row of the file."""
    path = Path(path)
    tracker = Tracker(progress, "import-stats", unit="rows").start(file=path.name)
    tracker.phase(f"reading {path.name}")
    header, rows = _read_table(path)
    tracker.total = len(rows)
    tracker.phase("storing")
    c_code = _column(header, path, r"codering\d*", r"wijkenenbuurten", r"regiocode", r"code", r"gwbcode.*")
    c_name = _column(header, path, r"wijkenenbuurten", r"regionaam", r"naam", r"gwbnaam.*", required=False)
    c_inw = _column(header, path, r"aantalinwoners\d*", r"inwoners\d*", r"ainwoners")
    c_hh = _column(header, path, r"huishoudenstotaal\d*", r"aantalhuishoudens\d*", r"huishoudens\d*", required=False)
    c_area = _column(header, path, r"oppervlaktetotaal\d*", r"oppervlakte.*", required=False)
    label = label or path.stem
    ensure_geo_tables(engine)
    kept = 0
    now = utcnow()
    with Session(engine) as s:
        for row in rows:
            tracker.advance(1)
            if len(row) <= c_code:
                continue
            code = row[c_code].strip().strip('"').upper()
            if not re.fullmatch(r"(BU|WK|GM)\d{4,8}", code) or code[2:6] != _GM_DIGITS:
                continue
            kind = {"BU": "buurt", "WK": "wijk", "GM": "gemeente"}[code[:2]]
            inw = _number(row[c_inw]) if c_inw < len(row) else None
            hh = _number(row[c_hh]) if c_hh is not None and c_hh < len(row) else None
            area = _number(row[c_area]) if c_area is not None and c_area < len(row) else None
            name = row[c_name].strip().strip('"') if c_name is not None and c_name != c_code else ""
            s.merge(GeoRegionStatsRow(region_code=code, region_name=name, kind=kind,
                                      inhabitants=int(inw) if inw is not None else None,
                                      households=int(hh) if hh is not None else None,
                                      area_ha=area, label=label, imported_at=now))
            kept += 1
            tracker.add_records()
        s.commit()
    if not kept:
        raise GeoError(f"{path}: no Maastricht (GM0935) regions found")
    tracker.finish(regions=kept)
    return {"label": label, "regions": kept}
