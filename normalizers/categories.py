"""Categories and kinds: raw labels mapped through the vocabularies in ``data/``.

``data/categories.csv`` maps a raw label to a category slug (``"Zorg & Welzijn"`` ->
``zorg-welzijn``); a label not in it is kept as its own slug (``"Repair Café"`` ->
``repair-cafe``). ``data/kinds.csv`` maps a per-record kind (``"Vacature"``, schema.org
``"JobPosting"``) to one of ``records.ITEM_KINDS``. Labels match case-, accent- and
punctuation-insensitively, and ignoring the words in ``_FILLER`` ("Zorg en welzijn" is
"Zorg & Welzijn").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from tim.errors import DataError
from tim.records import ITEM_KINDS

from .text import as_text, clean_text
from .vocab import data_dir, load_table

MAX_CATEGORIES = 20
MAX_LABEL_CHARS = 100
MAX_SLUG_CHARS = 60

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SPLIT_RE = re.compile(r"\s*[,;|]\s*")
_FILLER = frozenset({"en", "and", "&"})


def normalize_label(label: str) -> str:
    """The matching key of a label: lower case, no accents, words separated by one space,
    filler words ("en", "and") left out."""
    text = unicodedata.normalize("NFKD", label)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = [w for w in re.split(r"[^0-9a-z]+", text) if w and w not in _FILLER]
    return " ".join(words)


def slugify(label: str) -> str:
    """``label`` as a slug: ``normalize_label`` with dashes, at most ``MAX_SLUG_CHARS``."""
    slug = normalize_label(label).replace(" ", "-")[:MAX_SLUG_CHARS].strip("-")
    return slug


@lru_cache(maxsize=1)
def category_vocabulary() -> dict[str, str]:
    """``normalize_label(raw label)`` -> category slug, from ``data/categories.csv``. Each slug
    also maps to itself."""
    mapping: dict[str, str] = {}
    path = data_dir() / "categories.csv"
    for line, row in load_table("categories.csv", ("label", "category")):
        slug = row["category"]
        if not _SLUG_RE.match(slug):
            raise DataError(f"{path}:{line}: {slug!r} is not a slug (a-z, 0-9, dashes)")
        key = normalize_label(row["label"])
        if not key:
            raise DataError(f"{path}:{line}: label {row['label']!r} has no letters or digits")
        if mapping.get(key, slug) != slug:
            raise DataError(f"{path}:{line}: {row['label']!r} maps to {mapping[key]!r} already")
        mapping[key] = slug
    for slug in set(mapping.values()):
        mapping.setdefault(normalize_label(slug), slug)
    return mapping


@lru_cache(maxsize=1)
def kind_vocabulary() -> dict[str, str]:
    """``normalize_label(raw kind)`` -> item kind, from ``data/kinds.csv``."""
    mapping: dict[str, str] = {kind: kind for kind in ITEM_KINDS}
    path = data_dir() / "kinds.csv"
    for line, row in load_table("kinds.csv", ("label", "kind")):
        if row["kind"] not in ITEM_KINDS:
            raise DataError(f"{path}:{line}: {row['kind']!r} is not one of {', '.join(ITEM_KINDS)}")
        mapping[normalize_label(row["label"])] = row["kind"]
    return mapping


def map_kind(value: Any, default: str) -> str:
    """The item kind a raw per-record ``kind`` names, else ``default`` (the source's)."""
    text = as_text(value)
    if not text:
        return default
    return kind_vocabulary().get(normalize_label(text[:MAX_LABEL_CHARS]), default)


def _raw_labels(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield from _SPLIT_RE.split(value[: MAX_LABEL_CHARS * MAX_CATEGORIES])
    elif isinstance(value, (list, tuple, set, frozenset)):
        for element in list(value)[: MAX_CATEGORIES * 5]:
            if isinstance(element, str):
                yield element
            elif isinstance(element, dict):  # {"name": "Zorg"} / {"term": "Zorg"} (feeds, APIs)
                text = as_text(element.get("name") or element.get("term") or element.get("label"))
                if text:
                    yield text


def map_categories(value: Any) -> list[str]:
    """Category slugs for a raw ``categories`` value (a list of labels, or one string of labels
    separated by ``,`` ``;`` or ``|``): mapped through the vocabulary, unknown labels slugified,
    deduplicated, sorted (so a source reordering its tags is not an edit), at most
    ``MAX_CATEGORIES``."""
    vocabulary = category_vocabulary()
    slugs: set[str] = set()
    for raw in _raw_labels(value):
        label = clean_text(raw, MAX_LABEL_CHARS)
        if not label:
            continue
        slug = vocabulary.get(normalize_label(label)) or slugify(label)
        if slug:
            slugs.add(slug)
    return sorted(slugs)[:MAX_CATEGORIES]
