"""Turning a scored pair and the final clusters into an explainable ``Decision``."""

from __future__ import annotations

from tim.config.dedup import DedupSettings

from .clustering import Clustering, Overrides
from .model import Decision
from .scoring import PairScore


def build_decision(
    key: tuple[str, str],
    ps: PairScore,
    same_cluster: bool,
    clustering: Clustering,
    ov: Overrides,
    must: set[tuple[str, str]],
    settings: DedupSettings,
) -> Decision:
    """The decision on pair ``key`` (a < b): its score, the outcome and the rule that decided."""
    a, b = key
    reasons = ps.reasons()
    if same_cluster:
        auto_a, auto_b = clustering.auto_root.get(a, a), clustering.auto_root.get(b, b)
        if key in must:
            decision, rule = "override_merge", "operator_merge"
        elif auto_a != auto_b:
            decision, rule = "override_merge", "operator_merge_of_clusters"
        elif ps.match:
            decision, rule = "merge", _match_rule(ps, settings)
        else:
            decision, rule = "merge", "compatible_with_cluster"
    elif key in ov.cannot or ((a in ov.alone or b in ov.alone) and ps.match):
        decision, rule = "override_split", "operator_split"
    elif ps.veto:
        decision, rule = "apart", "veto"
    elif not ps.match:
        decision = "apart"
        rule = (
            "title<title_threshold"
            if ps.title < settings.title_threshold
            else "score<merge_threshold"
        )
    else:
        decision, rule = "apart", "complete_linkage"
        conflict = clustering.rejected.get(key)
        if conflict:
            reasons["conflict"] = list(conflict)
    reasons["rule"] = rule
    return Decision(a, b, int(ps.score * 10 + 0.5) / 10, decision, reasons)


def _match_rule(ps: PairScore, settings: DedupSettings) -> str:
    """Which branch of ``Scorer._decides`` made the pair a match."""
    if (ps.title >= settings.title_threshold or ps.linked_url) and ps.score >= settings.merge_threshold:
        return "score>=merge_threshold"
    if ps.title_variant == "bilingual_same_context":
        return "bilingual_same_context"
    return "same_start_place_description"
