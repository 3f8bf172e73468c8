"""Dutch address parsing: pure functions from text to :class:`AddressParts`.

``parse_address("Brusselsestr. 12a, 6211pe Maastricht")`` splits one address into street, house
number (with addition), postcode (``6211PE``) and place, and tells whether the place is in the
municipality (``in_area``). ``find_address_in_text`` finds an address or a postcode written inside a
longer text ("Locatie: Brusselsestraat 38, 6211 PG Maastricht").

Lookup tables are data files in ``data/`` (see ``data/SOURCES.md``): street abbreviations
(``street_abbreviations.csv``), place names in and outside the area (``places.csv``), buurt names
(``maastricht_buurt_names.csv``, a buurt used as a place means Maastricht), the Maastricht PC4 list
(``maastricht_pc4_centroids.csv``) and known street names (``maastricht_streets_from_osm_pois.csv``).
They are read once, lazily. Nothing here touches a database or the network.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "AddressParts",
    "data_dir",
    "find_address_in_text",
    "fold",
    "maastricht_pc4",
    "normalise_postcode",
    "parse_address",
    "place_in_area",
    "split_housenumber",
    "street_key",
]


def data_dir() -> Path:
    """The project's ``data/`` folder (``TIM_DATA_DIR`` overrides it)."""
    env = os.environ.get("TIM_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True, slots=True)
class AddressParts:
    """One Dutch address, as far as the text tells.

    ``housenumber`` is canonical: the number followed by a one-letter addition without separator
    (``"12A"``), any other addition after a hyphen (``"12-2"``, ``"12-BIS"``). ``postcode`` is
    ``"6211PE"`` (or a bare PC4 ``"6211"`` when only the digits were given). ``in_area`` is True for
    Maastricht, False for a named place (or a postcode) outside it, None when unknown. ``matched`` is
    the substring the parts were read from.
    """

    street: str | None = None
    housenumber: str | None = None
    postcode: str | None = None
    city: str | None = None
    in_area: bool | None = None
    matched: str | None = None

    @property
    def number(self) -> int | None:
        """The house number without its addition."""
        return split_housenumber(self.housenumber)[0] if self.housenumber else None

    @property
    def addition(self) -> str | None:
        """The addition of the house number (``"A"``, ``"2"``, ``"BIS"``), if any."""
        return split_housenumber(self.housenumber)[1] if self.housenumber else None

    @property
    def is_empty(self) -> bool:
        return not (self.street or self.housenumber or self.postcode or self.city)


# -- text folding ------------------------------------------------------------------------------

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, ASCII only (accents dropped), punctuation to single spaces, trimmed.

    ``"Belvédère"`` -> ``"belvedere"``, ``"Oud-Caberg"`` -> ``"oud caberg"``. The same folding is
    used on both sides of every name comparison.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.lower()).strip()


@dataclass(frozen=True, slots=True)
class _Abbreviations:
    suffix: tuple[tuple[str, str], ...]
    words: dict[tuple[str, ...], tuple[str, ...]]
    max_words: int


@lru_cache(maxsize=1)
def _abbreviations() -> _Abbreviations:
    suffix: list[tuple[str, str]] = []
    words: dict[tuple[str, ...], tuple[str, ...]] = {}
    for row in _read_csv("street_abbreviations.csv"):
        abbr, exp = fold(row["abbreviation"]), fold(row["expansion"])
        if row["position"].strip() == "suffix":
            suffix.append((abbr, exp))
        else:
            words[tuple(abbr.split())] = tuple(exp.split())
    return _Abbreviations(tuple(suffix), words, max((len(k) for k in words), default=1))


def expand_tokens(tokens: list[str]) -> list[str]:
    """Expand abbreviations (``str``, ``st``, ``burg``, ``o l`` ...) in folded tokens."""
    ab = _abbreviations()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(ab.max_words, len(tokens) - i), 0, -1):
            key = tuple(tokens[i:i + size])
            if key in ab.words:
                out.extend(ab.words[key])
                i += size
                break
        else:
            tok = tokens[i]
            for abbr, exp in ab.suffix:
                if tok.endswith(abbr) and len(tok) > len(abbr) + 2:
                    tok = tok[: -len(abbr)] + exp
                    break
            out.append(tok)
            i += 1
    return out


@lru_cache(maxsize=8192)
def street_key(street: str) -> str:
    """Comparison key of a street name: folded, abbreviations expanded, spaces removed.

    ``"St. Pieterstr."``, ``"Sint-Pieterstraat"`` and ``"sint pieter straat"`` share one key.
    """
    return "".join(expand_tokens(fold(street).split()))


# -- postcodes and house numbers ---------------------------------------------------------------

#: A Dutch postcode: 4 digits (no leading 0), optional space, 2 letters (never SA, SD or SS).
_POSTCODE = re.compile(r"(?<![\w])([1-9]\d{3})[ \t]?([A-Za-z]{2})(?![\w])")
_PC4_ONLY = re.compile(r"(?<![\w])(6[12]\d{2})(?![\w])")
_BAD_LETTERS = {"SA", "SD", "SS"}


def normalise_postcode(text: str) -> str | None:
    """``"6211 pe"`` / ``"6211PE"`` / ``" 6211  PE"`` -> ``"6211PE"``; None when not a postcode."""
    m = re.fullmatch(r"\s*([1-9]\d{3})\s*([A-Za-z]{2})\s*", text or "")
    if not m or m.group(2).upper() in _BAD_LETTERS:
        return None
    return m.group(1) + m.group(2).upper()


_HOUSENUMBER = re.compile(
    r"(?P<num>\d{1,5})"
    r"(?:\s*(?:-|/|\s)?\s*(?P<add>bis|hs|bg|[A-Za-z]\d{0,3}(?![A-Za-z])|(?<=[-/])\d{1,4}|(?<=[-/] )\d{1,4}))?",
    re.IGNORECASE,
)


def split_housenumber(text: str | None) -> tuple[int | None, str | None]:
    """``"12a"`` -> ``(12, "A")``; ``"12-2"`` -> ``(12, "2")``; ``"12 bis"`` -> ``(12, "BIS")``."""
    if not text:
        return None, None
    m = _HOUSENUMBER.match(text.strip())
    if not m:
        return None, None
    add = m.group("add")
    return int(m.group("num")), (add.upper() if add else None)


def canonical_housenumber(number: int, addition: str | None) -> str:
    """``(12, "A")`` -> ``"12A"``; ``(12, "2")`` -> ``"12-2"``; ``(12, None)`` -> ``"12"``."""
    if not addition:
        return str(number)
    if len(addition) == 1 and addition.isalpha():
        return f"{number}{addition}"
    return f"{number}-{addition}"


# -- places ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Places:
    by_key: dict[str, tuple[str, bool]]  # folded name -> (display name, in_area)
    pc4: frozenset[str]


@lru_cache(maxsize=1)
def _places() -> _Places:
    by_key: dict[str, tuple[str, bool]] = {}
    for row in _read_csv("maastricht_buurt_names.csv"):
        by_key[fold(row["name"])] = ("Maastricht", True)
    for row in _read_csv("places.csv"):
        by_key[fold(row["name"])] = (row["name"].strip(), row["in_area"].strip() == "1")
    by_key["st pieter"] = ("Maastricht", True)
    pc4 = frozenset(row["pc4"].strip() for row in _read_csv("maastricht_pc4_centroids.csv"))
    return _Places(by_key, pc4)


def place_in_area(name: str | None) -> bool | None:
    """True for Maastricht (or one of its buurten), False for a known place outside, else None."""
    if not name:
        return None
    hit = _places().by_key.get(fold(name))
    return hit[1] if hit else None


def maastricht_pc4() -> frozenset[str]:
    """The PC4 areas of Maastricht (from ``maastricht_pc4_centroids.csv``)."""
    return _places().pc4


def _postcode_in_area(postcode: str | None) -> bool | None:
    if not postcode:
        return None
    pc4 = postcode[:4]
    if pc4 in maastricht_pc4():
        return True
    if pc4.startswith("620"):  # 6200-6209: Maastricht PO boxes (postbus), not locatable
        return True
    return False


def _city(text: str) -> tuple[str | None, bool | None]:
    """Canonical name and in_area of a place slot; an unknown name is kept as written."""
    text = re.sub(r"\s+", " ", text).strip(" ,.;:-()")
    if not text:
        return None, None
    hit = _places().by_key.get(fold(text))
    if hit:
        return hit
    # "Maastricht (NL)", "Maastricht, Nederland": take the first known word sequence
    folded = fold(text).split()
    for size in range(len(folded), 0, -1):
        for i in range(len(folded) - size + 1):
            hit = _places().by_key.get(" ".join(folded[i:i + size]))
            if hit:
                return hit
    return text if re.search(r"[A-Za-z]", text) else None, None


# -- parsing one address -----------------------------------------------------------------------

_STREET_NUMBER = re.compile(
    r"^(?P<street>[^\d,;]*?[A-Za-z\u00C0-\u024F'’.)][^\d,;]*?)\s*,?\s*(?P<hn>\d{1,5}(?:\s*(?:-|/)?\s*(?:bis|hs|bg|[A-Za-z]\d{0,3}|\d{1,4}))?)(?![\w])",
    re.IGNORECASE,
)
_NOT_ADDITIONS = {"EN", "TE", "IN", "OP", "DE", "HET", "BIJ", "TOT", "OF"}


def _street_and_number(text: str) -> tuple[str | None, str | None]:
    text = text.strip()
    m = _STREET_NUMBER.match(text)
    if not m:
        street = text.strip(" ,.;:") or None
        return (street if street and re.search(r"[A-Za-z]{2}", street) else None), None
    street = re.sub(r"\s+", " ", m.group("street")).strip(" ,;:")
    number, addition = split_housenumber(m.group("hn"))
    if addition in _NOT_ADDITIONS:
        addition = None
    hn = canonical_housenumber(number, addition) if number is not None else None
    return (street or None), hn


def parse_address(text: str) -> AddressParts:
    """Split one address into its parts; unknown parts are None.

    Handles ``"Brusselsestraat 12a, 6211 PE Maastricht"``, ``"Brusselsestr. 12-A 6211pe"``,
    ``"6211 PE"``, ``"Kerkstraat 1, Meerssen"``, ``"Markt 78"`` (abbreviations are kept in
    ``street`` as written but compare equal through :func:`street_key`).
    """
    raw = re.sub(r"\s+", " ", (text or "")).strip()
    if not raw:
        return AddressParts()
    if not _DIGIT.search(raw):  # no number and no postcode: at most a street and a place
        return _parse_without_digits(raw)
    rest = raw
    postcode = city = None
    in_area = None
    m = _POSTCODE.search(rest)
    if m and m.group(2).upper() not in _BAD_LETTERS:
        postcode = m.group(1) + m.group(2).upper()
        after = rest[m.end():]
        before = rest[: m.start()]
        city_text = re.split(r"[,;(]", after, maxsplit=1)[0]
        city, in_area = _city(city_text)
        rest = before
    else:
        m4 = re.search(r"(?<![\w])([1-9]\d{3})\s+([A-Za-z][A-Za-z .'-]+)$", rest)
        parts = [p.strip() for p in rest.split(",")]
        if len(parts) > 1:
            city, in_area = _city(parts[-1])
            if city is not None and in_area is None and re.search(r"\d", parts[-1]):
                city = None  # "Markt 78, 2e etage": not a place
            if city is not None:
                rest = ",".join(parts[:-1])
                m4 = re.search(r"(?<![\w])([1-9]\d{3})\s*$", rest)
                if m4:  # Belgian "3620 Lanaken" or a bare PC4
                    postcode = m4.group(1) if in_area else None
                    rest = rest[: m4.start()]
        elif m4 and (place_in_area(m4.group(2)) is not None):
            city, in_area = _city(m4.group(2))
            postcode = m4.group(1) if in_area else None
            rest = rest[: m4.start()]
        if city is None:
            te = re.search(r"\s+(?:te|in)\s+([A-Z][\w' -]+)$", rest)
            if te and place_in_area(te.group(1)) is not None:
                city, in_area = _city(te.group(1))
                rest = rest[: te.start()]
        if city is None:
            # a trailing known place without comma: "Kerkstraat 1 Meerssen"
            tail = re.search(r"(?<=\d)\s*[A-Za-z]?\s+([A-Z][\w' -]+)$", rest)
            if tail and place_in_area(tail.group(1)) is not None:
                city, in_area = _city(tail.group(1))
                rest = rest[: tail.start(1)]
    street, housenumber = _street_and_number(rest.strip(" ,;")) if rest.strip(" ,;") else (None, None)
    if street and fold(street) in ("postbus", "antwoordnummer", "po box"):
        street, housenumber = None, None  # a PO box has no place
    if street and place_in_area(street) is not None and housenumber is None and city is None:
        city, in_area = _city(street)  # the whole text is a place name: "Meerssen"
        street = None
    if in_area is None:
        in_area = _postcode_in_area(postcode) if postcode and len(postcode) == 6 else None
    return AddressParts(street, housenumber, postcode, city, in_area, raw)


_DIGIT = re.compile(r"\d")


def _parse_without_digits(raw: str) -> AddressParts:
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts:
        return AddressParts(matched=raw)
    city, in_area = (None, None)
    hit = _places().by_key.get(fold(parts[-1]))
    if hit:
        city, in_area = hit
        parts = parts[:-1]
    street = parts[0] if parts and re.search(r"[A-Za-z]{2}", parts[0]) else None
    return AddressParts(street, None, None, city, in_area, raw)


# -- finding an address inside a text ----------------------------------------------------------

_LABELLED = re.compile(
    r"(?:^|[\n.;|]|\s)(?:(?:locatie|adres|waar|plaats|vindplaats|ontmoetingsplek|address|location|venue)\s*[:=]|(?:^|(?<=\n))(?:locatie|adres)\s)\s*(?P<value>[^\n;|]{3,120})",
    re.IGNORECASE,
)
_STREET_ENDINGS = tuple(
    ["straat", "str.", "str", "weg", "laan", "ln.", "plein", "pl.", "singel", "gracht", "kade", "dreef", "steeg", "pad", "hof", "markt", "park", "wal", "dijk", "boulevard", "poort", "baan", "gang", "brug", "staat", "ring", "allee", "plantsoen", "oever", "hoven", "dal", "veld", "berg", "bastion", "kazerne", "wei", "vest", "werf", "haven", "kwartier", "stein", "straatje", "pleintje"]
)
_PARTICLES = frozenset({"van", "de", "der", "den", "het", "d'", "'t", "aan", "op", "in", "la", "le", "of", "en"})
_WORD = re.compile(r"[^\s,;:()]+")
_HN_TOKEN = re.compile(r"\d{1,5}(?:-\d{1,4}|[A-Za-z])?(?![\w])")
_ANY_STREET_NUMBER_POSTCODE = re.compile(
    r"(?:[A-Za-z\u00C0-\u024F][\w'’.\u00C0-\u024F-]*\s+){1,4}\d{1,5}(?:\s?[A-Za-z](?![A-Za-z])|-\d{1,3})?\s*,?\s*[1-9]\d{3}\s?[A-Za-z]{2}(?![\w])"
    r"(?:\s*,?\s*[A-Za-z][\w'-]+)?"
)
_GLUED_ADDITION = re.compile(r"[-/][A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_CITY_AFTER = re.compile(r"\s*,?\s*(?:(?P<pc>[1-9]\d{3}\s?[A-Za-z]{2})\s*,?\s*)?(?:(?:te|in)\s+)?(?P<city>[A-Za-z][\w'-]+(?:[ -](?:aan|en|op|de|[A-Z])[\w'-]*){0,3})?")


@lru_cache(maxsize=1)
def _known_streets() -> dict[str, object]:
    """Known street names as a first-token index: folded first word -> [(folded tokens, name)]."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    names = {row["street"].strip() for row in _read_csv("maastricht_streets_from_osm_pois.csv")}
    names |= {row["street"].strip() for row in _read_csv("maastricht_osm_poi_addresses.csv")}
    for name in sorted(n for n in names if n):
        toks = tuple(_norm_token(t) for t in fold(name).split())
        if toks:
            index.setdefault(toks[0], []).append((toks, name))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index  # type: ignore[return-value]


_TOKEN = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+")
_ASCII_TOKEN = re.compile(r"[0-9A-Za-z]+")


def _ascii(text: str) -> str:
    """Accents dropped, case and length kept where possible (for token positions)."""
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out.append(base[:1] if base and base[:1].isascii() else " ")
    return "".join(out)


@lru_cache(maxsize=16384)
def _norm_token(tok: str) -> str:
    """One folded token with its abbreviation expanded (``spilstr`` -> ``spilstraat``, ``st`` -> ``sint``)."""
    ab = _abbreviations()
    word = ab.words.get((tok,))
    if word and len(word) == 1 and tok not in ("str", "ln", "pl", "v"):
        return word[0]
    for abbr, exp in ab.suffix:
        if tok.endswith(abbr) and len(tok) > len(abbr) + 2:
            return tok[: -len(abbr)] + exp
    return tok


def _known_street_with_number(text: str) -> tuple[int, int, str, str] | None:
    """First ``<known street> <number>`` in text: (start, end, street, housenumber).

    Abbreviations count (``Spilstr. 3``); a lower-case street counts when its name is long enough
    not to be an ordinary word (two words, or one of 8+ letters).
    """
    index = _known_streets()
    src = (text if text.isascii() else _ascii(text)).lower()
    words = [_norm_token(w) for w in _ASCII_TOKEN.findall(src)]
    if index.keys().isdisjoint(words):
        return None
    tokens = [(m.start(), m.end(), w) for m, w in zip(_ASCII_TOKEN.finditer(src), words)]
    for i, (start, _end, tok) in enumerate(tokens):
        for toks, name in index.get(tok, ()):
            n = len(toks)
            if i + n >= len(tokens) or tuple(t[2] for t in tokens[i:i + n]) != toks:
                continue
            if not text[start].isupper() and not (n >= 2 or len(toks[0]) >= 8):
                continue
            end_street = tokens[i + n - 1][1]
            gap = text[end_street:tokens[i + n][0]]
            hm = _HOUSENUMBER.match(text, tokens[i + n][0])
            if hm and gap.strip(" .") == "":
                hn_number, add = int(hm.group("num")), hm.group("add")
                add = add.upper() if add and add.upper() not in _NOT_ADDITIONS else None
                return start, hm.end(), name, canonical_housenumber(hn_number, add)
    return None


def find_address_in_text(text: str) -> AddressParts | None:
    """The first address (or at least a postcode) written inside a longer text, else None.

    Looks, in this order, for a labelled line (``Locatie:``, ``Adres:``, ``Waar:``), a street with
    a house number (a known Maastricht street, or any capitalised name ending in a street word such
    as ``-straat``/``-weg``/``-plein``) with the postcode and place that follow it, and a postcode
    written in capitals (``6211 PG``; lower-case only when a place name follows, so ``2024 en`` is
    not a postcode).
    """
    if not text or not _DIGIT.search(text):
        return None  # no number, no postcode
    labelled = ":" in text or "=" in text or "dres" in text or "ocatie" in text
    for m in (_LABELLED.finditer(text) if labelled else ()):
        value = m.group("value").strip()
        value = re.split(r"\s+(?:om|van|op|tot)\s+\d|\s+\(|\.\s", value, maxsplit=1)[0]
        parts = parse_address(value)
        if parts.housenumber or parts.postcode:
            return _with_match(parts, value)
    hit = _street_number_hit(text)
    if hit is None:
        m = _ANY_STREET_NUMBER_POSTCODE.search(text)
        if m:
            parts = parse_address(m.group(0))
            if parts.street and parts.housenumber and parts.postcode:
                return parts
    if hit:
        start, end, street, hn = hit
        glued = _GLUED_ADDITION.match(text, end)  # "57-Unit-2a, 6213 GA": the rest of the number
        after = _CITY_AFTER.match(text, glued.end() if glued else end)
        if glued and not (after and (after.group("pc") or after.group("city"))):
            after = _CITY_AFTER.match(text, end)
        postcode = city = None
        in_area = None
        if after:
            if after.group("city") and place_in_area(after.group("city")) is not None:
                city, in_area = _city(after.group("city"))
            pc_text = after.group("pc")
            if pc_text and (pc_text[-2:].isupper() or city is not None):
                postcode = normalise_postcode(pc_text)
            if postcode or city:
                end = after.end()
        if in_area is None and postcode:
            in_area = _postcode_in_area(postcode)
        return AddressParts(street, hn, postcode, city, in_area, text[start:end].strip(" ,"))
    for m in _POSTCODE.finditer(text):
        letters = m.group(2)
        if letters.upper() in _BAD_LETTERS:
            continue
        after = _CITY_AFTER.match(text, m.end())
        city_name = after.group("city") if after else None
        in_area_city = place_in_area(city_name) if city_name else None
        if not letters.isupper() and in_area_city is None:
            nxt = re.match(r"\s+(\w+)", text[m.end():])
            if not (nxt and place_in_area(nxt.group(1)) is not None):
                continue
            city_name = nxt.group(1)
            in_area_city = place_in_area(city_name)
        postcode = m.group(1) + letters.upper()
        city, in_area = _city(city_name) if in_area_city is not None else (None, None)
        if in_area is None:
            in_area = _postcode_in_area(postcode)
        end = after.end() if (after and in_area_city is not None) else m.end()
        return AddressParts(None, None, postcode, city, in_area, text[m.start():end].strip(" ,"))
    return None


def _street_number_hit(text: str) -> tuple[int, int, str, str] | None:
    known = _known_street_with_number(text)
    suffixed = _suffixed_street_number(text[: known[0]] if known else text)
    if known and suffixed:
        return known if known[0] <= suffixed[0] else suffixed
    return known or suffixed


def _suffixed_street_number(text: str) -> tuple[int, int, str, str] | None:
    """First ``<Capitalised name ending in a street word> <number>``: (start, end, street, number).

    The name may span up to three capitalised words joined by particles ("Burgemeester van
    Oppenstraat"); leading words are dropped when a shorter tail is a known street.
    """
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    for k in range(1, len(words)):
        w_start, _w_end, word = words[k]
        hn = _HN_TOKEN.match(word)
        if not hn or hn.end() != len(word.rstrip(".,")):
            continue
        prev = words[k - 1][2]
        if not prev.lower().endswith(_STREET_ENDINGS) or not prev[:1].isalpha():
            continue
        first = k - 1
        capitals = 1 if prev[:1].isupper() else 0
        j = k - 2
        while j >= 0 and capitals < 4:
            w = words[j][2]
            if w[:1].isupper() and w[-1:] not in ".:!?":
                capitals += 1
                first = j
            elif w.lower() in _PARTICLES and j > 0 and words[j - 1][2][:1].isupper():
                pass
            else:
                break
            j -= 1
        if words[first][2].lower() in _PARTICLES:
            first += 1
        if not words[first][2][:1].isupper():
            continue
        street = " ".join(w[2] for w in words[first:k])
        number, add = split_housenumber(hn.group())
        if not number:
            continue
        add = add if add not in _NOT_ADDITIONS else None
        street, start = _trim_to_known(street, words[first][0])
        return start, w_start + hn.end(), street, canonical_housenumber(number, add)
    return None


@lru_cache(maxsize=1)
def _known_street_tuples() -> frozenset[tuple[str, ...]]:
    return frozenset(toks for entries in _known_streets().values() for toks, _ in entries)  # type: ignore[attr-defined]


def _trim_to_known(street: str, start: int) -> tuple[str, int]:
    """Drop leading words ("Bezoek Rijksweg") when a shorter tail is a known street."""
    words = street.split(" ")
    known = _known_street_tuples()
    for i in range(len(words)):
        tail = " ".join(words[i:])
        if tuple(fold(tail).split()) in known:
            return tail, start + len(" ".join(words[:i])) + (1 if i else 0)
    return street, start


def _with_match(parts: AddressParts, matched: str) -> AddressParts:
    return AddressParts(parts.street, parts.housenumber, parts.postcode, parts.city, parts.in_area, matched)


# -- data files --------------------------------------------------------------------------------

def _read_csv(name: str) -> list[dict[str, str]]:
    path = data_dir() / name
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except OSError as exc:
        from tim.errors import GeoError

        raise GeoError(f"cannot read address lookup table {path}: {exc}") from exc
