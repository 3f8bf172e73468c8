"""The offline gazetteer: postcodes, address points, streets, venues and names, tied to buurten.

Built once per boundary set from the bundled data files (``data/SOURCES.md``): every point (PC6
centroid, OSM address, street centroid, venue) is located in the buurt polygons in one vectorised
pass, with its distance to the buurt border (a point close to a generalised border is less sure).
A Maastricht point just outside the generalised polygons (they miss ~2% of the municipality) gets
the nearest buurt within ``tolerance_m``, marked as such.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from tim.normalizers.address import (
    fold,
    normalise_postcode,
    parse_address,
    split_housenumber,
    street_key,
)

from . import data
from .boundaries import BoundarySet
from .mentions import MentionJudge, load_evidence, load_guards
from .phrases import Entry, PhraseIndex

log = logging.getLogger(__name__)

_COMPASS = re.compile(r"(?:noord|zuid)?(?:oost|west)|noord|zuid", re.IGNORECASE)


def _compass_part(wijk_name: str) -> str | None:
    """``Maastricht-Oost`` -> ``Oost``: the compass part of a wijk name after its city's name."""
    head, _, tail = wijk_name.replace(" ", "-").rpartition("-")
    return tail if head and _COMPASS.fullmatch(tail) else None


@dataclass(frozen=True, slots=True)
class Point:
    """A known point and the buurt it lies in (``idx`` -1: outside every buurt)."""

    lat: float
    lon: float
    idx: int
    border_m: float
    """Distance to the border of its buurt (metres); 0 when placed by ``nearest_m``."""
    nearest_m: float = 0.0
    """> 0 when the point lies outside the polygons and ``idx`` is the nearest buurt."""
    label: str = ""


@dataclass(frozen=True, slots=True)
class Street:
    """A known street: its name, median point, and how its known addresses spread over buurten."""

    name: str
    point: Point
    idx: int
    """The buurt holding most of the street's known addresses."""
    share: float
    """Share of the street's known addresses in ``idx`` (1.0: the whole street in one buurt)."""
    n: int


@dataclass(frozen=True, slots=True)
class Venue:
    """A named place (OSM point of interest or an alias from ``data/venue_aliases.csv``)."""

    name: str
    point: Point | None
    idx: int
    civic: bool
    source: str


class Gazetteer:
    """Lookups of the offline chain, all tied to the buurten of one :class:`BoundarySet`."""

    def __init__(self, boundaries: BoundarySet, *, tolerance_m: float = 250.0,
                 exclude_addresses: set[tuple[str, str]] | None = None):
        self.b = boundaries
        self.tolerance_m = tolerance_m
        self._load_pc6()
        self._load_addresses(exclude_addresses or set())
        self._load_streets()
        self._load_venues()
        self._load_phrases()

    @classmethod
    def empty(cls, boundaries: BoundarySet, *, tolerance_m: float = 250.0) -> Gazetteer:
        """A gazetteer with no bundled data: for a gemeente other than Maastricht, whose places come
        from its imported boundaries and CBS address rows (:meth:`tim.geo.locator.Locator.load`)."""
        g = cls.__new__(cls)
        g.b, g.tolerance_m = boundaries, tolerance_m
        g.pc6, g.pc4 = {}, {}
        g.address_rows, g.address_points, g.addresses, g.address_postcodes = [], [], {}, {}
        g.postcode_addresses, g.pc5 = {}, {}
        g.street_numbers, g.streets, g.street_keys, g.stems = {}, {}, [], defaultdict(dict)
        g.venues, g.buurt_names = {}, {}
        g.phrases = _NoNames()
        return g

    # -- building --------------------------------------------------------------------------
    def _points(self, lats, lons, labels) -> list[Point]:
        lats = np.asarray(lats, float)
        lons = np.asarray(lons, float)
        idx = self.b.locate_many(lons, lats)
        border = self.b.border_distances_m(idx, lons, lats)
        out = []
        for k in range(len(lats)):
            i, near = int(idx[k]), 0.0
            if i < 0:
                i, dist = self.b.nearest(float(lons[k]), float(lats[k]), self.tolerance_m)
                near = dist if i >= 0 else 0.0
            out.append(Point(float(lats[k]), float(lons[k]), i, 0.0 if np.isnan(border[k]) else float(border[k]), near, labels[k]))
        return out

    def _load_pc6(self) -> None:
        rows = data.read_csv("maastricht_pc6_centroids.csv")
        pts = self._points([r["lat"] for r in rows], [r["lon"] for r in rows], [r["postcode"] for r in rows])
        self.pc6: dict[str, Point] = {p.label: p for p in pts}
        by_pc4: dict[str, Counter] = defaultdict(Counter)
        for p in pts:
            if p.idx >= 0:
                by_pc4[p.label[:4]][p.idx] += 1
        self.pc4: dict[str, tuple[int, float]] = {}
        for pc4, counts in by_pc4.items():
            idx, n = counts.most_common(1)[0]
            self.pc4[pc4] = (idx, n / sum(counts.values()))
        by_pc5: dict[str, Counter] = defaultdict(Counter)
        for p in pts:
            if p.idx >= 0:
                by_pc5[p.label[:5]][p.idx] += 1
        self.pc5: dict[str, tuple[int, float, int]] = {}
        """PC5 (6211A) -> (the buurt most of its known PC6 centroids lie in, their share, how many)."""
        for pc5, counts in by_pc5.items():
            idx, n = counts.most_common(1)[0]
            self.pc5[pc5] = (idx, n / sum(counts.values()), sum(counts.values()))

    def _load_addresses(self, exclude: set[tuple[str, str]]) -> None:
        rows = [r for r in data.read_csv("maastricht_osm_poi_addresses.csv")
                if (r["street"], r["housenumber"]) not in exclude]
        labels = [f"{r['street']} {r['housenumber']}" for r in rows]
        pts = self._points([r["lat"] for r in rows], [r["lon"] for r in rows], labels)
        self.address_rows = rows
        self.address_points = pts
        self.addresses: dict[tuple[str, int, str | None], Point] = {}
        self.address_postcodes: dict[Point, str] = {}
        self.postcode_addresses: dict[str, list[Point]] = defaultdict(list)
        """PC6 -> the known address points written with it (any street)."""
        numbers: dict[str, list[tuple[int, Point]]] = defaultdict(list)
        for r, p in zip(rows, pts):
            key = street_key(r["street"])
            num, add = split_housenumber(r["housenumber"])
            if num is None:
                continue
            self.address_postcodes[p] = r["postcode"]
            if r["postcode"]:
                self.postcode_addresses[r["postcode"]].append(p)
            self.addresses.setdefault((key, num, add), p)
            self.addresses.setdefault((key, num, None), p)
            numbers[key].append((num, p))
        self.street_numbers = {k: sorted(v, key=lambda t: t[0]) for k, v in numbers.items()}

    def _load_streets(self) -> None:
        rows = data.read_csv("maastricht_streets_from_osm_pois.csv")
        pts = self._points([r["lat_median"] for r in rows], [r["lon_median"] for r in rows], [r["street"] for r in rows])
        self.streets: dict[str, Street] = {}
        for r, p in zip(rows, pts):
            key = street_key(r["street"])
            self.streets[key] = self.street_summary(r["street"], key, p)
        self.street_keys = list(self.streets)
        self.stems: dict[str, dict[str, str]] = defaultdict(dict)
        for key in self.streets:
            stem, suffix = split_suffix(key)
            self.stems[suffix][stem] = key

    def street_summary(self, name: str, key: str, point: Point) -> Street:
        """A street's entry from its known numbers: the buurt most of them lie in and its share
        (none known: the buurt of ``point``, its median point)."""
        counts = Counter(pt.idx for _n, pt in self.street_numbers.get(key, []) if pt.idx >= 0)
        if counts:
            idx, n = counts.most_common(1)[0]
            return Street(name, point, idx, n / sum(counts.values()), sum(counts.values()))
        return Street(name, point, point.idx, 1.0, 0)

    def _load_venues(self) -> None:
        civic_types = {(r["key"], r["value"]) for r in data.read_csv("venue_poi_types.csv")}
        by_name: dict[str, list[tuple[dict, Point]]] = defaultdict(list)
        for r, p in zip(self.address_rows, self.address_points):
            if r.get("name") and fold(r["name"]):
                by_name[fold(r["name"])].append((r, p))
        self.venues: dict[str, Venue] = {}
        for entries in by_name.values():
            name = entries[0][0]["name"]
            buurten = {p.idx for _r, p in entries}
            if len(buurten) != 1 or -1 in buurten:
                continue  # a chain with branches in several buurten tells nothing
            r, p = entries[0]
            civic = (r["poi_key"], r["poi_value"]) in civic_types
            tokens = fold(name).split()
            if len(tokens) == 1 and (not civic or len(tokens[0]) < 4):
                continue  # single-word shop names are too often ordinary words
            if len(tokens) > 1 and len(fold(name)) < 6:
                continue
            self.venues[name] = Venue(name, p, p.idx, civic, f"OSM {r['osm_id']} ({r['poi_key']}={r['poi_value']})")
        for r in data.read_csv("venue_aliases.csv"):
            venue = self._alias_target(r)
            if venue is None:
                log.warning("venue alias %r: target %r not found; skipped", r["alias"], r["target"])
                continue
            self.venues[r["alias"]] = venue

    def _alias_target(self, row: dict[str, str]) -> Venue | None:
        kind, target, alias = row["target_kind"], row["target"], row["alias"]
        source = f"venue_aliases.csv ({kind} {target})"
        if kind == "poi":
            base = self.venues.get(target)
            return Venue(alias, base.point, base.idx, True, source) if base else None
        if kind == "point":
            lat, lon = (float(v) for v in target.split(","))
            p = self._points([lat], [lon], [alias])[0]
            return Venue(alias, p, p.idx, True, source) if p.idx >= 0 else None
        if kind == "buurt":
            idx = self.b.index_of.get(target)
            return Venue(alias, None, idx, True, source) if idx is not None else None
        if kind == "street":
            st = self.streets.get(street_key(target))
            return Venue(alias, st.point, st.idx, True, source) if st and st.share >= 0.8 else None
        if kind == "address":
            parts = parse_address(target)
            hit = self.address_point(street_key(parts.street or ""), parts.number, parts.addition)
            p = hit or (self.pc6.get(parts.postcode or "") if parts.postcode else None)
            return Venue(alias, p, p.idx, True, source) if p and p.idx >= 0 else None
        return None

    def _load_phrases(self) -> None:
        guards, name_guards = load_guards(data.read_csv("name_guards.csv"))
        cues = {fold(r["word"]) for r in data.read_csv("locative_cues.csv")}
        word_map = {}
        for r in data.read_csv("street_abbreviations.csv"):
            a, e = fold(r["abbreviation"]), fold(r["expansion"])
            if r["position"] == "word" and " " not in a and " " not in e and a != e:
                word_map[a] = e
        word_map.pop("str", None)
        word_map.pop("pl", None)
        word_map.pop("ln", None)
        word_map.pop("v", None)
        idx = PhraseIndex(cues=cues, guards=guards, word_map=word_map)
        self.buurt_names: dict[str, str] = {}
        names = data.read_csv("maastricht_buurt_names.csv")
        for r in names:
            if r["buurtcode"] and r["buurtcode"] in self.b.index_of:
                idx.add(r["name"], Entry("buurt", r["buurtcode"], r["name"]))
            elif not r["buurtcode"]:
                idx.add(r["name"], Entry("place", "Maastricht", r["name"], in_area=True))
        for b in self.b.buurten:  # imported boundaries may carry names the names file lacks
            idx.add(b.name, Entry("buurt", b.code, b.name))
        for wijk_code, wijk_name in {b.wijk_code: b.wijk_name for b in self.b.buurten}.items():
            if wijk_name:
                idx.add(wijk_name, Entry("wijk", wijk_code, wijk_name))
                short = _compass_part(wijk_name)
                if short:  # "in Oost" for Maastricht-Oost: a compass word, so only after a locative cue
                    idx.add(short, Entry("wijk", wijk_code, wijk_name, "needs_cue"))
        for r in data.read_csv("places.csv"):
            idx.add(r["name"], Entry("place", r["municipality"], r["name"], in_area=r["in_area"] == "1"))
        for name in list(self.venues):
            key = " ".join(idx.tokens(name))
            if any(e.kind in ("buurt", "place", "wijk") for e in idx.phrases.get(key, ())):
                del self.venues[name]  # a shop called "St. Pieter" must not beat the buurt
                continue
            single = len(key.split()) == 1
            idx.add(name, Entry("venue", name, name, "capital" if single else None))
        for key, st in self.streets.items():
            single = len(fold(st.name).split()) == 1
            idx.add(st.name, Entry("street", key, st.name, "capital" if single else None))
        self._add_inhabitants(idx, names)
        elsewhere = frozenset(key for key, entries in idx.phrases.items()
                              if " " not in key and any(e.kind == "place" and e.in_area is False for e in entries))
        ordinary = {fold(r["label"]) for name in ("categories.csv", "kinds.csv") for r in data.read_csv(name)
                    if r["label"] and not r["label"].startswith("#") and " " not in fold(r["label"]).strip()}
        ordinary |= {fold(r["word"]) for r in data.read_csv("date_words.csv") if r["type"] in ("month", "weekday")}
        idx.judge = MentionJudge(name_guards, load_evidence(data.read_csv("mention_evidence.csv")),
                                 idx.first_words(), elsewhere, frozenset(w.strip() for w in ordinary))
        self.phrases = idx

    def _add_inhabitants(self, idx: PhraseIndex, names: list[dict[str, str]]) -> None:
        """The inhabitants' nouns of one-word buurt names (``Bieslanders``, ``Bieslander``,
        ``Wyckenaren``; ``names``: the rows of ``maastricht_buurt_names.csv``) name the buurt; a form
        that is already (the start of) another known name (``Wycker Brugstraat``) is left out."""
        first = idx.first_words()
        for r in names:
            if not r["buurtcode"] or r["buurtcode"] not in self.b.index_of or r["name_source"].startswith("adjective"):
                continue
            toks = idx.tokens(r["name"])
            if len(toks) != 1 or len(toks[0]) < 4:
                continue
            for suffix in INHABITANT_SUFFIXES:
                form = toks[0] + suffix
                if form not in first:
                    idx.add(form, Entry("buurt", r["buurtcode"], r["name"]), compound_head=False)

    # -- lookups ---------------------------------------------------------------------------
    def address_point(self, key: str, number: int | None, addition: str | None) -> Point | None:
        """The known point of an exact address (street key, number, addition)."""
        if not key or number is None:
            return None
        return self.addresses.get((key, number, addition)) or (
            self.addresses.get((key, number, None)) if addition is None else None)

    def same_side_numbers(self, key: str, number: int, max_gap: int = 20
                          ) -> tuple[tuple[int, Point] | None, tuple[int, Point] | None]:
        """The nearest known numbers of the same parity (the same side of the street) below and
        above ``number``, each at most ``max_gap`` away: ((number, point) | None, (number, point) |
        None). Several points of one number (additions): the first known."""
        below = above = None
        for num, p in self.street_numbers.get(key, ()):
            if num % 2 != number % 2 or num == number or abs(num - number) > max_gap:
                continue
            if num < number and (below is None or num > below[0]):
                below = (num, p)
            elif num > number and (above is None or num < above[0]):
                above = (num, p)
        return below, above

    def same_side_numbers_within(self, key: str, number: int, window: int) -> list[tuple[int, Point]]:
        """Every known number of the same parity within ``window`` of ``number`` (itself excluded)."""
        return [(num, p) for num, p in self.street_numbers.get(key, ())
                if num % 2 == number % 2 and num != number and abs(num - number) <= window]

    def neighbouring_pc6(self, pc: str, max_step: int = 2) -> tuple[str, str, int] | None:
        """An unknown PC6 between two known ones of the same PC5 (letters at most ``max_step``
        apart each way: 6211AS between 6211AR and 6211AT) that lie in one buurt, away from its
        border: postcodes are handed out along a street, so the gap is the same stretch.
        Returns (lower, upper, buurt index)."""
        if len(pc) != 6 or pc in self.pc6 or not pc[5].isalpha():
            return None
        base, letter = pc[:5], ord(pc[5])
        found = []
        for step in (-1, 1):
            for k in range(1, max_step + 1):
                other = self.pc6.get(base + chr(letter + step * k))
                if other is not None:
                    found.append((base + chr(letter + step * k), other))
                    break
        if len(found) != 2:
            return None
        (lo, a), (hi, b) = found
        if a.idx < 0 or a.idx != b.idx or a.nearest_m > 0 or b.nearest_m > 0:
            return None
        return lo, hi, a.idx

    def street(self, name: str) -> tuple[Street, float, str] | None:
        """A known street for a written name: exact key, a known tail, else a typo (rapidfuzz OSA).

        Returns (street, score 0-100, key).
        """
        key = street_key(name)
        if not key:
            return None
        st = self.streets.get(key)
        if st:
            return st, 100.0, key
        words = fold(name).split()
        tails = [street_key(" ".join(words[i:])) for i in range(len(words))]
        for tail in tails[1:]:  # "Bezoek Rijksweg" -> "Rijksweg"
            if tail in self.streets:
                return self.streets[tail], 95.0, tail
        for tail in tails:
            hit = self._fuzzy(tail)
            if hit:
                return hit
        return None

    def _fuzzy(self, key: str) -> tuple[Street, float, str] | None:
        """Typo tolerance with the optimal-string-alignment distance (a swap of two letters is one
        edit): first on the stem among streets with the same street word (<= 1 edit, <= 2 for stems of
        8+ letters), then on the whole key (<= 1 edit, keys of 8+ letters) for a typo in the street
        word itself ("Koesrtaat")."""
        if len(key) < 6:
            return None
        stem, suffix = split_suffix(key)
        candidates = self.stems.get(suffix) if suffix else None
        if candidates and len(stem) >= 4:
            best = process.extractOne(stem, list(candidates), scorer=OSA.distance,
                                      score_cutoff=2 if len(stem) >= 8 else 1)
            if best:
                full = candidates[best[0]]
                return self.streets[full], float(fuzz.ratio(key, full)), full
        if len(key) >= 8:
            best = process.extractOne(key, self.street_keys, scorer=OSA.distance, score_cutoff=1)
            if best:
                return self.streets[best[0]], float(fuzz.ratio(key, best[0])), best[0]
        return None

    def postcode(self, text: str) -> Point | None:
        pc = normalise_postcode(text)
        return self.pc6.get(pc) if pc else None


INHABITANT_SUFFIXES = ("ers", "er", "enaren", "naren", "enaar", "naar")
"""Endings of inhabitants' nouns (``Bieslanders``, ``Wyckenaren``) added to one-word buurt names."""

_SUFFIXES = ("straat", "weg", "laan", "plein", "singel", "gracht", "kade", "dreef", "steeg", "pad", "hof",
             "markt", "park", "wal", "dijk", "boulevard", "poort", "baan", "gang", "brug", "staat")


def split_suffix(key: str) -> tuple[str, str]:
    """``"brusselsestraat"`` -> ``("brusselse", "straat")``: typos are scored on the distinctive stem,
    and only against streets of the same kind, so "Oppenstraat" never becomes "Papenstraat"."""
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)], suffix
    return key, ""


class _NoNames:
    """The phrase index of a gazetteer without names: no text names a place it knows."""

    def scan(self, text: str, rejected: list | None = None) -> list:
        return []
