"""Write the labelled dedup benchmark set: ``python benchmarks/dedup/generate.py``.

Writes ``benchmarks/dedup/labelled.jsonl`` (committed): one record per line with the fields of
``dedup.DedupRecord`` plus ``label`` (the true initiative) and ``tags`` (which hard case it is).
Deterministic: the same seed writes the same file.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from synth import generate

OUT = Path(__file__).with_name("labelled.jsonl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1300, help="about this many records")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    records = generate(args.records, seed=args.seed)
    with args.output.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
    labels = Counter(r["label"] for r in records)
    print(
        f"{len(records)} records, {len(labels)} initiatives "
        f"({sum(1 for n in labels.values() if n > 1)} listed "
        f"more than once), {len({r['source_id'] for r in records})} sources -> {args.output}"
    )
    print("kinds:", dict(Counter(r["kind"] for r in records)))
    print("sources:", dict(Counter(r["source_id"] for r in records)))
    print("tags:", dict(Counter(t for r in records for t in r["tags"])))


if __name__ == "__main__":
    main()
