"""Is this occurrence of an ambiguous name a place? Evidence from the name's own sentence.

Some buurt names are also ordinary words or people's names (``data/name_guards.csv``): ``Heer``
(de heer Jansen, God), ``Campagne`` (a campaign), ``Amby`` / ``Wolder`` / ``Scharn`` / ``Limmel``
(surnames, first names), ``Belfort`` / ``Nazareth`` / ``Heeg`` (other places). Whatever word comes
before it (``in``, ``door``, ``van``, ``uit``, ``rond``, a possessive, a list, a headline), such a
name written as a name counts as the place unless the sentence says otherwise. The judgement looks
only at the text itself:

* it must be written with a capital (``de campagne`` and ``de heer Jansen`` are words);
* not after a person's title or a given name (``mevrouw Wolder``, ``Anne Scharn``, ``Van Wolder``
  mid-sentence), not before another capitalised name (``Amby Winehouse``, ``Heer Bommel``), not as
  ``Limmel, Jan`` (surname first) and not before a year in brackets (a film title);
* not after the words listed for that name (``de Heer``, ``onze lieve Heer``: God), and not in a
  text that has one of the name's *against* words (``Jezus``, ``Bethlehem`` for Nazareth;
  ``Frankrijk`` for Belfort; ``Friesland`` for Heeg);
* a ``word`` name at the start of a sentence (where every word has a capital) is not a place when
  an ordinary-noun word follows it (``Campagne tegen eenzaamheid``, ``Heer en meester``), nor as
  the first part of an adjective (``Villapark-achtige wijken``).

Each decision comes with the evidence that made it (shown by ``tim geo explain``).
The words are data: ``data/name_guards.csv`` (per name) and ``data/mention_evidence.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tim.normalizers.address import fold

#: Guard rules judged here (``needs_cue``/``never``/``capital`` stay with the phrase index).
RULES = frozenset({"word", "name", "place"})

_YEAR = re.compile(r"\s*\(\s*\d{4}\s*\)")
_SENTENCE_END = re.compile(r"[.!?:;\n\u2013\u2014|]|\s-\s")


@dataclass(frozen=True, slots=True)
class Guard:
    """What one ambiguous name needs: its ``rule`` and its context words (folded)."""

    rule: str
    not_after: frozenset[str] = frozenset()
    against: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Evidence:
    """The words that judge names (``data/mention_evidence.csv``), folded."""

    person_titles: frozenset[str]
    """Words before a person's name (``mevrouw``, ``familie``, ``dirigent``)."""
    given_names: frozenset[str]
    """Common given names: ``Anne Scharn`` is a person."""
    particles: frozenset[str]
    """Surname particles: ``Van Wolder`` with a capital mid-sentence is a surname."""
    noun_after: frozenset[str]
    """Words after an ordinary noun at the start of a sentence (``Campagne tegen ...``)."""


def _words(cell: str | None) -> frozenset[str]:
    return frozenset(fold(w).strip() for w in (cell or "").split("|") if fold(w).strip())


def load_guards(rows: list[dict[str, str]]) -> tuple[dict[str, str], dict[str, Guard]]:
    """``name_guards.csv`` rows -> (folded name -> rule, folded name -> :class:`Guard`)."""
    rules: dict[str, str] = {}
    guards: dict[str, Guard] = {}
    for r in rows:
        key = " ".join(fold(r["name"]).split())
        rules[key] = r["rule"]
        guards[key] = Guard(r["rule"], _words(r.get("not_after")), _words(r.get("against")))
    return rules, guards


def load_evidence(rows: list[dict[str, str]]) -> Evidence:
    by_role: dict[str, set[str]] = {}
    for r in rows:
        by_role.setdefault(r["role"], set()).add(fold(r["word"]).strip())
    return Evidence(*(frozenset(by_role.get(role, ())) for role in ("person_title", "given_name", "particle",
                                                                      "noun_after")))


class MentionJudge:
    """Decides one occurrence of a guarded name (see the module docstring)."""

    def __init__(self, guards: dict[str, Guard], evidence: Evidence, known_first: frozenset[str]):
        self.guards = guards
        self.ev = evidence
        self.known_first = known_first
        """First words of every known name (buurten, places, streets, venues): a capitalised
        neighbour that is itself a place is a list, not a person."""

    def judge(self, key: str, src: str, spans: list[tuple[int, int]], words: list[str], i: int, size: int,
              whole: bool) -> tuple[bool, str]:
        """(is a place, evidence) for the name ``key`` at token ``i`` (``size`` tokens) of ``src``."""
        guard = self.guards.get(key)
        name = src[spans[i][0]:spans[i + size - 1][1]]
        if guard is None:
            return True, ""
        if whole:
            return True, f"{name!r} is the whole text"
        if not src[spans[i][0]].isupper():
            return False, f"{name!r} in lower case: an ordinary word"
        before = src[spans[i - 1][1]:spans[i][0]] if i > 0 else ""
        after_end = spans[i + size - 1][1]
        nxt = i + size
        after = src[after_end:spans[nxt][0]] if nxt < len(spans) else src[after_end:]
        starts_sentence = i == 0 or bool(_SENTENCE_END.search(before)) or "(" in before
        prev = words[i - 1] if i > 0 else None
        prev_word = src[spans[i - 1][0]:spans[i - 1][1]] if i > 0 else ""
        against = guard.against & set(words)
        if against:
            return False, f"{name!r} with {', '.join(sorted(against))!r} in the text: another meaning"
        if prev is not None and not starts_sentence and prev in guard.not_after:
            return False, f"{name!r} after {prev_word!r}: an ordinary word here"
        if i >= 2 and prev is not None and not starts_sentence and " ".join(words[i - 2:i]) in guard.not_after:
            return False, f"{name!r} after {' '.join(words[i - 2:i])!r}: an ordinary word here"
        if prev is not None and not starts_sentence and prev in self.ev.person_titles:
            return False, f"{name!r} after {prev_word!r}: a person's name"
        if prev is not None and prev in self.ev.given_names and prev_word[:1].isupper():
            return False, f"{name!r} after the given name {prev_word!r}: a person's name"
        if prev is not None and not starts_sentence and prev in self.ev.particles and prev_word[:1].isupper():
            return False, f"{prev_word} {name}: a surname"
        if nxt < len(spans):
            nxt_word = src[spans[nxt][0]:spans[nxt][1]]
            if (not after.strip() and nxt_word[:1].isupper() and words[nxt] not in self.known_first
                    and not src.isupper()):  # in a text in capitals every word has one
                return False, f"{name!r} before the name {nxt_word!r}: a person's or a work's name"
            if after.strip() == "," and i == 0 and nxt_word[:1].isupper() and words[nxt] not in self.known_first:
                return False, f"{name + ', ' + nxt_word!r}: a surname first"
            if after.strip() == "-" and words[nxt].startswith("achtig"):
                return False, f"{name}-{nxt_word}: an adjective, not the place"
            if guard.rule == "word" and starts_sentence and not after.strip() and words[nxt] in self.ev.noun_after:
                return False, f"{name!r} {nxt_word!r} at the start of a sentence: the ordinary word"
        if _YEAR.match(src, after_end):
            return False, f"{name!r} before a year in brackets: a title"
        reasons = ["capitalised"]
        if after.strip().startswith(":"):
            reasons.append("headline")
        elif src[after_end:after_end + 2].lower() in ("'s", "\u2019s"):
            reasons.append("possessive")
        return True, f"{name!r} {', '.join(reasons)}; no sign of another meaning"
