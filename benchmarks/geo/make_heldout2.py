"""Write the fresh held-out address set ``benchmarks/geo/heldout2_addresses.jsonl`` (issue 14).

Run: ``python benchmarks/geo/make_heldout2.py`` (deterministic: seeded). Drawn before the address
rules were changed a second time, and committed before them; see ``benchmarks/geo/HELDOUT.md``.

The pool is every address point of the gazetteer (``data/maastricht_osm_poi_addresses.csv``) whose
street + number is *not* among the ``well_formed`` inputs of ``geo_benchmark.jsonl``, filtered as
``make_dataset.py`` filters its addresses (a number that starts with a digit, not the spreadsheet
artefact ``4-Feb``, a point inside the bundled polygons). The reference is the buurt the address's
own point lies in (point-in-polygon on the bundled CBS 2024 polygons), as for ``well_formed``. The
text is ``Street N, 1234 AB Maastricht`` when the point has a postcode, else ``Street N,
Maastricht`` (no postcode is invented). ``benchmarks/geo/addresses.py`` locates each one with its
own point taken out of the gazetteer, like the leave-one-out rows.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from tim.geo import data

HERE = Path(__file__).resolve().parent
OUT = HERE / "heldout2_addresses.jsonl"
rng = random.Random(20261203)


def main() -> None:
    b = data.bundled_boundaries()
    with (HERE / "geo_benchmark.jsonl").open(encoding="utf-8") as fh:
        used = {r["text"].split(",")[0] for r in map(json.loads, fh) if r["category"] == "well_formed"}
    pool: dict[tuple[str, str], dict] = {}
    for r in data.read_csv("maastricht_osm_poi_addresses.csv"):
        key = (r["street"], r["housenumber"])
        if f"{r['street']} {r['housenumber']}" in used:
            continue
        if not re.match(r"\d", r["housenumber"]) or r["housenumber"] == "4-Feb":
            continue
        if key not in pool or (r["postcode"] and not pool[key]["postcode"]):
            pool[key] = r  # one row per street + number; the one with a postcode if any
    rows = []
    for (street, hn), r in sorted(pool.items()):
        idx = b.locate(float(r["lon"]), float(r["lat"]))
        if idx < 0:
            continue
        pc = r["postcode"]
        text = f"{street} {hn}, {pc[:4]} {pc[4:]} Maastricht" if pc else f"{street} {hn}, Maastricht"
        rows.append({"text": text, "ref_buurt": b.codes[idx], "ref_source": f"OSM {r['osm_id']} point"})
    rng.shuffle(rows)
    with OUT.open("w", encoding="utf-8") as fh:
        for k, r in enumerate(rows, 1):
            fh.write(json.dumps({"id": f"heldout2-{k:04d}", **r}, ensure_ascii=False) + "\n")
    with_pc = sum(1 for r in rows if not r["text"].endswith(", Maastricht"))
    print(f"wrote {len(rows)} addresses ({with_pc} with a postcode) in {len({r['ref_buurt'] for r in rows})} "
          f"buurten to {OUT.name}")


if __name__ == "__main__":
    main()
