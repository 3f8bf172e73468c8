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
  an ordinary-noun word follows it (``Campagne tegen eenzaamheid``, ``Heer en meester``) or it is
  the first of a noun pair (``Heer en dame``, not ``Heer en omgeving``), nor as the first part of an
  adjective (``Villapark-achtige wijken``); no guarded name is the place before a genitive (``Heer
  der Vliegen``), and *against* words also count as the head of a compound (``Bijbelquiz``).

Some evidence holds for *every* buurt name, guarded or not (any place name can be a surname, and
name another place): after a person's title or a given name (``familie Heugem``, ``mevrouw
Dousberg``), beside a given name (``Amby en Jan``), ``Scharn & Partners`` (a firm), a place or
country outside the area right after it (``Heer (België)``, ``Belfort, Frankrijk``), the adjective
of a place elsewhere before it (``het Haagse Statenkwartier``), a pet's name (``kater Amby``), a title
and a given name or a given name and a particle before it (``schrijfster Lies Wolder``, ``Apollo van
Belvedère``), a product after it (``Belvedere wodka``: a brand). A town elsewhere in a headline before a colon (``Helmond: ...``), right after the name
(``de Beatrixhaven van Hellevoetsluis``) or after a preposition in the name's sentence when the
name has no cue of its own (``Hoeve Daalhof in Epen``), a hyphenated double place name
(``Heer-Agimont``), and a ``work`` noun before the name or before a quoted title holding it
(``Band Beatrixhaven``, ``het bordspel 'Villapark'``) also say it is not the place. A particle at
the start of a sentence is a preposition, not a surname (``Van Heer naar de Markt``). Names in a
question answered with a denial (``Wolder? Nooit van gehoord``, ``Amby of Heer? Nee: ...``) are
left out (:meth:`MentionJudge.denied`, used by the phrase index for every kind of name).

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
#: second parts of French and Walloon place names joined by hyphens (Heer-sur-Meuse)
_FOREIGN_JOINS = frozenset({"sur", "les", "lez", "sous", "aux"})
#: "X in/bij (de) (Oost-)Region": a place of that name in that region
_PLACED_IN = frozenset({"in", "bij", "nabij", "onder"})
_ARTICLES_COMPASS = frozenset({"de", "het", "den", "t", "oost", "west", "noord", "zuid"})
#: "Heer der Vliegen", "heer des huizes": a noun with a genitive article after it
_GENITIVE = frozenset({"der", "des"})
_SENTENCE_END = re.compile(r"[.!?:;\n\u2013\u2014|]|\s-\s")
#: the word before a town that places something there ("in Epen", "van Hellevoetsluis", "of Arnhem")
_PLACED_AT = frozenset({"in", "te", "bij", "nabij", "van", "of", "near", "at"})
_ARTICLES_EN = frozenset({"de", "het", "den", "t", "the"})
_OPEN_QUOTES = "'\"\u2018\u201c\u201e"


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
    denials: frozenset[str] = frozenset()
    """Words that answer a question with no (``Wolder? Nooit van gehoord``)."""
    conjunctions: frozenset[str] = frozenset()
    """Words that join two names (``Amby en Jan``: a person beside a person)."""
    regions: frozenset[str] = frozenset()
    """Countries and regions outside the area (``België``, ``Frankrijk``, ``Friesland``)."""
    honorifics: frozenset[str] = frozenset()
    """Titles put before a surname only (``de heer``, ``mevrouw``, ``familie``): ``de heer van
    Heugem`` is a person, where ``de pastoor van Heer`` is the priest of the place."""
    common_nouns: frozenset[str] = frozenset()
    """Ordinary nouns that follow a place name in a headline (``Wolder Kermis``, ``Amby Noord``)."""
    animals: frozenset[str] = frozenset()
    """Words for pets and animals before their name (``kater Amby``, ``hond Wolder``)."""
    products: frozenset[str] = frozenset()
    """Products named after a brand (``Belvedere wodka``, ``Caberg-helm``): the name is the brand."""
    towns: frozenset[str] = frozenset()
    """Towns and regions elsewhere that count only beside a name (``Villapark in Helmond``,
    ``Campagne in de Dordogne``, ``het Haagse Statenkwartier``), never as the text's own place."""
    surroundings: frozenset[str] = frozenset()
    """Words joined to a place as its surroundings (``Heer en omgeving``): not a noun pair."""
    works: frozenset[str] = frozenset()
    """Nouns for a named thing (``band``, ``bordspel``, ``schip``, ``roos``, ``boek``): right before
    the name, or before a quoted title holding it (``het bordspel 'Villapark'``, also as the end of a
    compound: ``rockband``, ``binnenvaartschip``), the name is that thing's name, not the place."""


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
                                                                      "noun_after", "denial", "conjunction",
                                                                      "region", "honorific", "common_noun", "animal",
                                                                      "product", "town", "surroundings", "work")))


_ENDINGS = ("ingen", "ing", "en", "s", "e")


def _stem(word: str) -> str:
    """``wandelen`` -> ``wandel``: a word without a common ending, for forms and compounds."""
    for end in _ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= 4:
            return word[: -len(end)]
    return word


_QUESTION = re.compile(r"\?+[\s\"'\u2019\u201d)]*([A-Za-z]+)")
_SENTENCE_START = re.compile(r"[.!?:;\n\u2013\u2014|]|\s-\s")


class MentionJudge:
    """Decides one occurrence of a buurt name (see the module docstring)."""

    def __init__(self, guards: dict[str, Guard], evidence: Evidence, known_first: frozenset[str],
                 elsewhere: frozenset[str] = frozenset(), ordinary: frozenset[str] = frozenset()):
        self.guards = guards
        self.ev = evidence
        self.known_first = known_first
        """First words of every known name (buurten, places, streets, venues): a capitalised
        neighbour that is itself a place is a list, not a person."""
        self.elsewhere = elsewhere | evidence.regions | evidence.towns
        """Places outside the area (one word, folded) and countries / regions: ``Heer (België)``,
        ``Belfort, Frankrijk`` name another place of that name."""
        self.ordinary = frozenset(w for w in evidence.common_nouns | ordinary if len(w) >= 4)
        """Ordinary words (``common_noun`` words, the category and kind labels, month and weekday
        names): a capitalised one after a name is a headline's capital, not a surname."""
        self._against_heads: dict[Guard, re.Pattern | bool] = {}
        self._works = (re.compile("(?:" + "|".join(sorted(map(re.escape, evidence.works), key=len, reverse=True))
                                  + ")$") if evidence.works else None)
        self._ordinary_stems = tuple(sorted({_stem(w) for w in self.ordinary}, key=len, reverse=True))

    def is_ordinary(self, word: str) -> bool:
        """``word`` (folded) is an ordinary word, a form of one or a compound starting with one
        (``kermis``, ``wandeling``, ``sportpark``)."""
        if word in self.ordinary:
            return True
        return any(word.startswith(stem) for stem in self._ordinary_stems)

    # -- the text as a whole -----------------------------------------------------------------
    def denied(self, src: str) -> list[tuple[int, int, str]]:
        """Character ranges of questions answered with a denial (``Amby, Scharn of Heer? Nee:
        ...``, ``Wolder? Nooit van gehoord``): the names asked about there are not the place the
        text states. (start, end, the denial) per question."""
        if "?" not in src or not self.ev.denials:
            return []
        out = []
        for m in _QUESTION.finditer(src):
            if m.group(1).lower() not in self.ev.denials:
                continue
            begin = 0
            for end in _SENTENCE_START.finditer(src, 0, m.start()):
                begin = end.end()
            out.append((begin, m.start(), f"? {m.group(1)}"))
        return out

    # -- one occurrence ------------------------------------------------------------------------
    @staticmethod
    def _starts_sentence(src: str, spans: list[tuple[int, int]], i: int) -> bool:
        """Token ``i`` is the first of its sentence (where every word has a capital)."""
        if i == 0:
            return True
        before = src[spans[i - 1][1]:spans[i][0]]
        return bool(_SENTENCE_END.search(before)) or "(" in before

    def person(self, src: str, spans: list[tuple[int, int]], words: list[str], i: int, size: int,
               name: str) -> str | None:
        """Why the name at token ``i`` is a person's or a firm's name here, or None. Asked for every
        buurt name: any place name can be a surname (``familie Heugem``, ``mevrouw Dousberg``)."""
        ev = self.ev
        n = len(words)
        starts_sentence = self._starts_sentence(src, spans, i)
        if i > 0:
            prev, prev_word = words[i - 1], src[spans[i - 1][0]:spans[i - 1][1]]
            if not starts_sentence and prev in ev.person_titles:
                return f"{name!r} after {prev_word!r}: a person's name"
            if not starts_sentence and prev in ev.animals:
                return f"{name!r} after {prev_word!r}: a pet's name"
            if (i >= 2 and not starts_sentence and words[i - 2] in ev.person_titles and prev_word[:1].isupper()
                    and prev not in self.known_first and not self._starts_sentence(src, spans, i - 1)
                    and not src.isupper()):  # "schrijfster Lies Wolder": a title, a given name, a surname
                return f"{src[spans[i - 2][0]:spans[i][1]]}: a person's name"
            if (i >= 2 and prev in ev.particles and words[i - 2] in ev.given_names
                    and src[spans[i - 2][0]].isupper() and not src.isupper()
                    and not self._starts_sentence(src, spans, i - 1)):  # "Jan van Wolder", "Maria van Nazareth"
                return f"{src[spans[i - 2][0]:spans[i][1]]}: a person's name (a given name and a byname)"
            if (i >= 3 and prev in ev.particles and words[i - 3] in ev.person_titles and src[spans[i - 2][0]].isupper()
                    and words[i - 2] not in self.known_first and not src.isupper()
                    and not self._starts_sentence(src, spans, i - 2)):  # "historica Marijke van Wijck"
                return f"{src[spans[i - 3][0]:spans[i][1]]}: a person's name (a title, a given name, a surname)"
            if (i == 1 and prev in ev.particles and prev_word[:1].isupper() and i + size < n and not src.isupper()
                    and not src[spans[i + size - 1][1]:spans[i + size][0]].strip()
                    and src[spans[i + size][0]].isupper() and words[i + size] not in self.known_first
                    and words[i + size] not in ev.particles):  # "Van Itteren Transport": a surname, a firm
                return f"{src[spans[0][0]:spans[i + size][1]]}: a surname before a name (a firm or a person)"
            if (i >= 2 and prev in ev.particles and words[i - 2] in ev.honorifics
                    and not self._starts_sentence(src, spans, i - 1)):
                return f"{src[spans[i - 2][0]:spans[i][1]]}: a person's name"
            if prev in ev.given_names and prev_word[:1].isupper():
                return f"{name!r} after the given name {prev_word!r}: a person's name"
            if (not starts_sentence and prev in ev.particles and prev_word[:1].isupper()
                    and not self._starts_sentence(src, spans, i - 1)):  # "Van Heer naar ...": the preposition
                return f"{prev_word} {name}: a surname"
            if (i >= 2 and prev in ev.conjunctions and not starts_sentence and words[i - 2] in ev.given_names
                    and src[spans[i - 2][0]].isupper()):
                return f"{name!r} beside the given name {src[spans[i - 2][0]:spans[i - 2][1]]!r}: a person"
        nxt = i + size
        if nxt < n:
            gap = src[spans[nxt - 1][1]:spans[nxt][0]]
            nxt_word = src[spans[nxt][0]:spans[nxt][1]]
            if gap.strip() == "&" and nxt_word[:1].isupper() and words[nxt] not in self.known_first:
                return f"{name} & {nxt_word}: a firm's name"
            if gap.strip() == "," and i == 0 and nxt_word[:1].isupper() and words[nxt] in ev.given_names:
                return f"{name + ', ' + nxt_word!r}: a surname first"
            if (words[nxt] in ev.conjunctions and nxt + 1 < n and words[nxt + 1] in ev.given_names
                    and src[spans[nxt + 1][0]].isupper()):
                return f"{name!r} beside the given name {src[spans[nxt + 1][0]:spans[nxt + 1][1]]!r}: a person"
        return None

    def other_place(self, src: str, spans: list[tuple[int, int]], words: list[str], i: int, size: int,
                    name: str) -> str | None:
        """Another place of that name: the name with a place or country outside the area right
        after it (``Heer (België)``, ``Belfort, Frankrijk``), placed in one (``Nazareth in
        Oost-Vlaanderen``, ``Malberg in de Eifel``), or joined to a French particle
        (``Heer-sur-Meuse``)."""
        nxt, n = i + size, len(words)
        if i > 0 and not src[spans[i - 1][1]:spans[i][0]].strip() and src[spans[i - 1][0]].isupper():
            place = self.adjective_of_elsewhere(words[i - 1])
            if place:  # "het Haagse Statenkwartier", "de Luikse binnenstad"
                return f"{src[spans[i - 1][0]:spans[i][1]]}: the {name} of {place}, elsewhere"
        if nxt >= n:
            return None
        gap = src[spans[nxt - 1][1]:spans[nxt][0]].strip()
        if gap in ("", "-") and words[nxt] in self.ev.products:  # "Belvedere wodka", "Caberg-helm"
            return f"{name}{gap or ' '}{src[spans[nxt][0]:spans[nxt][1]]}: a brand name"
        if gap == "-" and words[nxt] in _FOREIGN_JOINS:  # Heer-sur-Meuse, Campagne-lès-Hesdin
            return f"{name}-{src[spans[nxt][0]:spans[nxt][1]]}...: a place name of another country"
        if (gap == "-" and src[spans[nxt][0]].isupper() and not src.isupper() and words[nxt] not in self.known_first
                and words[nxt] not in _ARTICLES_COMPASS and not self.is_ordinary(words[nxt])):
            return f"{name}-{src[spans[nxt][0]:spans[nxt][1]]}: a double place name, another place"
        if gap in ("(", ",", "[", "/"):
            k = nxt
            while gap != "," and k < n - 1 and words[k] in _ARTICLES_COMPASS:
                k += 1  # "Nazareth (Oost-Vlaanderen)"
            nxt = k if words[k] in self.elsewhere else nxt
        if words[nxt] in self.elsewhere and gap in ("(", ",", "[", "/"):
            return f"{name}{gap if gap != ',' else ','} {src[spans[nxt][0]:spans[nxt][1]]}: a place of that name elsewhere"
        # "Nazareth in Oost-Vlaanderen", "Malberg in de Eifel": placed in a region or place outside
        if gap or words[nxt] not in _PLACED_IN:
            return None
        j = nxt + 1
        while j < n and words[j] in _ARTICLES_COMPASS:
            j += 1
        if j < n and words[j] in self.elsewhere:
            return (f"{name} {words[nxt]} ... {src[spans[j][0]:spans[j][1]]}: "
                    "a place of that name elsewhere")
        return None

    def is_work(self, word: str) -> bool:
        """``word`` (folded) names a kind of named thing: a ``work`` word, or a compound ending in
        one (``rockband``, ``klimroos``, ``kinderboek``)."""
        return self._works is not None and self._works.search(word) is not None

    def _town_at(self, src: str, spans: list[tuple[int, int]], words: list[str], j: int) -> bool:
        """Token ``j`` is a town or region elsewhere: a known one, or a capitalised name followed
        by a region elsewhere in brackets or after a comma (``Gammertingen (Baden-Wurttemberg)``,
        ``Bergamo (Italie)``)."""
        if words[j] in self.elsewhere:
            return True
        if j + 1 >= len(words) or not src[spans[j][0]].isupper() or words[j] in self.known_first:
            return False
        if src[spans[j][1]:spans[j + 1][0]].strip() not in ("(", ","):
            return False
        k = j + 1
        while k < len(words) and words[k] in _ARTICLES_COMPASS:
            k += 1
        return k < len(words) and words[k] in self.ev.regions

    def elsewhere_context(self, src: str, spans: list[tuple[int, int]], words: list[str], i: int, size: int,
                          name: str, cued: bool = False) -> str | None:
        """The text or the name's sentence sets the name in a town elsewhere: a headline naming one
        (``Helmond: bewoners van het Villapark ...``, ``Weekend in Antwerp: ...``, ``Dagtrip naar
        Andenne: ...``), or, for a name without a locative cue of its own (``cued``: the phrase
        index's ``in Wyck``, ``bewoners van het Villapark``), a town placed by a preposition in its
        sentence (``Hoeve Daalhof in Epen``, ``de Beatrixhaven van Hellevoetsluis``, ``the
        Villapark of Arnhem``, ``in het centrum van Heerde``)."""
        if self.elsewhere.isdisjoint(words):  # the common case: no town or region elsewhere at all
            return None
        n = len(words)
        towns = [j for j, w in enumerate(words) if w in self.elsewhere]
        if ("(" in src or "," in src) and not self.ev.regions.isdisjoint(words):
            towns = sorted(set(towns) | {j for j in range(n - 1) if self._town_at(src, spans, words, j)})
        start = spans[i][0]
        colon = src.find(":", 0, start)
        if colon > 0 and towns[0] < 6 and spans[towns[0]][1] <= colon and not _SENTENCE_END.search(src, 0, colon):
            k = 0
            while k < n and spans[k][1] <= colon:
                k += 1
            if k <= 6:
                j = towns[0]
                return (f"{name!r} under the headline {src[:colon].strip()!r} ({words[j]}): "
                        "a place of that name elsewhere")
        j = i + size  # right after the name: "de Beatrixhaven van Hellevoetsluis", "the Villapark of Arnhem"
        if j < n and words[j] in _PLACED_AT and not src[spans[j - 1][1]:spans[j][0]].strip():
            k = j + 1
            while k < n and words[k] in _ARTICLES_EN:
                k += 1
            if k in towns and not _SENTENCE_END.search(src, spans[j][1], spans[k][0]):
                return f"{name} {words[j]} {src[spans[k][0]:spans[k][1]]}: a place of that name elsewhere"
        if cued:
            return None  # "in Wyck", "bewoners van het Villapark": the name is placed itself
        for j in towns:
            if i <= j < i + size or j == 0:
                continue
            if _SENTENCE_END.search(src, min(spans[j][1], spans[i][1]), max(spans[j][0], spans[i][0])):
                continue  # another sentence
            k = j - 1
            while k > 0 and words[k] in _ARTICLES_EN:
                k -= 1
            if words[k] in _PLACED_AT and not (i <= k < i + size) and not _SENTENCE_END.search(
                    src, spans[k][1], spans[j][0]):
                return (f"{name!r} in a sentence set in {src[spans[j][0]:spans[j][1]]!r} "
                        f"({words[k]} {src[spans[j][0]:spans[j][1]]}): a place of that name elsewhere")
        return None

    def other_sense(self, src: str, spans: list[tuple[int, int]], words: list[str], i: int, size: int,
                    name: str) -> str | None:
        """The name of a thing: after a ``work`` noun (``Band Beatrixhaven``, ``rockband Nazareth``,
        ``het bordspel 'Villapark'``), or inside a quoted title after one (``Kinderboek 'Het geheim
        van de Maartenspoort'``, ``Webinar 'De binnenstad van morgen'``)."""
        if self._works is None or i == 0:
            return None
        start = spans[i][0]
        gap = src[spans[i - 1][1]:start]
        if gap.strip() in ("", "'", '"', "\u2018", "\u201c", "\u201e") and self.is_work(words[i - 1]):
            return f"{src[spans[i - 1][0]:spans[i + size - 1][1]]}: the name of a {words[i - 1]}, not the place"
        q = max(src.rfind(c, 0, start) for c in _OPEN_QUOTES)
        if q <= 0 or not src[q - 1].isspace() or _SENTENCE_END.search(src, q, start):
            return None
        if src[q] in src[q + 1:start] or (src[q] == "'" and src[q + 1:q + 3].lower() in ("t ", "s ")):
            return None  # closed before the name, or 't / 's
        k = i - 1
        while k >= 0 and spans[k][0] > q:
            k -= 1
        if k >= 0 and not src[spans[k][1]:q].strip() and self.is_work(words[k]):
            return f"{name!r} in the title of a {words[k]} ({src[spans[k][0]:spans[k][1]]} {src[q]}...): not the place"
        return None

    def adjective_of_elsewhere(self, word: str) -> str | None:
        """``haagse`` -> ``haag``, ``luikse`` -> ``luik``, ``antwerpse`` -> ``antwerpen``: the place
        elsewhere that the adjective ``word`` (folded) is formed from, or None."""
        if word.endswith("sche"):
            base = word[:-4]
        elif word.endswith("se"):
            base = word[:-2]
        else:
            return None
        if len(base) < 3:
            return None
        for cand in (base, base + "en", base + "e", base + base[-1] + "e"):  # brugse -> brugge
            if cand in self.elsewhere:
                return cand
        return None

    def against_in(self, guard: Guard, words: list[str]) -> list[str]:
        """The name's *against* words in the text: as words, or (six letters or more) as the first
        part of a compound that names no known place (``Bijbelquiz`` has ``bijbel``)."""
        found = set(guard.against.intersection(words))
        pattern = self._against_heads.get(guard)
        if pattern is None:
            heads = sorted((a for a in guard.against if len(a) >= 6), key=len, reverse=True)
            pattern = self._against_heads[guard] = (
                re.compile(r"(?<![a-z0-9])(" + "|".join(map(re.escape, heads)) + r")[a-z0-9]+") if heads else False)
        if pattern:
            for m in pattern.finditer(" ".join(words)):
                if m.group() not in self.known_first:
                    found.add(m.group(1))
        return sorted(found)

    def judge(self, key: str, src: str, spans: list[tuple[int, int]], words: list[str], i: int, size: int,
              whole: bool, cued: bool = False) -> tuple[bool, str]:
        """(is a place, evidence) for the buurt name ``key`` at token ``i`` (``size`` tokens) of ``src``;
        ``cued``: a locative cue stands right before it (``PhraseIndex``)."""
        guard = self.guards.get(key)
        name = src[spans[i][0]:spans[i + size - 1][1]]
        if whole:
            return True, f"{name!r} is the whole text" if guard is not None else ""
        why = (self.other_place(src, spans, words, i, size, name) or self.other_sense(src, spans, words, i, size, name)
               or self.elsewhere_context(src, spans, words, i, size, name, cued))
        if why:
            return False, why
        if guard is None or guard.rule not in RULES:  # not a word: only a person's name can be meant
            why = self.person(src, spans, words, i, size, name)
            return (False, why) if why else (True, "")
        if not src[spans[i][0]].isupper():
            return False, f"{name!r} in lower case: an ordinary word"
        before = src[spans[i - 1][1]:spans[i][0]] if i > 0 else ""
        after_end = spans[i + size - 1][1]
        nxt = i + size
        after = src[after_end:spans[nxt][0]] if nxt < len(spans) else src[after_end:]
        starts_sentence = i == 0 or bool(_SENTENCE_END.search(before)) or "(" in before
        prev = words[i - 1] if i > 0 else None
        prev_word = src[spans[i - 1][0]:spans[i - 1][1]] if i > 0 else ""
        against = self.against_in(guard, words)
        if against:
            return False, f"{name!r} with {', '.join(against)!r} in the text: another meaning"
        if prev is not None and not starts_sentence and prev in guard.not_after:
            return False, f"{name!r} after {prev_word!r}: an ordinary word here"
        if i >= 2 and prev is not None and not starts_sentence and " ".join(words[i - 2:i]) in guard.not_after:
            return False, f"{name!r} after {' '.join(words[i - 2:i])!r}: an ordinary word here"
        why = self.person(src, spans, words, i, size, name)
        if why:
            return False, why
        if nxt < len(spans):
            nxt_word = src[spans[nxt][0]:spans[nxt][1]]
            if (not after.strip() and nxt_word[:1].isupper() and words[nxt] not in self.known_first
                    and not src.isupper()  # in a text in capitals every word has one
                    and not self.is_ordinary(words[nxt])):  # "Wolder Kermis": a headline's capitals
                return False, f"{name!r} before the name {nxt_word!r}: a person's or a work's name"
            if after.strip() == "," and i == 0 and nxt_word[:1].isupper() and words[nxt] not in self.known_first:
                return False, f"{name + ', ' + nxt_word!r}: a surname first"
            if after.strip() == "-" and words[nxt].startswith("achtig"):
                return False, f"{name}-{nxt_word}: an adjective, not the place"
            if guard.rule == "word" and starts_sentence and not after.strip() and words[nxt] in self.ev.noun_after:
                return False, f"{name!r} {nxt_word!r} at the start of a sentence: the ordinary word"
            if not after.strip() and words[nxt] in _GENITIVE and nxt_word.islower():
                return False, f"{name!r} {nxt_word!r}: a noun with a genitive (a title), not the place"
            if (guard.rule == "word" and starts_sentence and not after.strip() and words[nxt] in self.ev.conjunctions
                    and nxt + 1 < len(spans) and src[spans[nxt + 1][0]].islower()
                    and words[nxt + 1] not in _ARTICLES_COMPASS and words[nxt + 1] not in self.ev.surroundings):
                pair = src[spans[i][0]:spans[nxt + 1][1]]  # "Heer en dame": two nouns; places are capitalised
                return False, f"{pair!r} at the start of a sentence: the ordinary word beside another noun"
        if _YEAR.match(src, after_end):
            return False, f"{name!r} before a year in brackets: a title"
        reasons = ["capitalised"]
        if after.strip().startswith(":"):
            reasons.append("headline")
        elif src[after_end:after_end + 2].lower() in ("'s", "\u2019s"):
            reasons.append("possessive")
        return True, f"{name!r} {', '.join(reasons)}; no sign of another meaning"
