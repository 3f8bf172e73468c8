"""The buurten and wijken a source's ``area`` may name, read from ``data/maastricht_buurt_names.csv``.

Configuration cannot import ``geo`` (a higher layer), so ``area`` is checked here against the
bundled names file: a CBS buurt or wijk code (``BU09350401``, ``WK093504``), a buurt name or
alias (``Malberg``, ``Mariaberg``), or a wijk name (``Maastricht-Centrum``), accents and case
ignored. ``geo.strategy`` resolves the same value again against the boundaries in use.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

NAMES_FILE = "maastricht_buurt_names.csv"
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _data_dir() -> Path:
    env = os.environ.get("TIM_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "data"


def fold_name(text: str) -> str:
    """Lower case, accents dropped, punctuation to single spaces (as geo folds names)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.lower()).strip()


@lru_cache(maxsize=1)
def area_index() -> dict[str, tuple[str, str, str]]:
    """folded name or code -> (``buurt`` | ``wijk``, CBS code, official name)."""
    path = _data_dir() / NAMES_FILE
    out: dict[str, tuple[str, str, str]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise ValueError(f"cannot read {path} to check the area: {exc}") from exc
    for r in rows:
        bu, wk = (r.get("buurtcode") or "").strip(), (r.get("wijkcode") or "").strip()
        if wk and r.get("wijknaam"):
            out.setdefault(fold_name(wk), ("wijk", wk, r["wijknaam"].strip()))
            out.setdefault(fold_name(r["wijknaam"]), ("wijk", wk, r["wijknaam"].strip()))
        if bu:
            official = (r.get("buurtnaam_cbs") or r.get("name") or bu).strip()
            out[fold_name(bu)] = ("buurt", bu, official)
            for name in (r.get("name"), r.get("buurtnaam_cbs")):
                if name and name.strip():
                    out[fold_name(name)] = ("buurt", bu, official)
    return out


def resolve_area(value: str) -> tuple[str, str, str]:
    """(``buurt`` | ``wijk``, code, name) of an ``area`` value; ``ValueError`` when unknown."""
    index = area_index()
    hit = index.get(fold_name(value or ""))
    if hit is None:
        buurten = sorted({name for kind, _c, name in index.values() if kind == "buurt"})
        raise ValueError(f"unknown area {value!r}: not a Maastricht buurt or wijk name, alias or CBS "
                         f"code (buurten: {', '.join(buurten)})")
    return hit
