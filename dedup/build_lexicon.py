"""Build ``dedup/en_nl_lexicon.tsv`` from the FreeDict English-Dutch and Dutch-English dictionaries.

Run offline, by hand, on a machine with the Debian packages installed; the project itself never
needs them (the TSV is committed)::

    apt-get install dict-freedict-eng-nld dict-freedict-nld-eng
    python -m tim.dedup.build_lexicon [--dictd /usr/share/dictd] [--out dedup/en_nl_lexicon.tsv]

Input: the dictd databases ``freedict-eng-nld`` and ``freedict-nld-eng`` (``.index``: headword,
offset and length in dictd's base64; ``.dict.dz``: the gzip-compatible dictzip text). An entry is
its headword line (``word /pronunciation/``) followed by translations, one sense a line, numbered
(``1. a, b``) when there are several, comma-separated within a sense.

Output: one line per English word or phrase, ``english<TAB>dutch dutch ...[<TAB>nl]``: every Dutch
single-word translation from eng-nld, plus every Dutch headword of nld-eng that has the English
word or phrase among its translations (the reverse direction: nld-eng is three times larger).
Both sides are folded like titles (``tim.dedup.text.fold``). A third column ``nl`` marks an
English key that is a Dutch headword of nld-eng too (``door``, ``kind``, ``brief``, ``plant``): such a
word says nothing about the language of a title, so it never adds block keys. Left out:

* English keys of more than three words, Dutch translations of more than one word (a title word
  meets a word), translations under three letters, and entries with digits;
* English function words (``[english_words]`` of ``title_variants.txt`` plus the list below),
  whose translations (``de``, ``van``, ``met``...) are stop words anyway.
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections import defaultdict
from pathlib import Path

from .text import fold

HERE = Path(__file__).resolve().parent
DICTD = Path("/usr/share/dictd")
OUT = HERE / "en_nl_lexicon.tsv"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_SENSE = re.compile(r"^\s*\d+\.\s*")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
#: English function words beyond ``[english_words]``: their Dutch translations are stop words.
FUNCTION_WORDS = frozenset("""
    a an the of for with and or to at on in into onto by from as is are was were be been being am
    it its he she they them his her their i me you we us our your my this that these those there
    here what which who whom whose when where why how not no yes but if then than so too very
    up down out off about over under again all any some each every both few more most other such
    only own same can could will would shall should may might must do does did done have has had
    one two three four five six seven eight nine ten also just now well get got make made go
""".split())


def _b64(text: str) -> int:
    value = 0
    for ch in text:
        value = value * 64 + _B64.index(ch)
    return value


def read_dictd(base: Path) -> list[tuple[str, list[str]]]:
    """(headword, translations) of every entry of a dictd database (``base`` without suffix)."""
    data = gzip.open(base.with_suffix(".dict.dz")).read()
    entries: list[tuple[str, list[str]]] = []
    for line in base.with_suffix(".index").read_text(encoding="utf-8").splitlines():
        head, off, length = line.split("\t")[:3]
        if head.startswith("00database"):
            continue
        start = _b64(off)
        body = data[start:start + _b64(length)].decode("utf-8").splitlines()
        translations: list[str] = []
        for sense in body[1:]:  # body[0] is the headword and its pronunciation
            sense = _PAREN.sub(" ", _SENSE.sub("", sense))
            translations.extend(t.strip() for t in re.split(r"[,;]", sense) if t.strip())
        entries.append((head, translations))
    return entries


def _clean(text: str) -> str:
    return " ".join(fold(text.replace("\u2010", "-")).split())


def build(dictd: Path = DICTD) -> tuple[dict[str, set[str]], set[str], dict]:
    """English (folded) -> Dutch single words (folded), the Dutch headwords, and counts for the
    provenance note."""
    from .variants import VARIANTS_FILE
    from .text import read_sections

    english_words = {_clean(w) for w in read_sections(VARIANTS_FILE, folded=False).get("english_words", [])}
    function = FUNCTION_WORDS | english_words
    en_nl = read_dictd(dictd / "freedict-eng-nld")
    nl_en = read_dictd(dictd / "freedict-nld-eng")
    dutch_heads = {_clean(h) for h, _ in nl_en}
    lexicon: dict[str, set[str]] = defaultdict(set)

    def add(en: str, nl: str) -> None:
        en, nl = _clean(en), _clean(nl)
        words = en.split()
        if (not words or len(words) > 3 or " " in nl or len(nl) < 3 or any(c.isdigit() for c in en + nl)
                or en == nl or (len(words) == 1 and en in function)
                or all(w in function for w in words) or len(en) < 3):
            return
        lexicon[en].add(nl)

    for en, translations in en_nl:
        for nl in translations:
            add(en, nl)
    for nl, translations in nl_en:
        for en in translations:
            add(en, nl)
    counts = {"eng-nld entries": len(en_nl), "nld-eng entries": len(nl_en), "english keys": len(lexicon),
              "also dutch": sum(1 for en in lexicon if en in dutch_heads),
              "pairs": sum(len(v) for v in lexicon.values())}
    return lexicon, dutch_heads, counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dictd", type=Path, default=DICTD)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    lexicon, dutch_heads, counts = build(args.dictd)
    with args.out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("# English -> Dutch words, from FreeDict eng-nld 0.2 and nld-eng 0.2 (Debian\n"
                 "# dict-freedict-eng-nld / dict-freedict-nld-eng 2022.04.21-1), GPL-2.0-or-later.\n"
                 "# Made by dedup/build_lexicon.py; see dedup/en_nl_lexicon.md. Do not edit by hand.\n")
        for en in sorted(lexicon):
            flag = "\tnl" if en in dutch_heads else ""
            fh.write(f"{en}\t{' '.join(sorted(lexicon[en]))}{flag}\n")
    print(counts)


if __name__ == "__main__":
    main()
