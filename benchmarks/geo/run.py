"""Geo benchmark: accuracy per category, confusion of wrong assignments, chain speed, PIP speed.

Run: ``python benchmarks/geo/run.py [--seconds 2]`` (after ``make_dataset.py``). Prints:

- accuracy per category (reference = the buurt of the input's own point, or the buurt named; for
  out_of_area / no_place the reference is "no buurt"), with wrong and abstained counts;
- ``well_formed_holdout``: the well-formed addresses again, each located by a gazetteer that does
  NOT contain that address (2 folds: half of all address points gone at once), so the chain must
  fall back to PC6 / street;
- buurt mentions on hand-written sentences the code never reads, "tuned", "spent held-out" (the
  first held-out set, looked at while tuning since: counts as tuned) and "held-out" (the fresh
  set, aggregate figures only) (``mentions.py``), and the well-formed addresses leave-one-out, split into a "tuned" and a
  "held-out" half (``addresses.py``): the honest figures;
- the confusion of wrong assignments (reference -> assigned);
- inputs/s of the offline chain (``Locator.explain`` without tracing, one core);
- point-in-polygon: vectorised STRtree + ``shapely.contains_xy`` (batch) and the per-point ``locate``
  (one ``contains_xy`` over all prepared polygons) against a
  naive loop over every polygon with ``polygon.contains(Point)``, same points, same run.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Point

HERE = Path(__file__).resolve().parent

import sys

sys.path.insert(0, str(HERE))  # mentions.py and addresses.py beside this script
import addresses  # noqa: E402
import mentions  # noqa: E402

from tim.geo import Locator  # noqa: E402
from tim.geo.gazetteer import Gazetteer  # noqa: E402

TARGETS = {"well_formed": 0.99, "messy": 0.95, "venue": 0.95, "buurt_mention": 0.95,
           "out_of_area": 1.0, "no_place": 1.0}


def load_rows() -> list[dict]:
    with (HERE / "geo_benchmark.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def score(rows, predict) -> tuple[dict, Counter]:
    per: dict[str, Counter] = defaultdict(Counter)
    confusion: Counter = Counter()
    for r in rows:
        got = predict(r["text"])
        ref = r["ref_buurt"]
        c = per[r["category"]]
        c["n"] += 1
        if got == ref:
            c["ok"] += 1
        elif got is None:
            c["abstain"] += 1
        else:
            c["wrong"] += 1
            confusion[(r["category"], ref, got, r["text"])] += 1
    return per, confusion


def print_table(per: dict[str, Counter], names: dict[str, str]) -> None:
    print(f"{'category':<22}{'n':>6}{'correct':>9}{'wrong':>7}{'no buurt':>10}{'accuracy':>10}  target")
    for cat, c in per.items():
        acc = c["ok"] / c["n"]
        target = TARGETS.get(cat)
        if cat in ("out_of_area", "no_place"):
            tgt = f"0 assigned -> {'MET' if c['wrong'] == 0 else 'MISSED'}"
        elif target:
            tgt = f">= {target:.0%} -> {'MET' if acc >= target else 'MISSED'}"
        else:
            tgt = "(no target)"
        print(f"{cat:<22}{c['n']:>6}{c['ok']:>9}{c['wrong']:>7}{c['abstain']:>10}{acc:>10.1%}  {tgt}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=2.0, help="minimum seconds per speed measurement")
    ap.add_argument("--show-wrong", type=int, default=25, help="wrong assignments listed at most")
    args = ap.parse_args()

    rows = load_rows()
    logging.getLogger("tim.geo").setLevel(logging.ERROR)  # hold-out folds drop alias targets on purpose
    t0 = time.perf_counter()
    locator = Locator.load()
    load_s = time.perf_counter() - t0
    b = locator.b
    names = {x.code: x.name for x in b.buurten}
    print(f"geo benchmark: {len(rows)} inputs; boundaries {locator.boundary_version}; Locator.load {load_s:.2f} s\n")

    def predict(text: str, loc: Locator = locator) -> str | None:
        return loc.explain(text, trace=False).buurt_code

    per, confusion = score(rows, predict)

    # hold-out: addresses unknown to the gazetteer (2 folds)
    wf = [r for r in rows if r["category"] == "well_formed"]
    hold: dict[str, Counter] = {}
    for fold_no in (0, 1):
        part = wf[fold_no::2]
        exclude = {(r["text"].split(",")[0].rsplit(" ", 1)[0], r["text"].split(",")[0].rsplit(" ", 1)[1]) for r in part}
        gaz = Gazetteer(b, exclude_addresses=exclude)
        loc = Locator(b, gaz)
        p, c = score([{**r, "category": "well_formed_holdout"} for r in part],
                     lambda t, loc=loc: loc.explain(t, trace=False).buurt_code)
        for k, v in p.items():
            hold.setdefault(k, Counter()).update(v)
        confusion.update(c)
    per.update(hold)
    print_table(per, names)
    buurt_cats = [c for c in ("well_formed", "messy", "postcode_only", "venue", "buurt_mention", "coordinates")]
    placed = sum(per[c]["ok"] + per[c]["wrong"] for c in buurt_cats)
    wrong = sum(per[c]["wrong"] for c in buurt_cats)
    print(f"\nprecision of assigned buurten (buurt categories): {(placed - wrong) / max(placed, 1):.2%} "
          f"({wrong} wrong of {placed} assigned)")

    print(f"\nconfusion of wrong assignments (reference -> assigned), {sum(confusion.values())} in all:")
    pairs = Counter()
    for (cat, ref, got, _text), n in confusion.items():
        pairs[(cat, names.get(ref, ref or 'no buurt'), names.get(got, got))] += n
    for (cat, ref, got), n in pairs.most_common(30):
        print(f"  {n:>3}  {cat:<20} {ref:>22} -> {got}")
    if args.show_wrong:
        print("\nexamples:")
        for (cat, ref, got, text), _n in list(confusion.items())[: args.show_wrong]:
            print(f"  [{cat}] {text!r}: {names.get(ref, ref)} -> {names.get(got, got)}")

    # held out from what the code reads: hand-written sentences, leave-one-out addresses (issue 14)
    print()
    mentions.report(locator, show=0)
    print()
    addresses.report(locator)

    # speed of the offline chain
    texts = [r["text"] for r in rows]
    passes: list[tuple[float, float]] = []  # (wall-clock rate, CPU-time rate) per pass
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < args.seconds or len(passes) < 3:
        t, c = time.perf_counter(), time.process_time()
        for text in texts:
            locator.explain(text, trace=False)
        passes.append((len(texts) / (time.perf_counter() - t), len(texts) / max(time.process_time() - c, 1e-9)))
    wall = sorted(p[0] for p in passes)
    cpu = sorted(p[1] for p in passes)
    print(f"\noffline chain ({len(passes)} passes over all {len(texts)} inputs, one core, no result cache):")
    print(f"  wall clock: best {wall[-1]:,.0f} inputs/s, median {wall[len(wall) // 2]:,.0f} inputs/s")
    print(f"  CPU time:   best {cpu[-1]:,.0f} inputs/s, median {cpu[len(cpu) // 2]:,.0f} inputs/s "
          f"(target >= 20,000 -> {'MET' if cpu[len(cpu) // 2] >= 20000 else 'MISSED'} on the median)")
    print(f"  machine load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")

    # point-in-polygon: vectorised / per point vs naive loop, same points
    rng = np.random.default_rng(7)
    minx, miny, maxx, maxy = shapely.total_bounds(b.geoms)
    lons = rng.uniform(minx, maxx, 20000)
    lats = rng.uniform(miny, maxy, 20000)
    plain = [shapely.from_wkb(g.wkb) for g in b.geoms]  # unprepared copies for the naive loop

    def naive(lon: float, lat: float) -> int:
        p = Point(lon, lat)
        for i, poly in enumerate(plain):
            if poly.contains(p):
                return i
        return -1

    def timed(fn) -> tuple[float, object]:
        t = time.perf_counter()
        out = fn()
        return time.perf_counter() - t, out

    t_naive, r_naive = timed(lambda: np.array([naive(x, y) for x, y in zip(lons, lats)]))
    t_vec, r_vec = timed(lambda: b.locate_many(lons, lats))
    t_one, r_one = timed(lambda: np.array([b.locate(x, y) for x, y in zip(lons, lats)]))
    same = bool((r_naive == r_vec).all() and (r_naive == r_one).all())
    k = len(lons)
    print(f"\npoint-in-polygon, {k:,} random points in the Maastricht box, {len(plain)} polygons (results identical: {same}):")
    print(f"  naive loop (polygon.contains per polygon): {k / t_naive:>12,.0f} points/s")
    print(f"  contains_xy on all polygons, point by point: {k / t_one:>10,.0f} points/s  "
          f"({t_naive / t_one:.1f}x naive)")
    print(f"  STRtree + contains_xy, vectorised batch:    {k / t_vec:>11,.0f} points/s  "
          f"({t_naive / t_vec:.1f}x naive; target >= 5x -> {'MET' if t_naive / t_vec >= 5 else 'MISSED'})")


if __name__ == "__main__":
    main()
