"""Scoring one pair of records: vetoes (hard rules) and a weighted score of rapidfuzz similarities,
place, time and links, with the reasons kept for the merge decision.

A score depends only on the two records and the settings, never on the rest of the record set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz import fuzz

from tim.config.dedup import DedupSettings

from .features import M_PER_DEG_LAT, FeatureMaker, Features
from .text import normalize_organizer
from .variants import english_title, mostly_english, refine, some_words_meet, telling_meets


@dataclass(slots=True)
class PairScore:
    """The outcome of scoring one pair; ``None`` components were not available for both."""

    score: float
    title: float
    veto: str | None = None
    description: float | None = None
    organizer: float | None = None
    place: float | None = None
    time: float | None = None
    distance_m: float | None = None
    minutes_apart: float | None = None
    linked_url: bool = False
    match: bool = False
    title_variant: str | None = None
    """What the word comparison of the titles found (``dedup/variants.py``): ``compound``,
    ``subtitle`` (made the titles one), ``bilingual_same_context`` (a Dutch and an English title
    at the same start and place that share a telling word) or ``words_differ`` (both have words
    the other lacks)."""

    def reasons(self) -> dict:
        """The components as a JSON-able dict (0-100, one decimal), for ``Decision.reasons``."""
        out: dict = {"title": _r(self.title)}
        if self.description is not None:
            out["description"] = _r(self.description * 100)
        if self.organizer is not None:
            out["organizer"] = _r(self.organizer * 100)
        if self.place is not None:
            out["place"] = _r(self.place * 100)
        if self.time is not None:
            out["time"] = _r(self.time * 100)
        if self.distance_m is not None:
            out["distance_m"] = int(self.distance_m + 0.5)
        if self.minutes_apart is not None:
            out["minutes_apart"] = int(self.minutes_apart + 0.5)
        if self.linked_url:
            out["linked_url"] = True
        if self.title_variant:
            out["title_variant"] = self.title_variant
        if self.veto:
            out["veto"] = self.veto
        return out


def _r(value: float) -> float:
    """One decimal (cheaper than ``round`` and enough for a reason)."""
    return int(value * 10 + 0.5) / 10


def _ramp(value: float, full: float, zero: float) -> float:
    """1.0 up to ``full``, falling linearly to 0.0 at ``zero`` (callers reject values past it)."""
    if value <= full:
        return 1.0
    return 1.0 - (value - full) / (zero - full)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance in metres (exact enough below a few kilometres)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return math.hypot(x, y) * (M_PER_DEG_LAT * 180 / math.pi)


class Scorer:
    """Scores pairs under one set of settings."""

    def __init__(self, settings: DedupSettings, maker: FeatureMaker):
        self.s = settings
        self.maker = maker
        self.day_kinds = frozenset(settings.day_kinds)
        self.organizer_veto_kinds = frozenset(settings.organizer_veto_kinds)

    @staticmethod
    def title(a: Features, b: Features) -> float:
        """Title similarity: the best of ``token_set_ratio`` on the normalised titles without and
        with place names (word order, extra words; a place compared apart or as a shared word)
        and ``ratio`` on their space-free forms (split compounds)."""
        ta, tb = a.title, b.title
        score = max(fuzz.token_set_ratio(ta.text, tb.text), fuzz.ratio(ta.compact, tb.compact))
        if ta.full != ta.text or tb.full != tb.text:
            score = max(score, fuzz.token_set_ratio(ta.full, tb.full))
        return score

    def score(self, a: Features, b: Features, title: float | None = None) -> PairScore:
        """Score a pair; ``title`` may be passed when already computed (by ``process.cdist``).

        The cheap rules (source, day, places and numbers in titles, start time, distance,
        periods) come first; a pair they veto is not compared further (its score then covers
        title, time and place only)."""
        s = self.s
        base = self.title(a, b) if title is None else float(title)
        result = PairScore(score=0.0, title=base)
        veto = self._title_veto(a, b)
        total = 0.0
        weight = s.weight_title
        time_veto = self._time(a, b, result)
        veto = veto or time_veto
        if result.time is not None:
            total += s.weight_time * result.time
            weight += s.weight_time
        place_veto = self._place(a, b, result)
        veto = veto or place_veto
        if result.place is not None:
            total += s.weight_place * result.place
            weight += s.weight_place
        refined, variant = base, None
        if veto is None:  # the word comparison of the titles (a vetoed pair is never one anyway)
            refined, variant = refine(a.title, b.title, base)
            if (variant == "words_differ" and result.time == 1.0 and result.place == 1.0
                    and self._bilingual_twin(a, b)):
                variant = "bilingual_same_context"
            result.title, result.title_variant = refined, variant
        total += s.weight_title * refined / 100.0
        if veto is None:
            veto, total, weight = self._content(a, b, result, total, weight)
        if variant == "words_differ":
            # both titles have words the other lacks: the word score stands unless the
            # descriptions agree (a reworded title of the same initiative)
            d = result.description
            if d is not None and d * 100 >= s.title_words_description_min:
                total += s.weight_title * (base - refined) / 100.0
                result.title = base
                result.title_variant = "words_differ_description_agrees"
            elif refined >= s.title_threshold:
                # each title says something the other does not: not one on the title alone
                capped = s.title_threshold - 1
                total -= s.weight_title * (refined - capped) / 100.0
                result.title = capped
        score = 100.0 * total / weight + (s.linked_url_bonus if result.linked_url else 0.0)
        result.score = min(100.0, score)
        result.veto = veto
        result.match = veto is None and self._decides(result)
        return result

    @staticmethod
    def _title_veto(a: Features, b: Features) -> str | None:
        ra, rb = a.rec, b.rec
        if ra.source_id == rb.source_id:
            return "same_source"
        if ra.kind != rb.kind:
            return "different_kind"
        if a.day != b.day:
            return "different_day"
        if a.title.places and b.title.places and not a.title.places & b.title.places:
            return "title_places_differ"
        if a.title.numbers and b.title.numbers and not a.title.numbers & b.title.numbers:
            return "title_numbers_differ"
        return None

    def _bilingual_twin(self, a: Features, b: Features) -> bool:
        """Of a pair at the same time and place (``time`` and ``place`` scored 1): a Dutch and an
        English title of a dated kind whose words meet in part, the Dutch title having a telling
        word that meets the English one (``bilingual_same_context``)."""
        if not (a.timed and b.timed and self.s.bilingual_same_context and a.rec.kind in self.day_kinds
                and some_words_meet(a.title, b.title)):
            return False
        if english_title(a.title.raw):
            if english_title(b.title.raw) or not mostly_english(a.title.raw):
                return False
            dutch, english = b.title, a.title
        elif english_title(b.title.raw) and mostly_english(b.title.raw):
            dutch, english = a.title, b.title
        else:
            return False
        return telling_meets(dutch, english)

    def _time(self, a: Features, b: Features, result: PairScore) -> str | None:
        """Clock times of a day kind, else overlap of periods."""
        s = self.s
        if a.rec.kind in self.day_kinds:
            if a.timed and b.timed:
                gap = abs(a.start - b.start)  # type: ignore[operator]
                result.minutes_apart = gap
                if gap > s.max_start_gap_minutes:
                    result.time = 0.0
                    return "start_time_differs"
                result.time = _ramp(gap, s.same_time_minutes, s.max_start_gap_minutes)
        elif a.span is not None and b.span is not None:
            if a.span[0] <= b.span[1] and b.span[0] <= a.span[1]:
                result.time = 1.0
            else:
                result.time = 0.0
                return "periods_disjoint"
        return None

    def _place(self, a: Features, b: Features, result: PairScore) -> str | None:
        """Distance between points, else the buurt."""
        s = self.s
        ra, rb = a.rec, b.rec
        if ra.lat is not None and ra.lon is not None and rb.lat is not None and rb.lon is not None:
            d = distance_m(ra.lat, ra.lon, rb.lat, rb.lon)
            result.distance_m = d
            if d > s.max_distance_m:
                result.place = 0.0
                return "too_far"
            result.place = _ramp(d, s.near_distance_m, s.max_distance_m)
        elif ra.buurt_code and rb.buurt_code:
            result.place = 1.0 if ra.buurt_code == rb.buurt_code else 0.0
            if (
                result.place == 0.0
                and a.day
                and ra.lat is None
                and rb.lat is None
                and a.timed
                and b.timed
                and abs(a.start - b.start) <= s.same_time_minutes  # type: ignore[operator]
            ):
                return "buurt_differs"  # the same activity at the same time in two buurten
        return None

    def _content(
        self, a: Features, b: Features, result: PairScore, total: float, weight: float
    ) -> tuple[str | None, float, float]:
        """Description, organizer and links (the expensive part)."""
        s = self.s
        own_a, own_b = a.own_url, b.own_url
        result.linked_url = bool(
            (own_a and (own_a == own_b or own_a in b.links)) or (own_b and own_b in a.links)
        )
        org_a, org_b = normalize_organizer(a.rec.organizer), normalize_organizer(b.rec.organizer)
        if org_a and org_b:
            result.organizer = 1.0 if org_a == org_b else fuzz.token_set_ratio(org_a, org_b) / 100.0
            total += s.weight_organizer * result.organizer
            weight += s.weight_organizer
            if (
                a.rec.kind in self.organizer_veto_kinds
                and result.organizer * 100 < s.organizer_veto_below
            ):
                return "organizer_differs", total, weight
        if a.description is None:  # filled once per record (most records are in many pairs)
            self.maker.fill(a)
        if b.description is None:
            self.maker.fill(b)
        veto = None
        if (
            a.description_places
            and b.description_places
            and not a.description_places & b.description_places
        ):
            veto = "description_places_differ"
        if a.description and b.description:
            result.description = fuzz.token_set_ratio(a.description, b.description) / 100.0
            total += s.weight_description * result.description
            weight += s.weight_description
        return veto, total, weight

    def vetoed(self, a: Features, b: Features) -> bool:
        """The cheap vetoes of :meth:`score` alone (for pairs in one partition, of two sources):
        a fast way to drop pairs that can never be one, without building their score."""
        ta, tb = a.title, b.title
        if (ta.places and tb.places and not ta.places & tb.places) or (
            ta.numbers and tb.numbers and not ta.numbers & tb.numbers
        ):
            return True
        s = self.s
        if a.day:
            if a.timed and b.timed and abs(a.start - b.start) > s.max_start_gap_minutes:  # type: ignore[operator]
                return True
        elif (
            a.span is not None
            and b.span is not None
            and (a.span[0] > b.span[1] or b.span[0] > a.span[1])
        ):
            return True
        ra, rb = a.rec, b.rec
        return (
            ra.lat is not None
            and ra.lon is not None
            and rb.lat is not None
            and rb.lon is not None
            and distance_m(ra.lat, ra.lon, rb.lat, rb.lon) > s.max_distance_m
        )

    def worth_scoring(self, a: Features, b: Features) -> bool:
        """Can a pair whose titles are not similar still be one? Only through a link or a strong
        context (both start at the same clock time, at the same place)."""
        if (a.own_url and (a.own_url == b.own_url or a.own_url in b.links)) or (
            b.own_url and b.own_url in a.links
        ):
            return True
        if not (a.timed and b.timed) or abs(a.start - b.start) > self.s.same_time_minutes:  # type: ignore[operator]
            return False
        ra, rb = a.rec, b.rec
        if ra.lat is not None and ra.lon is not None and rb.lat is not None and rb.lon is not None:
            return distance_m(ra.lat, ra.lon, rb.lat, rb.lon) <= self.s.near_distance_m
        return bool(ra.buurt_code) and ra.buurt_code == rb.buurt_code

    def _decides(self, p: PairScore) -> bool:
        """The match rule, vetoes aside: a similar title (or a link) and a high combined score,
        or a strong context (same start, same place, nearly the same description)."""
        s = self.s
        if (p.title >= s.title_threshold or p.linked_url) and p.score >= s.merge_threshold:
            return True
        if p.title_variant == "bilingual_same_context":  # same start, same place, one thing named
            return p.organizer is None or p.organizer * 100 >= s.organizer_veto_below
        return (
            p.time == 1.0
            and p.place == 1.0
            and p.description is not None
            and p.description * 100 >= s.context_description_min
            and (p.organizer is None or p.organizer * 100 >= s.organizer_veto_below)
        )

    def compatible(self, p: PairScore) -> bool:
        """May the two be in one cluster (checked for every pair of a cluster)?"""
        return p.veto is None and p.score >= self.s.compatible_threshold
