"""Text normalisation for matching: case, accents, punctuation, times, stop words; canonical URLs.

Everything here is a pure function of its input plus the data files it reads once:
``dedup/stopwords.txt`` (stop words, date words, organizer words, wijk place words) and
``data/maastricht_buurt_names.csv`` (buurt names and aliases, for the place-conflict rule).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from .variants import split_compounds, translate

STOPWORDS_FILE = Path(__file__).with_name("stopwords.txt")
BUURT_NAMES_FILE = "maastricht_buurt_names.csv"


def _build_table() -> dict[int, str]:
    """Translate table: accents to base letters, punctuation to space, apostrophes removed."""
    table: dict[int, str] = {}
    for cp in range(0x20, 0x2100):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if ch.isalnum():
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            base = base.lower()
            if base != ch:
                table[cp] = base
        elif cat[0] in "PSZ" or ch.isspace():
            table[cp] = " "
    for ch in "'\u2019\u2018`\u00b4":  # 's middags, 't Rooi: keep the word together
        table[ord(ch)] = ""
    table[ord("&")] = " en "
    table.update(
        {
            ord("\u00df"): "ss",
            ord("\u00e6"): "ae",
            ord("\u00f8"): "o",
            ord("\u0133"): "ij",
            ord("\u0153"): "oe",
            ord("\u0131"): "i",
        }
    )
    return table


_TABLE = _build_table()
_TIME = re.compile(r"\b\d{1,2}(?:[:.h]\d{2})(?:\s*(?:uur|u)\b)?|\b\d{1,2}\s*(?:uur|u)\b")
_NUMERIC_DATE = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[-/]\d{1,2}(?:[-/]\d{2,4})?\b(?!\s*(?:jaar|jr|km|\+|plus))"
)  # "4-6 jaar" is an age range, not a date
_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
_NUMBER = re.compile(r"^\d+$")
_CODE = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z0-9]{2,8}$")  # jo11, a1, u12
_SUBTITLE = re.compile(r"\s*(?::|\s[-\u2013\u2014|]\s|[\u2013\u2014|]|\()\s*")
_LETTER_JOINED = re.compile(r"(?<![\w-])([A-Za-z])-(?=[A-Za-z]{2})")  # A-diploma, B-rijbewijs
_LETTER_AFTER = re.compile(r" ([A-Z])(?=\s*$|\s*[:(|\u2013\u2014]|\s+-\s)")  # Groep A, Team B: (after a word)
_TRACKING = re.compile(r"^(utm_|mc_|fbclid$|gclid$|msclkid$|_ga$|ref$|source$)")


def fold(text: str) -> str:
    """Lower case, accents stripped, punctuation as space (no stop words removed)."""
    return text.lower().translate(_TABLE)


@dataclass(frozen=True)
class Vocabulary:
    """The stop-word data: sections of ``stopwords.txt`` and the buurt place names."""

    phrases: dict[str, tuple[tuple[str, ...], ...]]
    """First word -> the phrases starting with it, longest first."""
    words: frozenset[str]
    organizer_words: frozenset[str]
    places: dict[tuple[str, ...], int]
    """Place name as words -> bit number (one per buurt code or wijk place word)."""
    place_first: dict[str, tuple[tuple[str, ...], ...]]
    prefix_ends: frozenset[str]
    count_words: frozenset[str]
    """Words before a number that count (``groep 3``): ``groep 1-2`` is a range, not 1 February."""
    object_words: frozenset[str]
    """Plural stop words that name whom a role is for when they follow a content word
    (``Coördinator vrijwilligers``): kept there, dropped elsewhere (``Vrijwilliger kledingbank``)."""
    buurt_bits: int
    """The bits of ``places`` that stand for buurt codes."""
    month_date: re.Pattern[str]
    """``14 juni`` / ``14 jun. 2025``: a day of a month, taken out of titles."""


def read_sections(path: Path, *, folded: bool = True) -> dict[str, list[str]]:
    """``[section]`` -> its lines, from a word-list file (``#`` comments and blank lines left out);
    each line folded and its spaces collapsed unless ``folded=False``."""
    sections: dict[str, list[str]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(" ".join(fold(line).split()) if folded else line)
    return sections


def _buurt_names() -> list[tuple[str, str]]:
    """(normalised name, buurt code) from the project's buurt names file (aliases included)."""
    from tim.normalizers.address import data_dir

    path = data_dir() / BUURT_NAMES_FILE
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            (" ".join(fold(r["name"]).split()), r["buurtcode"].strip())
            for r in csv.DictReader(fh)
            if r.get("buurtcode", "").strip()
        ]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """Load the stop-word file and the buurt names once."""
    sec = read_sections(STOPWORDS_FILE)
    phrases: dict[str, list[tuple[str, ...]]] = {}
    for p in sec.get("phrases", []):
        words = tuple(p.split())
        phrases.setdefault(words[0], []).append(words)
    codes: dict[str, int] = {}
    places: dict[tuple[str, ...], int] = {}
    for name, code in _buurt_names():
        places[tuple(name.split())] = codes.setdefault(code, len(codes))
    buurt_bits = (1 << len(codes)) - 1
    for word in sec.get("place_words", []):
        places[tuple(word.split())] = codes.setdefault("word:" + word, len(codes))
    if len(codes) > 63:
        raise ValueError(f"{len(codes)} place names do not fit the 63-bit place mask")
    place_first: dict[str, list[tuple[str, ...]]] = {}
    for words in places:
        place_first.setdefault(words[0], []).append(words)
    return Vocabulary(
        phrases={k: tuple(sorted(v, key=len, reverse=True)) for k, v in phrases.items()},
        words=frozenset(sec.get("words", []) + sec.get("weekdays", []) + sec.get("months", [])),
        organizer_words=frozenset(sec.get("organizer", [])),
        places=places,
        place_first={k: tuple(sorted(v, key=len, reverse=True)) for k, v in place_first.items()},
        prefix_ends=frozenset(w for w in sec.get("prefix_ends", []) if " " not in w),
        object_words=frozenset(sec.get("object_words", [])),
        count_words=frozenset(sec.get("count_words", [])),
        buurt_bits=buurt_bits,
        month_date=re.compile(
            r"\b\d{1,2}\s*(?:"
            + "|".join(sorted(sec.get("months", []), key=len, reverse=True))
            + r")\b\.?(?:\s*\d{4}\b)?"
        ),
    )


def _drop_phrases(tokens: list[str], phrases: dict[str, tuple[tuple[str, ...], ...]]) -> list[str]:
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        for phrase in phrases.get(tokens[i], ()):
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def buurt_mask(tokens: list[str]) -> int:
    """Bit mask of the buurt names (not the wijk place words) in a token list: for descriptions,
    where "centrum" or "oost" say too little."""
    vocab = vocabulary()
    return place_mask(tokens, vocab) & vocab.buurt_bits


def place_mask(tokens: list[str], vocab: Vocabulary) -> int:
    """Bit mask of the buurt names / wijk place words in a token list (longest names first)."""
    if vocab.place_first.keys().isdisjoint(tokens):
        return 0  # the common case, at C speed
    mask, i, n = 0, 0, len(tokens)
    while i < n:
        for name in vocab.place_first.get(tokens[i], ()):
            if tuple(tokens[i : i + len(name)]) == name:
                mask |= 1 << vocab.places[name]
                i += len(name) - 1
                break
        i += 1
    return mask


@dataclass(frozen=True, slots=True)
class Title:
    """A title as matching sees it."""

    text: str
    """Normalised title for similarity: content tokens without place names (those are compared
    as places), joined by one space."""
    compact: str
    """The same without spaces, in title order ("repair cafe" and "repaircafe" are equal)."""
    full: str
    """All content tokens, place names included, joined by one space."""
    tokens: tuple[str, ...]
    """All content tokens, place names included (block keys)."""
    places: int
    """Bit mask of place names in the title."""
    numbers: frozenset[int | str]
    """Numbers left in the title after times and dates were taken out, and codes with digits
    (``JO11``, ``A1``)."""
    words: tuple[str, ...] = ()
    """The words of ``text`` with compounds split at a known head (``dedup/variants.py``)."""
    wordset: frozenset[str] = frozenset()
    raw: str = ""
    """The title as given."""
    has_sep: bool = False
    """The title has a subtitle separator (its parts are then computed on demand)."""

    @property
    def main(self) -> tuple[str, ...] | None:
        """With a subtitle (after ``:``, `` - ``, ``|`` or in brackets): the words before it."""
        parts = subtitle_parts(self.raw)
        return parts[0] if parts else None

    @property
    def sub(self) -> tuple[str, ...] | None:
        """... and the words of the subtitle."""
        parts = subtitle_parts(self.raw)
        return parts[1] if parts else None


@lru_cache(maxsize=1 << 16)
def normalize_title(title: str) -> Title:
    """Normalise a title: case, accents, punctuation, clock times, dates, English words (into
    Dutch), stop words; ``words`` also has compounds split at a known head.

    ``"Vrijwilliger gezocht: Taalmaatje (m/v) in Malberg!"`` -> ``"taalmaatje malberg"``. When
    nothing is left after removing stop words, the folded title is used as it is.
    """
    vocab = vocabulary()
    low = _strip_dates(title, vocab)
    folded, kept = _title_words(low, vocab)
    if not kept:
        kept = fold(title).split()
    places = place_mask(folded, vocab)
    numbers = frozenset(int(t) if t.isdigit() else t for t in kept
                        if not t.isalpha() and ((_NUMBER.match(t) and len(t) <= 6) or _CODE.match(t)))
    labels = _letter_labels(title)
    if labels:
        numbers |= labels
    what = _drop_places(kept, vocab) if places else kept
    words = tuple(split_compounds(what))
    m = _SUBTITLE.search(low)
    return Title(" ".join(what), "".join(what), " ".join(kept), tuple(kept), places, numbers, words,
                 frozenset(words), title, bool(m and m.start() > 0))


def _letter_labels(title: str) -> frozenset[str]:
    """Single letters that tell numbered look-alikes apart, like numbers: ``A-diploma`` /
    ``B-diploma``, ``Groep A`` / ``Groep B`` (a capital letter after a word, ending the title or
    its main part). Returned as ``"letter:a"`` beside the numbers of the title."""
    found = {m.group(1).lower() for m in _LETTER_JOINED.finditer(title)} if "-" in title else set()
    found.update(m.group(1).lower() for m in _LETTER_AFTER.finditer(title)
                 if m.start() >= 2 and title[m.start() - 2:m.start()].isalpha()
                 and title[m.start() - 2:m.start()].islower())
    return frozenset(f"letter:{c}" for c in found)


@lru_cache(maxsize=1 << 14)
def subtitle_parts(title: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(main words, subtitle words) of a title with a subtitle, both without places; None without
    one (or when either part has no content word: ``Vrijwilliger gezocht: Taalmaatje``)."""
    vocab = vocabulary()
    low = _strip_dates(title, vocab)
    m = _SUBTITLE.search(low)
    if not m or m.start() == 0:
        return None
    main = split_compounds(_drop_places(_title_words(low[: m.start()], vocab, fallback=False)[1], vocab))
    sub = split_compounds(_drop_places(_title_words(low[m.end():], vocab, fallback=False)[1], vocab))
    return (tuple(main), tuple(sub)) if main and sub else None


def _strip_dates(title: str, vocab: Vocabulary) -> str:
    low = title.lower()
    low = _TIME.sub(" ", low)
    if "-" in low or "/" in low:
        low = _NUMERIC_DATE.sub(lambda m: _date_or_range(m, low, vocab), low)
    return vocab.month_date.sub(" ", low)


def _date_or_range(m: re.Match[str], low: str, vocab: Vocabulary) -> str:
    """A numeric date is taken out; ``groep 1-2`` / ``niveau 3/4`` (after a word that counts, see
    ``[count_words]``) and ``8-14`` (no month 14) are ranges and stay, as numbers."""
    text = m.group(0)
    parts = re.split(r"[-/]", text)
    if len(parts[0]) == 4 or len(parts) == 3:
        return " "  # 2025-06-14, 14-6-2025: a date
    day, month = int(parts[0]), int(parts[1])
    before = low[: m.start()].split()
    if not (1 <= day <= 31 and 1 <= month <= 12) or (before and before[-1] in vocab.count_words):
        return text.replace("-", " ").replace("/", " ")
    return " "


def _title_words(low: str, vocab: Vocabulary, fallback: bool = True) -> tuple[list[str], list[str]]:
    """(all folded words, content words) of a lower-cased title without dates; with ``fallback``
    the folded words when no content word is left."""
    folded = translate(low.translate(_TABLE).split())
    cut = max((i for i, t in enumerate(folded[:-1]) if t in vocab.prefix_ends), default=-1)
    kept = _content_words(folded[cut + 1 :], vocab) if cut >= 0 else []
    if kept:
        folded = folded[cut + 1 :]
    else:  # nothing but generic words after "zoekt": the part before it is what the item is about
        kept = _content_words(folded, vocab) or (folded if fallback else [])
    return folded, kept


def _content_words(tokens: list[str], vocab: Vocabulary) -> list[str]:
    """Tokens without stop phrases and stop words; an object word (``vrijwilligers``) right after
    a content word stays: ``Coördinator vrijwilligers`` is not ``Coördinator evenementen``."""
    tokens = _drop_phrases(tokens, vocab.phrases)
    if vocab.object_words.isdisjoint(tokens):  # the common case, at C speed
        return [t for t in tokens if t not in vocab.words]
    out: list[str] = []
    prev_kept = False
    for t in tokens:
        if t not in vocab.words or (prev_kept and t in vocab.object_words):
            out.append(t)
            prev_kept = True
        else:
            prev_kept = False
    return out


def _drop_places(tokens: list[str], vocab: Vocabulary) -> list[str]:
    """The tokens without place names (compared on their own), unless nothing else is left."""
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        for name in vocab.place_first.get(tokens[i], ()):
            if tuple(tokens[i : i + len(name)]) == name:
                i += len(name)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out or tokens


def normalize_text(text: str, limit: int) -> str:
    """A description for comparison: its first ``limit`` characters folded, URLs left out."""
    head = text[: limit + 200]
    if "http" in head or "HTTP" in head or "Http" in head:
        head = _URL.sub(" ", head)
    return " ".join(fold(head[:limit]).split())


@lru_cache(maxsize=1 << 14)
def normalize_organizer(name: str | None) -> str:
    """``"Stichting Trajekt Maastricht"`` -> ``"trajekt"``."""
    if not name:
        return ""
    words = fold(name).split()
    kept = [w for w in words if w not in vocabulary().organizer_words]
    return " ".join(kept or words)


def canonical_url(url: str | None) -> str | None:
    """Scheme-less, lower-case host without ``www.``, no fragment, no tracking parameters, no
    trailing slash. ``None`` for a URL without a path (a home page says nothing about an item)."""
    if not url:
        return None
    url = url.strip()
    if (
        "?" not in url
        and "#" not in url
        and "@" not in url
        and url.lower().startswith(("http://", "https://"))
    ):
        host, _, path = url.split("://", 1)[1].partition("/")
        host = host.lower().rsplit(":", 1)[0] if host.count(":") == 1 else host.lower()
        host = host.removeprefix("www.")
        path = path.rstrip("/")
        return f"{host}/{path}" if host and path else None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    host = host.removeprefix("www.")
    path = parts.path.rstrip("/")
    if not host or not path:
        return None
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k.lower()))
    )
    return f"{host}{path}" + (f"?{query}" if query else "")


def urls_in(text: str) -> list[str]:
    """URLs written in a plain text."""
    if not text or "http" not in text:
        return []
    return [u.rstrip(".,;:!?") for u in _URL.findall(text)]
