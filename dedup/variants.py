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
  words (and its blocks). Words the hand list does not have meet through an external dictionary
  when two titles are compared (``en_nl_lexicon.tsv``, FreeDict: ``Pottery`` / ``Aardewerk``,
  ``animal shelter`` / ``dierenasiel``; any of a word's translations will do), and an English
  word's translations are block stems of its title (:func:`lexicon_stems`).

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
LEXICON_FILE = Path(__file__).with_name("en_nl_lexicon.tsv")
GLOSSARY_FILE = Path(__file__).with_name("en_nl_glossary.tsv")
"""Words of neighbourhood listings the dictionary lacks, written by hand (``en_nl_glossary.md``);
same format, read with the lexicon (a key in both gets the translations of both)."""
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
    from_english: dict[str, tuple[str, ...]]
    """A Dutch word of ``[english]`` -> the English words and phrases it is given for
    (``buurt`` -> ``neighbourhood``, ``neighborhood``): a title's English word is already that
    Dutch word when the lexicon compares it, and still meets the lexicon's other translations."""


def _fold(text: str) -> str:
    from .text import fold

    return " ".join(fold(text).split())


@lru_cache(maxsize=1)
def variants() -> Variants:
    from .text import read_sections  # text imports this module: a module-level import would cycle

    sections = read_sections(VARIANTS_FILE, folded=False)
    english: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    from_english: dict[str, list[str]] = {}
    translations = sections.get("english", [])
    for n, line in enumerate(translations + sections.get("abbreviations", [])):
        if "=" not in line:
            raise ValueError(f"{VARIANTS_FILE.name}: [english] / [abbreviations] line without '=': {line!r}")
        en, nl = (_fold(part) for part in line.split("=", 1))
        words = tuple(en.split())
        same = english.setdefault(words[0], [])
        if any(phrase == words for phrase, _nl in same):  # only the first would ever be used
            raise ValueError(f"{VARIANTS_FILE.name}: {en!r} is given twice in [english] / [abbreviations]")
        same.append((words, tuple(nl.split())))
        if n < len(translations):  # a translation, not an abbreviation
            for word in nl.split():
                from_english.setdefault(word, []).append(en)
    english_words = frozenset(_fold(w) for w in sections.get("english_words", []))
    return Variants(
        english={k: tuple(sorted(v, key=lambda p: len(p[0]), reverse=True)) for k, v in english.items()},
        english_words=english_words,
        triggers=frozenset(english) | english_words,
        heads=tuple(sorted({_fold(w) for w in sections.get("heads", [])}, key=len, reverse=True)),
        suffixes=tuple(sorted({_fold(w) for w in sections.get("suffixes", [])}, key=len, reverse=True)),
        from_english={k: tuple(v) for k, v in from_english.items()},
    )


@dataclass(frozen=True)
class Lexicon:
    """The external English-Dutch dictionary (``en_nl_lexicon.tsv``, from FreeDict)."""

    words: dict[str, str]
    """An English word -> its Dutch translations, space-separated."""
    reverse: dict[str, str]
    """A Dutch word -> the English words it translates, space-separated."""
    phrases: dict[str, str]
    """An English phrase of two or three words (spaces between) -> Dutch words, space-separated."""
    phrase_first: frozenset[str]
    """The first words of ``phrases``."""
    also_dutch: frozenset[str]
    """English keys that are Dutch words too (``plant``, ``kind``): they say nothing about the
    language of a title."""

    def phrases_at(self, tokens, i: int):
        """(end, Dutch words) of every English phrase of 2-3 words at ``tokens[i]``, shortest first."""
        if tokens[i] in self.phrase_first:
            for j in range(i + 2, min(len(tokens), i + 3) + 1):
                dutch = self.phrases.get(" ".join(tokens[i:j]))
                if dutch:
                    yield j, dutch.split()


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    words: dict[str, str] = {}
    reverse: dict[str, list[str]] = {}
    phrases: dict[str, str] = {}
    also_dutch: set[str] = set()
    for path in (LEXICON_FILE, GLOSSARY_FILE):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and line[0] != "#":
                en, nl, *flag = line.split("\t")
                if flag:
                    also_dutch.add(en)
                into = phrases if " " in en else words
                known = into.get(en)
                if known is not None:  # in both files: the translations of both
                    nl = " ".join(dict.fromkeys((*known.split(), *nl.split())))
                into[en] = nl
    for en, nl in words.items():
        for d in nl.split():
            reverse.setdefault(d, []).append(en)
    return Lexicon(words, {d: " ".join(en) for d, en in reverse.items()}, phrases,
                   frozenset(p.split()[0] for p in phrases), frozenset(also_dutch))


#: English plurals that no ending rule gives (``women's`` is tokenised ``womens``).
_IRREGULAR_EN = {"women": "woman", "men": "man", "children": "child", "people": "person", "feet": "foot",
                 "teeth": "tooth", "geese": "goose", "mice": "mouse", "lives": "life", "wives": "wife",
                 "knives": "knife", "leaves": "leaf", "shelves": "shelf", "halves": "half"}


def _english_bases(word: str) -> tuple[str, ...]:
    """Plain forms of an English word: ``bulbs`` -> ``bulb``, ``planting`` -> ``plant``,
    ``swimming`` -> ``swim``, ``libraries`` -> ``library``, ``baked`` -> ``bake``, ``women`` and
    ``womens`` (``women's``) -> ``woman``."""
    out: list[str] = []
    irregular = _IRREGULAR_EN.get(word) or (word.endswith("s") and _IRREGULAR_EN.get(word[:-1]))
    if irregular:
        out.append(irregular)
    if len(word) > 4:
        if word.endswith("ies"):
            out.append(word[:-3] + "y")
        elif word.endswith("s") and not word.endswith("ss"):
            out += [word[:-1], word[:-2]] if word.endswith("es") else [word[:-1]]
        for end in ("ing", "ed"):
            if word.endswith(end) and len(word) - len(end) >= 3:
                stem = word[: -len(end)]
                out += [stem, stem + "e"]
                if len(stem) > 3 and stem[-1] == stem[-2]:
                    out.append(stem[:-1])
    return tuple(out)


def _dutch_bases(word: str) -> tuple[str, ...]:
    """Dictionary forms of a Dutch plural or inflected word: ``vrouwen`` -> ``vrouw``, ``bollen``
    -> ``bol``, ``bomen`` -> ``boom``, ``uren`` -> ``uur``, ``koren`` -> ``koor``, ``tuintjes`` ->
    ``tuin``, ``kinderen`` -> ``kind``, ``vrijwilligers`` -> ``vrijwilliger``."""
    out: list[str] = []
    if word.endswith("eren") and len(word) >= 7:
        out.append(word[:-4])  # kinderen -> kind, liederen -> lied
    if word.endswith("en") and len(word) >= 4:
        stem = word[:-2]
        out.append(stem)
        if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouy":
            out.append(stem[:-1])  # bollen -> bol
        elif len(stem) >= 2 and stem[-2] in "aeou" and stem[-1] not in "aeiouy" and (
                len(stem) == 2 or stem[-3] not in "aeiou"):
            out.append(stem[:-1] + stem[-2] + stem[-1])  # bomen -> boom, uren -> uur
            if stem[-1] == "z":
                out.append(stem[:-2] + stem[-2] * 2 + "s")  # lezen -> lees
            if stem[-1] == "v":
                out.append(stem[:-2] + stem[-2] * 2 + "f")  # graven -> graaf
    if word.endswith("tjes") and len(word) >= 7:
        out.append(word[:-4])  # tuintjes -> tuin
    elif word.endswith("jes") and len(word) >= 6:
        out.append(word[:-3])
    elif word.endswith("s") and len(word) >= 5 and not word.endswith("ss"):
        out.append(word[:-1])  # vrijwilligers -> vrijwilliger
    return tuple(out)


def _verb_stem(word: str) -> str | None:
    """The stem of a Dutch infinitive, as compounds and the first person write it: ``zwemmen`` ->
    ``zwem``, ``koken`` -> ``kook``, ``schaken`` -> ``schaak``, ``planten`` -> ``plant``."""
    if not word.endswith("en") or len(word) < 5:
        return None
    stem = word[:-2]
    if stem[-1] == stem[-2] and stem[-1] not in "aeiou":
        return stem[:-1]  # zwemmen -> zwem
    if stem[-2] in "aeou" and stem[-3] not in "aeiou" and stem[-1] not in "aeiouy":
        return stem[:-1] + stem[-2] + stem[-1]  # koken -> kook: an open syllable's vowel doubles
    return stem


def _dutch_forms(word: str) -> set[str]:
    """A Dutch word and the forms a title may use: plurals (``bol`` -> ``bollen``, ``dier`` ->
    ``dieren``), a verb's stem (``zwemmen`` -> ``zwem``, ``koken`` -> ``kook``)."""
    forms = {word, word + "s", word + "en", word + "e", word + "n"}
    if len(word) >= 3 and word[-1] not in "aeiouy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        forms.add(word + word[-1] + "en")  # a short vowel keeps its sound: bol / bollen
    stem = _verb_stem(word)
    if stem:
        forms.add(stem)
    return forms


@lru_cache(maxsize=1 << 16)
def equivalents(word: str) -> frozenset[str]:
    """The words that translate ``word`` (either way) in the lexicon, with their title forms;
    empty for a word the lexicon does not know (nor its English plain forms)."""
    lex = lexicon()
    dutch = set(lex.words.get(word, "").split())
    for base in _english_bases(word):
        dutch.update(lex.words.get(base, "").split())
    out: set[str] = set(lex.reverse.get(word, "").split())  # a Dutch word's English words
    if not out:
        for base in _dutch_bases(word):  # a plural's: vrouwen -> vrouw -> woman
            out.update(lex.reverse.get(base, "").split())
    for en in variants().from_english.get(word, ()):  # the hand list's buurt for neighbourhood: wijk too
        dutch.update((lex.words.get(en) or lex.phrases.get(en) or "").split())
    for w in dutch:
        out |= _dutch_forms(w)
    out.discard(word)
    return frozenset(out)


@lru_cache(maxsize=1 << 15)
def english_only(word: str) -> bool:
    """``word`` is an English word of the lexicon (or a plural, ``-ing`` or ``-ed`` form of one)
    that is no Dutch word: neither a Dutch headword of the dictionary nor a translation of one."""
    lex = lexicon()
    if word in lex.also_dutch or word in lex.reverse or len(word) < 4:
        return False
    return word in lex.words or any(b in lex.words and b not in lex.also_dutch for b in _english_bases(word))


_NO_STEMS: frozenset[str] = frozenset()


@lru_cache(maxsize=1 << 15)
def english_title(raw: str) -> bool:
    """A raw title has an English word: one the lexicon knows as English and no Dutch word, or
    one of the hand list (``[english]``, ``[english_words]``). Only then does the word comparison
    of a pair look words up in the lexicon: two Dutch titles compare as they did without it."""
    from .text import fold

    triggers = variants().triggers
    for t in fold(raw).split():
        if t in triggers or (len(t) >= 4 and english_only(t)):  # english_only needs 4+ letters
            return True
    return False


@lru_cache(maxsize=1 << 15)
def mostly_english(raw: str) -> bool:
    """At least half of a raw title's words are English (as :func:`english_title` tells one):
    ``Birdwatching walk along the Maas`` is, ``Film in de buurt`` (a loanword) is not."""
    from .text import fold

    triggers = variants().triggers
    words = fold(raw).split()
    english = sum(1 for t in words if t in triggers or (len(t) >= 4 and english_only(t)))
    return bool(words) and 2 * english >= len(words)


def lexicon_stems(tokens, length: int) -> frozenset[str]:
    """Block stems of the Dutch translations of an English title's words (``animal`` -> ``dier``,
    ``dieren``, ``beest``...) and phrases (``home care`` -> ``thuiszorg``), so it meets its Dutch
    twin in a title-token block even when no word of the two is alike (vacancies have no place or time to meet by). A title is English when at
    least half of its words are English words of the lexicon that are no Dutch words: a loanword
    in a Dutch title (``Boodschappen service``, ``Start werkzaamheden``) adds nothing."""
    english = [t for t in tokens if english_only(t)]
    if not english or 2 * len(english) < len(tokens):
        return _NO_STEMS  # one shared object: a set per record would be one more for the GC to visit
    out: set[str] = set()
    for t in english:
        out.update(w[:length] for w in equivalents(t) if len(w) >= 3)
    lex = lexicon()
    for i in range(len(tokens)):  # an English phrase's Dutch word: dog walker -> hondenuitlater
        for _end, dutch in lex.phrases_at(tokens, i):
            out.update(w[:length] for w in dutch if len(w) >= 3)
    return frozenset(out)


#: What may join the parts of a Dutch compound: dieren|asiel -> dier+en+asiel, gezondheid+s+check.
_LINKS = ("", "s", "en", "e", "n")


def _spells(word: str, seq: list[str], used: bool) -> bool:
    """``word`` is the words of ``seq`` in turn, each as itself, its verb stem or dictionary form,
    or a translation, joined with a linking ``s`` / ``en`` / ``e`` / ``n`` at most (``dierenasiel``
    = ``animal shelter``, ``zwemuur`` = ``zwemmen hour``); the last part may be a plural of the word
    (``fruitbomen`` = ``fruit boom``); at least one part translated or in another form (``used``)
    unless a link joins them (``gezondheidscheck``): plain joins are ``_unmatched``'s."""
    first, rest = seq[0], seq[1:]
    stem = _verb_stem(first)
    options = [(first, False), *((b, True) for b in ((stem,) if stem else ())),
               *((o, True) for o in equivalents(first))]
    for option, changed in options:
        if len(option) < 3:
            continue
        if not rest:
            if (word == option and (used or changed)) or (word != option and option in _dutch_bases(word)):
                return True
            continue
        if not word.startswith(option):
            continue
        tail = word[len(option):]
        for link in _LINKS:
            if tail.startswith(link) and len(tail) - len(link) >= 3:
                if _spells(tail[len(link):], rest, used or changed or bool(link)):
                    return True
    return False


@lru_cache(maxsize=1 << 16)
def _lexicon_word(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """(the words ``word`` meets through the lexicon, or as its verb stem; the first three letters
    of itself and of its translations, which a compound it is the first part of starts with)."""
    eq = equivalents(word)
    stem = _verb_stem(word)  # koken / kook: the stem of one title's verb (no lexicon needed)
    meets = eq | {stem} if stem else eq
    return meets, frozenset(w[:3] for w in (word, *eq) if len(w) >= 3)


def _by_lexicon(ul: list[str], ur: list[str]) -> tuple[list[str], list[str]]:
    """Of two titles' unmatched words, those still unmatched after the lexicon: a word meets a
    translation (or its plural, its verb stem) on the other side, an English phrase meets its
    Dutch word, and a compound meets the words that spell it (``dierenasiel`` / ``animal
    shelter``, ``kroeg quiz`` / ``pubquiz``)."""
    done_l: set[str] = set()
    done_r: set[str] = set()
    lex = lexicon()
    for seq, other, done_seq, done_oth in ((ul, ur, done_l, done_r), (ur, ul, done_r, done_l)):
        n = len(seq)
        for i, x in enumerate(seq):
            meets = _lexicon_word(x)[0]
            if meets and not meets.isdisjoint(other) and x not in done_seq:
                hit = next((y for y in other if y in meets and y not in done_oth), None)
                if hit is not None:
                    done_seq.add(x)
                    done_oth.add(hit)
                    continue
            if x not in done_seq:
                for j, dutch in lex.phrases_at(seq, i):  # a phrase of 2-3 words for one word
                    hit = next((y for y in other if y not in done_oth and y in dutch), None)
                    if hit:
                        done_seq.update(seq[i:j])
                        done_oth.add(hit)
                        break
        if n < 2:
            continue
        starts = {y[:3] for y in other if len(y) >= 7 and y not in done_oth}
        if not starts or all(_lexicon_word(x)[1].isdisjoint(starts) for x in seq[:-1]):
            continue  # no word of other starts like a word of seq or a translation of one
        free = [x for x in seq if x not in done_seq]
        for y in other:
            if y in done_oth or len(y) < 7:
                continue
            start = y[:3]
            for i in range(len(free) - 1):
                if free[i] in done_seq or start not in _lexicon_word(free[i])[1]:
                    continue
                for j in range(i + 2, min(len(free), i + 3) + 1):
                    if _spells(y, free[i:j], False):
                        done_seq.update(free[i:j])
                        done_oth.add(y)
                        break
                if y in done_oth:
                    break
    return [x for x in ul if x not in done_l], [y for y in ur if y not in done_r]


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


def _unmatched(left: list[str], right: list[str], suffixes: tuple[str, ...],
               lexical: bool = True) -> tuple[list[str], list[str]]:
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
    ul = [x for x in left if x not in done_l]
    ur = [y for y in right if y not in done_r]
    if lexical and ul and ur:  # both titles have words that meet nothing: try the lexicon
        return _by_lexicon(ul, ur)
    return ul, ur


@lru_cache(maxsize=1 << 17)
def word_score(a: tuple[str, ...], b: tuple[str, ...], lexical: bool = True) -> tuple[float, bool]:
    """(score 0-100, one title contains the other) on words: the share of both titles' words that
    meet a word of the other (equal, joined neighbours, a word form, a typo)."""
    sa, sb = set(a), set(b)
    if sa <= sb or sb <= sa:
        return 100.0, True
    v = variants()
    left = [t for t in a if t not in sb]
    right = [t for t in b if t not in sa]
    ul, ur = _unmatched(left, right, v.suffixes, lexical)
    if not ul or not ur:
        return 100.0, True
    met = (len(a) - len(ul)) + (len(b) - len(ur))
    return 100.0 * met / (len(a) + len(b)), False


def some_words_meet(ta, tb) -> bool:
    """Some word of title ``ta`` meets a word of ``tb`` (the cached comparison of :func:`refine`)."""
    return _compare(ta, tb)[0] > 0


@lru_cache(maxsize=1 << 12)
def _written(raw: str) -> frozenset[str]:
    from .text import fold  # text imports this module: a module-level import would cycle

    return frozenset(fold(raw).split())


def telling_meets(dutch, english) -> bool:
    """Do a Dutch title and an English title (:class:`~tim.dedup.text.Title`) name one thing?
    Telling words are the Dutch title's words that meet an English word (equal, a translation, a
    form, joined neighbours) and are no compound head (``workshop``, ``avond``: ``[heads]``). One
    of them must be a translation (a word the English title as written does not have: a shared
    venue name or ``Lezing`` says nothing about the language), and a single one is not enough
    when the words left over contradict each other: both sides have words the dictionaries know
    that meet nothing (``Kinderfeest`` / ``Children's theatre``: ``feest`` / ``theatre``). A word
    the dictionaries lack on one side is a gap in them, not a contradiction."""
    v = variants()
    dw, ew = dutch.words, english.words
    sd, se = set(dw), set(ew)
    ud, ue = _unmatched([t for t in dw if t not in se], [t for t in ew if t not in sd], v.suffixes, True)
    missed, heads = set(ud), frozenset(v.heads)
    telling = [t for t in dw if t not in missed and t not in heads]
    written = _written(english.raw)
    if not any(t not in written for t in telling):
        return False
    if len(telling) > 1:
        return True
    return not (any(equivalents(t) for t in ud) and any(equivalents(t) for t in ue if t not in v.english_words))


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
    lexical = english_title(ta.raw) or english_title(tb.raw)  # Dutch pairs skip the lexicon
    score, contained = word_score(ta.words, tb.words, lexical)
    out = (score, "contained" if contained else "differ")
    if not contained and (ta.has_sep or tb.has_sep) and (ta.main is None) != (tb.main is None):
        t_sub, t_other = (ta, tb) if ta.main is not None else (tb, ta)
        for part in (t_sub.main, t_sub.sub):
            # the other title is one part of the subtitled one: all its words in that part (a part
            # inside a title that adds words of its own is two titles adding different things)
            if part and _covers(part, t_other.words, lexical):
                out = (word_score(part, t_other.words, lexical)[0], "subtitle")
                break
    if len(_COMPARED) >= _COMPARED_MAX:
        _COMPARED.clear()
    _COMPARED[key] = out
    return out


@lru_cache(maxsize=1 << 14)
def _covers(whole: tuple[str, ...], part: tuple[str, ...], lexical: bool = True) -> bool:
    """Every word of ``part`` meets a word of ``whole`` (equal, joined neighbours, a form, a typo)."""
    sw, sp = set(whole), set(part)
    if sp <= sw:
        return True
    ul, _ = _unmatched([t for t in part if t not in sw], [t for t in whole if t not in sp], variants().suffixes,
                       lexical)
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
