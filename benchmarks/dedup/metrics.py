"""Pairwise precision / recall / F1 of a clustering against labels, and the baseline matcher."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted_pairs: int
    true_pairs: int


def _pairs(counts: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def pairwise(labels: dict[str, str], predicted: dict[str, str]) -> Scores:
    """Pairs in one predicted cluster vs pairs in one true cluster."""
    both = Counter((labels[i], predicted[i]) for i in labels)
    tp = _pairs(both)
    pred = _pairs(Counter(predicted[i] for i in labels))
    true = _pairs(Counter(labels.values()))
    p = tp / pred if pred else 1.0
    r = tp / true if true else 1.0
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0, tp, pred, true)


def error_pairs(records: list[dict], predicted: dict[str, str]):
    """(false positive pairs, false negative pairs) as record pairs."""
    fp, fn = [], []
    by_pred: dict[str, list[dict]] = {}
    by_label: dict[str, list[dict]] = {}
    for r in records:
        by_pred.setdefault(predicted[r["id"]], []).append(r)
        by_label.setdefault(r["label"], []).append(r)
    for group in by_pred.values():
        fp.extend((a, b) for a, b in combinations(group, 2) if a["label"] != b["label"])
    for group in by_label.values():
        fn.extend(
            (a, b) for a, b in combinations(group, 2) if predicted[a["id"]] != predicted[b["id"]]
        )
    return fp, fn


def baseline(records: list[dict]) -> dict[str, str]:
    """Exact normalised title (case, accents, punctuation, spaces) within one kind."""

    def norm(text: str) -> str:
        text = unicodedata.normalize("NFKD", text.casefold())
        text = "".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c))
        return " ".join(text.split())

    return {r["id"]: f"{r['kind']}|{norm(r['title'])}" for r in records}
