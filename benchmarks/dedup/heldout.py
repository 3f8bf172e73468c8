"""Title variants in de-duplication, on hand-written pairs the code never reads.

``python benchmarks/dedup/heldout.py`` (also run by ``benchmarks/dedup/run.py``) scores six sets
(see ``HELDOUT.md``):

* ``tuning_pairs.csv``: looked at while tuning ("tuned");
* ``tuning3_pairs.csv``: a second tuning set, written apart from the rules and then looked at
  while tuning ("tuned 3");
* ``tuning4_pairs.csv``: a third tuning set, written apart from the rules on 2026-12-07; its first
  scores (before any rule was changed on it) are in ``HELDOUT.md`` ("tuned 4");
* ``heldout_pairs.csv``: the first held-out set, scored once and then looked at while the rules
  were tuned again ("spent held-out": it counts as tuned);
* ``heldout2_pairs.csv``: a fresh held-out set, written apart from the rules ("held-out"). Only
  its aggregate figures are printed, never its pairs, classes or errors; the targets are judged
  on this row and the next;
* ``heldout3_pairs.csv``: a second fresh held-out set (2026-12-08), aggregate figures only; its
  vacancy dates are posting dates (``POSTING_DATES``).
 Each pair is clustered on its own by a fresh ``Deduplicator``
with the default settings, so blocking has to find it like any other pair: a positive pair is
found when both records end in one cluster, a negative one is wrong when they do. Precision and
recall are over the labelled pairs; errors are listed by class.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tim.config import DedupSettings
from tim.dedup import Deduplicator, DedupRecord

HERE = Path(__file__).resolve().parent
TZ = ZoneInfo("Europe/Amsterdam")
#: (label, file, errors may be shown): the fresh held-out sets never show their pairs.
SETS = (("tuned", "tuning_pairs.csv", True), ("tuned 3", "tuning3_pairs.csv", True),
        ("tuned 4", "tuning4_pairs.csv", True),
        ("spent held-out", "heldout_pairs.csv", True),
        ("held-out", "heldout2_pairs.csv", False),
        ("held-out 3", "heldout3_pairs.csv", False))
#: Sets whose vacancy dates are posting dates (their HELDOUT.md entry says so): a posting date is a
#: record's ``published_at`` in the pipeline (``datePosted``), which matching does not compare, so
#: those records get no start. The other sets' vacancy dates are the vacancy's own date.
POSTING_DATES = frozenset({"heldout3_pairs.csv"})


def load(name: str) -> list[dict]:
    with (HERE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def record(row: dict, side: str, posting_dates: bool = False) -> DedupRecord:
    start = "" if posting_dates and row["kind"] == "vacancy" else row[f"{side}_start"]
    starts_at = datetime.fromisoformat(start).replace(tzinfo=TZ) if start else None
    place = row[f"{side}_place"]
    lat = lon = buurt = None
    if place.startswith("buurt:"):
        buurt = place[6:]
    elif place:
        lat, lon = (float(v) for v in place.split(","))
    return DedupRecord(id=f"{row['pair']}{side}", source_id=row[f"{side}_source"], kind=row["kind"],
                       title=row[f"{side}_title"], starts_at=starts_at, lat=lat, lon=lon, buurt_code=buurt,
                       organizer=row[f"{side}_organizer"] or None)


def evaluate(rows: list[dict], settings: DedupSettings | None = None, posting_dates: bool = False):
    settings = settings or DedupSettings()
    tp = fp = fn = tn = 0
    errors: list[tuple[str, str, str, str]] = []
    by_class: Counter = Counter()
    for row in rows:
        a, b = record(row, "a", posting_dates), record(row, "b", posting_dates)
        res = Deduplicator(settings).cluster([a, b])
        merged = res.assignments[a.id] == res.assignments[b.id]
        same = row["label"] == "same"
        tp += same and merged
        fn += same and not merged
        fp += (not same) and merged
        tn += (not same) and not merged
        if merged != same:
            by_class[row["class"]] += 1
            errors.append(("missed" if same else "false merge", row["class"], a.title, b.title))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"pairs": len(rows), "positives": tp + fn, "negatives": fp + tn, "tp": tp, "fp": fp, "fn": fn,
            "precision": precision, "recall": recall}, by_class, errors


def report(show: int = 20) -> None:
    print("title variants (hand-written pairs, read by no module; HELDOUT.md), each pair on its own:")
    print("  tuned: looked at while tuning; spent held-out: scored before, looked at while tuning this")
    print("  session (counts as tuned); held-out: fresh, aggregate figures only, the targets are judged here")
    print(f"  {'set':<16}{'pairs':>6}{'same':>6}{'diff':>6}{'found':>7}{'missed':>8}{'false merges':>14}"
          f"{'precision':>11}{'recall':>8}  target (held-out)")
    for label, name, may_show in SETS:
        if not (HERE / name).exists():
            print(f"  {label}: {name} not present")
            continue
        m, by_class, errors = evaluate(load(name), posting_dates=name in POSTING_DATES)
        met = m["precision"] >= 0.99 and m["recall"] >= 0.97
        print(f"  {label:<16}{m['pairs']:>6}{m['positives']:>6}{m['negatives']:>6}{m['tp']:>7}{m['fn']:>8}"
              f"{m['fp']:>14}{m['precision']:>11.4f}{m['recall']:>8.4f}  precision >= 0.99, recall >= 0.97 -> "
              f"{'MET' if met else 'MISSED'}")
        if not may_show:
            continue  # the fresh held-out set: never its pairs or classes, whatever --show says
        if by_class:
            print(f"      errors by class: {dict(by_class)}")
        for kind, cls, ta, tb in errors[:show]:
            print(f"      [{label} {kind} {cls}] {ta!r} | {tb!r}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=20,
                    help="errors listed per set, tuned and spent held-out only (never the fresh held-out set)")
    report(ap.parse_args().show)


if __name__ == "__main__":
    main()
