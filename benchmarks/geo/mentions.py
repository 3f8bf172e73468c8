"""Buurt mentions in sentences, on hand-written sets the code never reads.

``python benchmarks/geo/mentions.py`` (also run by ``benchmarks/geo/run.py``) scores seven sets
(see ``HELDOUT.md``):

* ``tuning_mentions.csv``: looked at while the mention rules were tuned ("tuned");
* ``tuning3_mentions.csv``: a second tuning set, written apart from the rules and then looked at
  while tuning ("tuned 3");
* ``tuning4_mentions.csv``: a third tuning set, written apart from the rules on 2026-12-07; its first
  scores (before any rule was changed on it) are in ``HELDOUT.md`` ("tuned 4");
* ``tuning5_mentions.csv``: a fourth tuning set, written apart from the rules on 2026-12-08 with
  the emphasis on texts that must get no buurt; its first scores are in ``HELDOUT.md``, and no
  rule has been changed on it yet ("tuning 5");
* ``heldout_mentions.csv``: the first held-out set, scored once and then looked at while the rules
  were tuned again ("spent held-out": it counts as tuned);
* ``heldout2_mentions.csv``: a fresh held-out set, written apart from the rules ("held-out"). Only
  its aggregate figures are printed, never its texts or errors (so that nobody tunes on them);
  the targets are judged on this row.
* ``heldout3_mentions.csv``: a second fresh held-out set, written apart from the rules on
  2026-12-08 ("held-out 3"), aggregate figures only, like ``heldout2_mentions.csv``.

False buurten are also counted by what placed them (an aggregate, printed for every set): a buurt
name read in the text (``buurt_name``), or a venue, street or address the text names (``venue``,
``street``, ``address_point``...), which the locator is meant to place. A mention counts as
correct when the chain gives the buurt named (or, for ``wijk:<name>``, no buurt and that wijk);
a no-place or out-of-area text is correct when it gets no buurt. A buurt given to a no-place or
out-of-area text is a *false buurt*.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

from tim.geo import Locator

HERE = Path(__file__).resolve().parent
#: (label, file, errors may be shown): the fresh held-out set never shows its texts.
SETS = (("tuned", "tuning_mentions.csv", True), ("tuned 3", "tuning3_mentions.csv", True),
        ("tuned 4", "tuning4_mentions.csv", True), ("tuning 5", "tuning5_mentions.csv", True),
        ("spent held-out", "heldout_mentions.csv", True),
        ("held-out", "heldout2_mentions.csv", False),
        ("held-out 3", "heldout3_mentions.csv", False))


def load(name: str) -> list[dict]:
    with (HERE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def evaluate(locator: Locator, rows: list[dict]) -> tuple[dict[str, Counter], list[tuple]]:
    by_name = {b.name: b.code for b in locator.b.buurten}
    import tim.geo.data as gdata

    for r in gdata.read_csv("maastricht_buurt_names.csv"):
        if r["buurtcode"]:
            by_name.setdefault(r["buurtnaam_cbs"], r["buurtcode"])
    wijk_by_name = {b.wijk_name: b.wijk_code for b in locator.b.buurten}
    per: dict[str, Counter] = {}
    errors = []
    for r in rows:
        res = locator.explain(r["text"], trace=False)
        ref = r["reference"]
        c = per.setdefault(r["category"], Counter())
        c["n"] += 1
        if ref.startswith("wijk:"):
            ok = res.buurt_code is None and res.wijk_code == wijk_by_name[ref[5:]]
        elif ref:
            ok = res.buurt_code == by_name[ref]
        else:
            ok = res.buurt_code is None
        if ok:
            c["ok"] += 1
        else:
            c["false_buurt" if (not ref and res.buurt_code) else "wrong" if res.buurt_code else "missed"] += 1
            if not ref and res.buurt_code:  # what placed it: a buurt name read, or a venue/street/address
                c["by:" + res.method] += 1
            errors.append((r["category"], r["text"], ref or "no buurt", res.buurt_name or res.wijk_code or "none"))
    return per, errors


def report(locator: Locator, show: int = 20) -> None:
    print("buurt mentions in sentences (hand-written sets, read by no module; HELDOUT.md):")
    print("  tuned: looked at while tuning; spent held-out: scored before, looked at while tuning this")
    print("  session (counts as tuned); held-out: fresh, aggregate figures only, the targets are judged here")
    print(f"  {'set':<16}{'category':<13}{'n':>5}{'correct':>9}{'missed':>8}{'wrong':>7}{'false buurt':>13}"
          f"{'accuracy':>10}  target")
    for label, name, may_show in SETS:
        if not (HERE / name).exists():
            print(f"  {label}: {name} not present")
            continue
        per, errors = evaluate(locator, load(name))
        for cat, c in per.items():
            acc = c["ok"] / c["n"]
            if cat == "mention":
                tgt = f">= 98% -> {'MET' if acc >= 0.98 else 'MISSED'}"
            else:
                tgt = f"0 false buurten -> {'MET' if c['false_buurt'] == 0 else 'MISSED'}"
            print(f"  {label:<16}{cat:<13}{c['n']:>5}{c['ok']:>9}{c['missed']:>8}{c['wrong']:>7}"
                  f"{c['false_buurt']:>13}{acc:>10.1%}  {tgt}")
            by = sorted((k[3:], v) for k, v in c.items() if k.startswith("by:"))
            if by:  # an aggregate: the fresh sets' texts stay unseen
                print(f"  {'':<16}{'':<13}false buurten by what placed them: "
                      + ", ".join(f"{m} {v}" for m, v in by))
        if not may_show:
            continue  # the fresh held-out set: never its texts, whatever --show says
        for cat, text, ref, got in errors[:show]:
            print(f"      [{label} {cat}] {text!r}: {ref} -> {got}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=20,
                    help="errors listed per set, tuned and spent held-out only (never the fresh held-out set)")
    args = ap.parse_args()
    report(Locator.load(), args.show)


if __name__ == "__main__":
    main()
