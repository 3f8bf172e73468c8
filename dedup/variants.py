"""Title variants: compounds, subtitles and Dutch/English twins (``dedup/title_variants.txt``).

Three ways one title is written differently by two sources, and what the matcher does about
each:

* **Compounds** (``Repair Café`` / ``Repaircafé``, ``buurt tuin`` / ``buurttuin``): a title word
  that ends in a known compound head is split in two when the title is normalised
  (``taalcafe`` -> ``taal cafe``), so both spellings share their words, their block keys and their
  rapidfuzz scores; :func:`refine` also joins neighbouring words of one title that spell a word of
  the other (heads the list does not know) and accepts word forms (``fiets``/``fietsen``).
* **Subtitles** (``X: meer info`` / ``X``, ``X (gratis)``): a title is compared as a whole, and
  when only one side has a subtitle (after ``:``, `` - ``, ``|``, ``–``, or in brackets) its main
  part is compared too; what one title adds to the other never counts against a pair.
* **Dutch/English twins** (``Koffieochtend`` / ``Coffee morning``): English words and phrases
  are translated into Dutch when the title is normalised, so the twin shares the Dutch title's
  words (and its blocks).

And what stays apart: when *both* titles have words the other lacks (``Repaircafé`` /
``Breicafé``, ``Kok`` / ``Afwasser buurtrestaurant``, ``Lezing: bijen`` / ``Lezing: vogels``),
:func:`refine` scores the title on the share of words that do meet, which is lower than
rapidfuzz's best alignment of shared characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import re

from rapidfuzz import fuzz

VARIANTS_FILE = Path(__file__).with_name("title_variants.txt")
_MIN_STEM = 4
_TYPO_RATIO = 88.0
_TYPO_MIN_LEN = 6
_DOUBLE_VOWEL = re.compile(r"([aeou])\1")


@dataclass(frozen=True)
class Variants:
    english: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]
    """First English word -> (phrase, Dutch words), longest phrase first."""
    english_words: frozenset[str]
    triggers: frozenset[str]
    """Every word that starts an English phrase or is an English function word."""
    heads: tuple[str, ...]
    """Compound heads, longest first."""
    suffixes: tuple[str, ...]


def _fold(text: str) -> str:
    from .text import fold

    return " ".join(fold(text).split())


@lru_cache(maxsize=1)
def variants() -> Variants:
    from .text import read_sections  # text imports this module: a module-level import would cycle

    sections = read_sections(VARIANTS_FILE, folded=False)
    english: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for line in sections.get("english", []) + sections.get("abbreviations", []):
        if "=" not in line:
            raise ValueError(f"{VARIANTS_FILE.name}: [english] / [abbreviations] line without '=': {line!r}")
        en, nl = (_fold(part) for part in line.split("=", 1))
        words = tuple(en.split())
        same = english.setdefault(words[0], [])
        if any(phrase == words for phrase, _nl in same):  # only the first would ever be used
            raise ValueError(f"{VARIANTS_FILE.name}: {en!r} is given twice in [english] / [abbreviations]")
        same.append((words, tuple(nl.split())))
    english_words = frozenset(_fold(w) for w in sections.get("english_words", []))
    return Variants(
        english={k: tuple(sorted(v, key=lambda p: len(p[0]), reverse=True)) for k, v in english.items()},
        english_words=english_words,
        triggers=frozenset(english) | english_words,
        heads=tuple(sorted({_fold(w) for w in sections.get("heads", [])}, key=len, reverse=True)),
        suffixes=tuple(sorted({_fold(w) for w in sections.get("suffixes", [])}, key=len, reverse=True)),
    )


def translate(tokens: list[str], v: Variants | None = None) -> list[str]:
    """English words and phrases -> Dutch (longest phrase first); English function words dropped."""
    v = v or variants()
    if v.triggers.isdisjoint(tokens):
        return tokens
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        for phrase, dutch in v.english.get(tokens[i], ()):
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                out.extend(dutch)
                i += len(phrase)
                break
        else:
            if tokens[i] not in v.english_words:
                out.append(tokens[i])
            i += 1
    return out


@lru_cache(maxsize=1 << 14)
def _split_word(word: str) -> tuple[str, ...]:
    heads = variants().heads
    for head in heads:
        if len(word) - len(head) >= _MIN_STEM and word.endswith(head):
            return _split_word(word[: -len(head)]) + (head,)
    return (word,)


def split_compounds(tokens: list[str]) -> list[str]:
    """``koffieochtend`` -> ``koffie ochtend`` for every word ending in a known head."""
    out: list[str] = []
    for t in tokens:
        if len(t) > 5 and not t.isdigit():
            out.extend(_split_word(t))
        else:
            out.append(t)
    return out


def _form_of(a: str, b: str, suffixes: tuple[str, ...]) -> bool:
    """``b`` is ``a`` plus a known ending (or the other way round): ``fiets``/``fietsen``."""
    if len(a) > len(b):
        a, b = b, a
    if len(a) >= 4 and b.startswith(a):
        rest = b[len(a):]
        if rest in suffixes:
            return True
        # a short vowel keeps its consonant doubled before an ending: spel/spellen, bus/bussen
        if len(rest) > 1 and rest[0] == a[-1] and a[-1] not in "aeiouy" and rest[1:] in suffixes:
            return True
    # two forms of one stem: geveltuinen / geveltuintjes, hardloop / hardlopen
    return len(a) >= 6 and a[:4] == b[:4] and _stem(a, suffixes) == _stem(b, suffixes)


def _stem(word: str, suffixes: tuple[str, ...]) -> str:
    """The word without a known ending, doubled vowels single (``hardlopen`` and ``hardloop``
    both give ``hardlop``: Dutch spells an open syllable with one vowel)."""
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= 6:
            word = word[: -len(suffix)]
            break
    return _DOUBLE_VOWEL.sub(r"\1", word)


def _unmatched(left: list[str], right: list[str], suffixes: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Words of ``left`` / ``right`` (each title's words the other lacks) that still meet nothing
    after joining neighbours (compounds), word forms and typos."""
    done_l: set[str] = set()
    done_r: set[str] = set()
    for seq, targets, done_seq, done_tgt in ((left, set(right), done_l, done_r), (right, set(left), done_r, done_l)):
        n = len(seq)
        for i in range(n - 1):
            joined = seq[i]
            for j in range(i + 1, min(n, i + 4)):
                joined += seq[j]
                if joined in targets:
                    done_seq.update(seq[i:j + 1])
                    done_tgt.add(joined)
                    break
    for x in left:
        if x in done_l:
            continue
        for y in right:
            if y in done_r:
                continue
            if _form_of(x, y, suffixes) or (
                len(x) >= _TYPO_MIN_LEN and len(y) >= _TYPO_MIN_LEN and fuzz.ratio(x, y) >= _TYPO_RATIO
            ):
                done_l.add(x)
                done_r.add(y)
                break
    return [x for x in left if x not in done_l], [y for y in right if y not in done_r]


@lru_cache(maxsize=1 << 17)
def word_score(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[float, bool]:
    """(score 0-100, one title contains the other) on words: the share of both titles' words that
    meet a word of the other (equal, joined neighbours, a word form, a typo)."""
    sa, sb = set(a), set(b)
    if sa <= sb or sb <= sa:
        return 100.0, True
    v = variants()
    left = [t for t in a if t not in sb]
    right = [t for t in b if t not in sa]
    ul, ur = _unmatched(left, right, v.suffixes)
    if not ul or not ur:
        return 100.0, True
    met = (len(a) - len(ul)) + (len(b) - len(ur))
    return 100.0 * met / (len(a) + len(b)), False


_COMPARED: dict[tuple[str, str], tuple[float, str]] = {}
_COMPARED_MAX = 1 << 17


def _compare(ta, tb) -> tuple[float, str]:
    """(word score, outcome) of two titles that are not subsets of each other: outcome
    ``contained`` (after joins, forms, typos), ``subtitle`` (the other title is in one part of a
    subtitled one) or ``differ``. Cached on the two raw titles (their hashes are cached by Python)."""
    key = (ta.raw, tb.raw)
    hit = _COMPARED.get(key)
    if hit is not None:
        return hit
    score, contained = word_score(ta.words, tb.words)
    out = (score, "contained" if contained else "differ")
    if not contained and (ta.has_sep or tb.has_sep) and (ta.main is None) != (tb.main is None):
        t_sub, t_other = (ta, tb) if ta.main is not None else (tb, ta)
        for part in (t_sub.main, t_sub.sub):
            # the other title is one part of the subtitled one: all its words in that part (a part
            # inside a title that adds words of its own is two titles adding different things)
            if part and _covers(part, t_other.words):
                out = (word_score(part, t_other.words)[0], "subtitle")
                break
    if len(_COMPARED) >= _COMPARED_MAX:
        _COMPARED.clear()
    _COMPARED[key] = out
    return out


@lru_cache(maxsize=1 << 14)
def _covers(whole: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """Every word of ``part`` meets a word of ``whole`` (equal, joined neighbours, a form, a typo)."""
    sw, sp = set(whole), set(part)
    if sp <= sw:
        return True
    ul, _ = _unmatched([t for t in part if t not in sw], [t for t in whole if t not in sp], variants().suffixes)
    return not ul


def refine(ta, tb, base: float) -> tuple[float, str | None]:
    """The title similarity of a pair after looking at its words (``base`` is rapidfuzz's
    ``Scorer.title``): (similarity, variant) where variant names what made two titles one
    (``subtitle``, ``compound``) or why they are not (``words_differ``)."""
    sa, sb = ta.wordset, tb.wordset
    if sa <= sb or sb <= sa:  # one title's words all in the other: the common, cheap case
        return (100.0, "compound") if base < 100.0 else (base, None)
    score, outcome = _compare(ta, tb)
    if outcome == "contained":
        return (score, "compound") if score > base else (base, None)
    if outcome == "subtitle":
        return max(base, score), "subtitle"
    # both titles have words that meet nothing: each says something the other does not, whatever
    # rapidfuzz's alignment of their letters gives (the scorer keeps it below the title threshold)
    return min(score, base), "words_differ"
