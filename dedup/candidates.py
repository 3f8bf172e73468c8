"""Candidate pairs of blocks: which pairs of a block are worth scoring, with their title score.

Title-token blocks pass pairs whose title similarity reaches ``title_threshold``; geo and buurt
blocks also pass pairs that start at the same clock time (``same_time_minutes``); URL blocks pass
every pair. Records of one source are never paired. Small blocks are compared pair by pair,
larger ones with ``rapidfuzz.process.cdist``; both give the title score ``Scorer.title`` gives.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process

from tim.config.dedup import DedupSettings

from .features import Features
from .scoring import Scorer
from .variants import refine

#: Blocks up to this size are compared pair by pair; larger ones with ``process.cdist``.
SMALL_BLOCK = 8
#: Under the cutoff, a pair of a small title-token block is looked at word by word from this
#: rapidfuzz score up (a compound with extra words scores 45-60; unrelated titles lower).
_WORDS_FLOOR = 40.0

Pair = tuple[str, str]


def candidate_pairs(
    blocks: dict[tuple, list[str]],
    feats: dict[str, Features],
    scorer: Scorer,
    settings: DedupSettings,
    probe: set[str] | None = None,
) -> dict[Pair, float]:
    """(a, b) with a < b -> title score, for every pair some block passes (only pairs with a
    ``probe`` record when given)."""
    found: dict[Pair, float] = {}
    for key, members in blocks.items():
        kind = key[0]
        cutoff = 0.0 if kind == "u" else settings.title_threshold
        window = settings.same_time_minutes if kind in ("g", "b") else None
        rows = members if probe is None else [m for m in members if m in probe]
        stem = key[3] if kind == "t" else None
        if len(members) <= SMALL_BLOCK:
            _small_block(rows, members, probe, cutoff, window, feats, scorer, found, kind == "t", stem)
        else:
            _large_block(rows, members, cutoff, window, feats, found, stem)
    return found


def _small_block(rows, members, probe, cutoff, window, feats, scorer, found, words: bool = False,
                 stem: str | None = None) -> None:
    """Pair by pair (cheaper than ``process.cdist`` for a handful of records). In a title-token
    block (``words``), a pair under the cutoff also passes when its words make one title part of
    the other (a compound with extra words: ``Taal Café voor anderstaligen`` / ``Taalcafé``), from
    rapidfuzz's ``_WORDS_FLOOR`` up, or whatever rapidfuzz says when the block's ``stem`` is a
    translation of one title's English word (``Volunteer gardener`` in the block of ``tuinman``)."""
    title = scorer.title
    for a in rows:
        fa = feats[a]
        for b in members:
            if b == a or (b < a and (probe is None or b in probe)):
                continue
            key = (a, b) if a < b else (b, a)
            if key in found:
                continue
            fb = feats[b]
            if fa.rec.source_id == fb.rec.source_id:
                continue
            score = title(fa, fb)
            if score >= cutoff or (
                window is not None and fa.timed and fb.timed and abs(fa.start - fb.start) <= window
            ) or (words and (score >= _WORDS_FLOOR or stem in fa.lexical or stem in fb.lexical)
                  and refine(fa.title, fb.title, score)[0] >= cutoff):
                found[key] = score


def _large_block(rows, members, cutoff, window, feats, found, stem: str | None = None) -> None:
    """With ``process.cdist``; geo and buurt blocks also pass the pairs with the same start. In the
    block of a title-token ``stem`` that is a translation of a title's English word, that title is
    also compared word by word with every member under the cutoff."""
    titles = [feats[m].title for m in members]
    row_titles = titles if rows is members else [feats[m].title for m in rows]
    matrix = title_matrix(row_titles, titles, cutoff if window is None else 0.0)
    if not cutoff:  # URL block: every pair
        passing = np.ones(matrix.shape, dtype=bool)
    else:
        passing = matrix >= cutoff
        if window is not None:
            starts = np.array([_start(feats[m]) for m in members])
            row_starts = starts if rows is members else np.array([_start(feats[m]) for m in rows])
            passing |= np.abs(row_starts[:, None] - starts[None, :]) <= window
    if stem is not None and cutoff:
        lexical = {i for i, m in enumerate(rows) if stem in feats[m].lexical}
        col_lexical = lexical if rows is members else {
            j for j, m in enumerate(members) if stem in feats[m].lexical}
        for i in range(len(rows)) if lexical or col_lexical else ():
            for j in range(len(members)) if i in lexical else col_lexical:
                if not passing[i, j] and rows[i] != members[j] and refine(
                        row_titles[i], titles[j], float(matrix[i, j]))[0] >= cutoff:
                    passing[i, j] = True
                    if rows is members:
                        passing[j, i] = True
    if rows is members:
        passing = np.triu(passing, 1)
    ii, jj = np.nonzero(passing)
    for i, j, score in zip(ii.tolist(), jj.tolist(), matrix[ii, jj].tolist()):
        a, b = rows[i], members[j]
        if a == b:
            continue
        key = (a, b) if a < b else (b, a)
        if key not in found and feats[a].rec.source_id != feats[b].rec.source_id:
            found[key] = score


def _start(f: Features) -> float:
    """Start minute of a timed record, NaN otherwise (never within a window of anything)."""
    return f.start if f.timed else float("nan")  # type: ignore[return-value]


def title_matrix(rows: list, cols: list, cutoff: float) -> np.ndarray:
    """Title similarity of every row title with every column title, as ``Scorer.title`` computes
    it pair by pair: token_set_ratio (with and without places) and ratio of the space-free forms."""
    def cdist(attr: str, scorer) -> np.ndarray:
        return process.cdist([getattr(t, attr) for t in rows], [getattr(t, attr) for t in cols],
                             scorer=scorer, score_cutoff=cutoff, dtype=np.float64)

    matrix = cdist("text", fuzz.token_set_ratio)
    np.maximum(matrix, cdist("compact", fuzz.ratio), out=matrix)
    if any(t.full != t.text for t in cols) or any(t.full != t.text for t in rows):
        np.maximum(matrix, cdist("full", fuzz.token_set_ratio), out=matrix)
    return matrix
