"""Incremental runs re-score only what changed and give the result of a full run (issue 5, item 5
and the incremental target)."""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import datetime
from pathlib import Path

import pytest

from tim.config import DedupSettings
from tim.dedup import Deduplicator, DedupRecord

LABELLED = Path(__file__).resolve().parents[2] / "benchmarks" / "dedup" / "labelled.jsonl"
FIELDS = {f.name for f in dataclasses.fields(DedupRecord)}


def load() -> list[DedupRecord]:
    out = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        d = {k: v for k, v in json.loads(line).items() if k in FIELDS}
        for k in ("starts_at", "ends_at"):
            if d.get(k):
                d[k] = datetime.fromisoformat(d[k])
        d["urls_in_text"] = tuple(d.get("urls_in_text") or ())
        out.append(DedupRecord(**d))
    return out


def decisions(result) -> set[tuple]:
    return {(d.a, d.b, d.decision, d.score) for d in result.decisions}


@pytest.mark.parametrize("max_block_size", [150, 6])  # 6: blocks cross the size limit on the way
def test_incremental_run_equals_full_run(max_block_size):
    settings = DedupSettings(max_block_size=max_block_size)
    records = load()
    rng = random.Random(5)
    rng.shuffle(records)
    base, new = records[: len(records) * 9 // 10], records[len(records) * 9 // 10 :]
    removed = {r.id for r in base[:8]}
    edited = {r.id: dataclasses.replace(r, title=r.title + " (gewijzigd)") for r in base[8:14]}
    edited.update(
        {
            r.id: dataclasses.replace(r, title="Buurtfeest", starts_at=base[0].starts_at)
            for r in base[14:16]
        }
    )
    final = [edited.get(r.id, r) for r in base if r.id not in removed] + new
    overrides = [("split", base[20].id, None), ("merge", base[21].id, base[22].id)]

    dedup = Deduplicator(settings)
    first = dedup.cluster(base)
    incremental = dedup.cluster(
        final,
        previous=first.assignments,
        overrides=overrides,
        changed=set(edited) | {r.id for r in new},
    )
    full = Deduplicator(settings).cluster(final, previous=first.assignments, overrides=overrides)

    assert incremental.stats["mode"] == "incremental"
    assert incremental.stats["rescored_records"] < len(final) / 2
    assert incremental.assignments == full.assignments
    assert decisions(incremental) == decisions(full)


def test_unchanged_rerun_rescores_nothing_and_keeps_everything():
    records = load()
    dedup = Deduplicator(DedupSettings())
    first = dedup.cluster(records)
    again = dedup.cluster(records, previous=first.assignments, changed=set())
    assert again.stats["rescored_records"] == 0
    assert again.stats["reclustered_records"] == 0
    assert again.assignments == first.assignments
    assert decisions(again) == decisions(first)


def test_fresh_instance_with_changed_scores_everything_with_the_same_result():
    records = load()[:300]
    first = Deduplicator(DedupSettings()).cluster(records)
    again = Deduplicator(DedupSettings()).cluster(
        records, previous=first.assignments, changed={records[0].id}
    )
    assert again.stats["mode"] == "full"
    assert again.assignments == first.assignments
