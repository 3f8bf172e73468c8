"""Stable cluster ids across runs and operator overrides kept across re-runs (issue 5, item 5)."""

from __future__ import annotations

import hashlib

import pytest

from tim.config import DedupSettings
from tim.dedup import Deduplicator

from .helpers import MALBERG, WYCK, cluster, event, together


def repair_cafe(source: str, n: int = 1):
    return event(f"{source}-{n}", source, "Repair Café Malberg", 14, MALBERG)


def film(source: str):
    return event(
        f"{source}-film",
        source,
        "Filmavond Wyck",
        20,
        WYCK,
        hour=20,
        description_text="Een film op groot doek, met popcorn en een nagesprek.",
    )


def test_new_cluster_id_is_derived_from_its_smallest_member():
    result = cluster([repair_cafe("uitagenda"), repair_cafe("trajekt")])
    expected = "c-" + hashlib.sha1(b"trajekt-1").hexdigest()[:16]
    assert set(result.assignments.values()) == {expected}


def test_cluster_keeps_its_id_when_a_member_leaves_or_joins():
    first = cluster(
        [repair_cafe("trajekt"), repair_cafe("uitagenda"), repair_cafe("gemeente"), film("trajekt")]
    )
    cid = first.assignments["trajekt-1"]
    film_id = first.assignments["trajekt-film"]
    assert together(first, "trajekt-1", "uitagenda-1", "gemeente-1")

    # the smallest member (whose hash named the cluster) leaves: the id stays
    second = cluster(
        [repair_cafe("uitagenda"), repair_cafe("gemeente"), film("trajekt")],
        previous=first.assignments,
    )
    assert second.assignments["uitagenda-1"] == second.assignments["gemeente-1"] == cid
    assert second.assignments["trajekt-film"] == film_id

    # a new source joins: the id stays
    third = cluster(
        [
            repair_cafe("uitagenda"),
            repair_cafe("gemeente"),
            repair_cafe("wijkplatform"),
            film("trajekt"),
        ],
        previous=second.assignments,
    )
    assert {third.assignments[i] for i in ("uitagenda-1", "gemeente-1", "wijkplatform-1")} == {cid}
    assert third.assignments["trajekt-film"] == film_id


def test_split_cluster_larger_part_keeps_the_id_and_retired_ids_are_not_reused():
    records = [repair_cafe("trajekt"), repair_cafe("uitagenda"), repair_cafe("gemeente")]
    first = cluster(records)
    cid = first.assignments["gemeente-1"]
    # the operator takes one record out; the other two keep the id, the one alone gets a new id
    second = cluster(records, previous=first.assignments, overrides=[("split", "gemeente-1", None)])
    assert second.assignments["trajekt-1"] == second.assignments["uitagenda-1"] == cid
    assert second.assignments["gemeente-1"] not in (cid,)
    # "c-" + hash("gemeente-1") was the old cluster id: the split-off record gets a salted one
    assert second.assignments["gemeente-1"] == "c-" + hashlib.sha1(b"gemeente-1#1").hexdigest()[:16]


def test_split_override_is_kept_on_every_rerun():
    records = [repair_cafe("trajekt"), repair_cafe("uitagenda"), repair_cafe("gemeente")]
    overrides = [("split", "uitagenda-1", None)]
    dedup = Deduplicator(DedupSettings())
    first = dedup.cluster(records, overrides=overrides)
    assert together(first, "trajekt-1", "gemeente-1") and not together(
        first, "trajekt-1", "uitagenda-1"
    )
    # a full re-run (fresh instance), and an incremental re-run with a new duplicate
    again = cluster(records, previous=first.assignments, overrides=overrides)
    changed = dedup.cluster(
        records + [repair_cafe("wijkplatform")],
        previous=first.assignments,
        overrides=overrides,
        changed={"wijkplatform-1"},
    )
    for result in (again, changed):
        assert len({v for k, v in result.assignments.items() if k != "uitagenda-1"}) == 1
        assert result.assignments["uitagenda-1"] != result.assignments["trajekt-1"]
    kinds = {(d.a, d.b): d.decision for d in changed.decisions}
    assert kinds[("trajekt-1", "uitagenda-1")] == "override_split"


def test_merge_override_is_kept_on_every_rerun_even_within_one_source():
    a, b = repair_cafe("trajekt"), film("trajekt")  # unrelated, and the same source
    overrides = [("merge", "trajekt-1", "trajekt-film")]
    dedup = Deduplicator(DedupSettings())
    first = dedup.cluster([a, b], overrides=overrides)
    assert together(first, "trajekt-1", "trajekt-film")
    (decision,) = first.decisions
    assert decision.decision == "override_merge" and decision.reasons["veto"] == "same_source"
    again = cluster(
        [a, b, repair_cafe("uitagenda")], previous=first.assignments, overrides=overrides
    )
    assert together(again, "trajekt-1", "trajekt-film", "uitagenda-1")
    incremental = dedup.cluster(
        [a, b, repair_cafe("uitagenda")],
        previous=first.assignments,
        overrides=overrides,
        changed={"uitagenda-1"},
    )
    assert incremental.assignments == again.assignments
    # a later split of one item cancels the merge
    undone = cluster(
        [a, b], previous=first.assignments, overrides=overrides + [("split", "trajekt-film", None)]
    )
    assert not together(undone, "trajekt-1", "trajekt-film")


def test_unknown_override_action_is_an_error():
    with pytest.raises(ValueError, match="unknown dedup override"):
        cluster([repair_cafe("trajekt")], overrides=[("join", "trajekt-1", None)])
