"""Finding known names (buurten, wijken, places, venues, streets) inside free text.

Names are compared on folded word tokens (``normalizers.address.fold``; ``St.`` reads as ``Sint``),
always on whole words: ``Heer`` never matches inside ``Heerlen`` or ``Ridder van Heerstraat``.
At each position the longest known phrase wins, so ``Maastricht Aachen Airport`` beats
``Maastricht`` and ``Medisch Centrum Caberg`` beats ``Caberg``.

Names that are also common words or people's names are guarded (``data/name_guards.csv``). Buurt
names (rules ``word``, ``name``, ``place``) are judged on evidence from their sentence, whatever
word precedes them (``geo/mentions.py``): ``door Amby``, ``Amby's``, ``Heer en Heugem`` count,
``de heer Jansen``, ``Amby Winehouse``, ``Jezus van Nazareth`` do not; every other buurt name is
checked for a person's or another place's name (``familie Heugem``, ``Heer (België)``), and names
in a question answered with a denial (``Wolder? Nooit van gehoord``) are left out. Other guarded names
(venues, streets, outside places): ``needs_cue`` names count only when capitalised and after a
locative cue (``op de Markt``; ``data/locative_cues.csv``) or when they are the whole text;
``never`` names only as the whole text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tim.normalizers.address import fold

from .mentions import RULES, MentionJudge

_TOKEN = re.compile(r"[A-Za-z0-9]+")
_ARTICLES = frozenset({"de", "het", "t", "den"})
_JOINED = re.compile(r"-[A-Za-z]")


def _heads_pattern(heads: dict[str, tuple[str, ...]]) -> re.Pattern:
    """Capitalised words that start with a compound head and go on for 4+ letters, grouped by their
    first letter (a fast scan; the word boundary before it is checked on the few matches)."""
    by_first: dict[str, list[str]] = {}
    for h in sorted({h for hs in heads.values() for h in hs}, key=len, reverse=True):
        by_first.setdefault(h[0], []).append(re.escape(h[1:]))
    return re.compile("(?:" + "|".join(f"{c.upper()}(?:{'|'.join(rest)})" for c, rest in by_first.items())
                      + r")[a-z]{4,}")


_HYPHENED = re.compile(r"([a-z0-9]+)-(?=([a-z0-9]+))")


@dataclass(frozen=True, slots=True)
class Entry:
    """What a phrase stands for: ``kind`` (buurt | wijk | place | venue | street) and its ``key``."""

    kind: str
    key: str
    name: str
    guard: str | None = None
    """None, ``needs_cue``, ``never`` or ``capital`` (must be written with a capital)."""
    in_area: bool | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """One accepted occurrence of an entry in a text."""

    entry: Entry
    text: str
    start: int
    whole: bool
    evidence: str = ""
    """For a guarded name: why it counts as the place (``geo/mentions.py``)."""


def ascii_text(text: str) -> str:
    """Accents dropped, case kept (same length semantics as :func:`fold`, before lower-casing)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


class PhraseIndex:
    """A first-token index of folded phrases, scanned longest-first."""

    def __init__(self, *, cues: set[str], guards: dict[str, str], word_map: dict[str, str],
                 judge: MentionJudge | None = None):
        self.cues = frozenset(cues)
        self.guards = guards
        self.word_map = word_map
        self.judge = judge
        self.phrases: dict[str, list[Entry]] = {}
        self.lengths: dict[str, tuple[int, ...]] = {}
        self._heads_re: re.Pattern | None = None
        self.heads: dict[str, tuple[str, ...]] = {}
        """First four letters -> the one-word unguarded buurt names (6+ letters) starting with them:
        the heads of compounds such as ``Frontenkwartierfestival``."""

    def first_words(self) -> frozenset[str]:
        """The first word of every known phrase."""
        return frozenset(self.lengths)

    def tokens(self, text: str) -> list[str]:
        return [self.word_map.get(t, t) for t in fold(text).split()]

    def add(self, phrase: str, entry: Entry, *, compound_head: bool = True) -> None:
        toks = self.tokens(phrase)
        if not toks:
            return
        key = " ".join(toks)
        guard = self.guards.get(key) or entry.guard
        if guard != entry.guard:
            entry = Entry(entry.kind, entry.key, entry.name, guard, entry.in_area)
        bucket = self.phrases.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)
        lengths = set(self.lengths.get(toks[0], ())) | {len(toks)}
        self.lengths[toks[0]] = tuple(sorted(lengths, reverse=True))
        if compound_head and entry.kind == "buurt" and len(toks) == 1 and len(key) >= 6 and guard is None:
            self._heads_re = None
            self.heads[key[:4]] = tuple(sorted(set(self.heads.get(key[:4], ())) | {key}, key=len, reverse=True))

    def scan(self, text: str, rejected: list[Hit] | None = None) -> list[Hit]:
        """Accepted hits in reading order (longest phrase first at each position). Guarded buurt
        names that the sentence shows to be something else go to ``rejected`` (with the evidence)
        when a list is given."""
        if not text:
            return []
        src = ascii_text(text)
        low = src.lower()
        wm = self.word_map
        words = [wm.get(t, t) for t in _TOKEN.findall(low)]
        lengths = self.lengths
        spans: list[tuple[int, int]] | None = None
        if "-" in low and any(a + b in self.phrases for a, b in _HYPHENED.findall(low)):
            spans = [m.span() for m in _TOKEN.finditer(low)]  # "Sphinx-kwartier": a one-word name
            words, spans = self._join_hyphens(low, words, spans)
        starts = [i for i, w in enumerate(words) if w in lengths]
        compounds: dict[int, str] = {}
        heads_re = self._heads_re
        if heads_re is None and self.heads:
            heads_re = self._heads_re = _heads_pattern(self.heads)
        if heads_re is not None and self.judge is not None and heads_re.search(src):
            at = [m.start() for m in heads_re.finditer(src)
                  if not (m.start() and src[m.start() - 1].isalnum()) and m.group().lower() not in lengths]
            if at:
                spans = spans or [m.span() for m in _TOKEN.finditer(low)]
                index = {a: k for k, (a, _b) in enumerate(spans)}
                at = [index[a] for a in at if a in index and words[index[a]] not in lengths]
                compounds = self._compounds(src, words, spans, at) if at else {}
                if compounds:
                    starts = sorted(starts + list(compounds))
        if not starts:
            return []  # no known phrase starts with any word of the text
        n = len(words)
        denied = self.judge.denied(src) if self.judge is not None and "?" in src else []
        hits: list[Hit] = []
        next_free = 0
        for i in starts:
            if i < next_free:
                continue
            for size in lengths[words[i]]:
                if i + size > n:
                    continue
                entries = self.phrases.get(words[i] if size == 1 else " ".join(words[i:i + size]))
                if not entries:
                    continue
                if spans is None:
                    spans = [m.span() for m in _TOKEN.finditer(low)]
                whole = self._whole(words, i, size)
                capital = src[spans[i][0]].isupper()
                cued = self._cued(words, i)
                matched = src[spans[i][0]:spans[i + size - 1][1]]
                for entry in entries:
                    guard = entry.guard
                    if denied and any(a <= spans[i][0] < b for a, b, _ in denied):
                        if rejected is not None:
                            why = next(w for a, b, w in denied if a <= spans[i][0] < b)
                            rejected.append(Hit(entry, matched, spans[i][0], whole,
                                                f"{matched!r} asked about, then denied ({why!r})"))
                        continue
                    if (guard in RULES or (guard is None and entry.kind == "buurt")) and self.judge is not None:
                        key = words[i] if size == 1 else " ".join(words[i:i + size])
                        ok, why = self.judge.judge(key, src, spans, words, i, size, whole, cued)
                        if ok and i in compounds:
                            why = compounds[i]
                        if ok:
                            hits.append(Hit(entry, matched, spans[i][0], whole, why))
                        elif rejected is not None:
                            rejected.append(Hit(entry, matched, spans[i][0], whole, why))
                        continue
                    if guard in RULES:
                        guard = "capital"
                    if guard == "needs_cue" and entry.kind == "place" and entry.in_area is False:
                        guard = "capital"  # a false "outside" only withholds a buurt: the safe side
                    if guard == "needs_cue" and not whole and _JOINED.match(src, spans[i + size - 1][1]):
                        continue  # "Oost-Europa", "Markt-kraam": part of a longer name
                    if self._accept(guard, whole, capital, cued):
                        hits.append(Hit(entry, matched, spans[i][0], whole))
                next_free = i + size
                break
        return hits

    def _join_hyphens(self, low: str, words: list[str], spans: list[tuple[int, int]]
                      ) -> tuple[list[str], list[tuple[int, int]]]:
        """Tokens joined by a hyphen that together are a known one-word name (``Sphinx-kwartier``
        for ``Sphinxkwartier``) become that one token."""
        out_w, out_s = [], []
        k, n = 0, len(words)
        while k < n:
            if (k + 1 < n and low[spans[k][1]:spans[k + 1][0]] == "-"
                    and words[k] + words[k + 1] in self.phrases):
                out_w.append(words[k] + words[k + 1])
                out_s.append((spans[k][0], spans[k + 1][1]))
                k += 2
                continue
            out_w.append(words[k])
            out_s.append(spans[k])
            k += 1
        return out_w, out_s

    def _compounds(self, src: str, words: list[str], spans: list[tuple[int, int]], at: list[int]
                   ) -> dict[int, str]:
        """Capitalised compounds of a buurt name and an ordinary word (``Frontenkwartierfestival``,
        ``Biesland-`` or ``Binnenstadsmarkt`` with a linking s): the token is read as the name
        (``words`` is changed in place). Returns token index -> the evidence. One dictionary
        lookup per long unknown word (in :meth:`scan`)."""
        found: dict[int, str] = {}
        judge = self.judge
        for i in at:
            w = words[i]
            for head in self.heads.get(w[:4], ()):
                if not w.startswith(head):
                    continue
                rest = w[len(head):]
                if rest.startswith("s") and len(rest) > 4 and judge.is_ordinary(rest[1:]):
                    rest = rest[1:]
                elif len(rest) < 4 or not judge.is_ordinary(rest):
                    continue
                if not src[spans[i][0]].isupper():
                    break  # in lower case a compound is an ordinary word
                found[i] = f"{src[spans[i][0]:spans[i][1]]!r}: {head} + {rest}, a compound naming the place"
                words[i] = head
                break
        return found

    def _whole(self, words: list[str], i: int, size: int) -> bool:
        if i + size != len(words):
            return False
        j = i
        while j > 0 and (words[j - 1] in _ARTICLES or words[j - 1] in self.cues):
            j -= 1
        return j == 0

    def _cued(self, words: list[str], i: int) -> bool:
        """A locative cue right before the name, allowing an article and "van" in between
        ("in Heer", "in de Heeg", "bewoners van Heer")."""
        j = i - 1
        if j >= 0 and words[j] in _ARTICLES:
            j -= 1
        if j >= 0 and words[j] in self.cues:
            return True
        return j >= 1 and words[j] == "van" and words[j - 1] in self.cues

    @staticmethod
    def _accept(guard: str | None, whole: bool, capital: bool, cued: bool) -> bool:
        if guard is None or whole:
            return True
        if guard == "capital":
            return capital
        if guard == "needs_cue":
            return capital and cued
        return False  # "never": only as the whole text
