"""What the matcher derives from one record: normalised title, partition (kind + event day),
block stems, geo cells, times; description, organizer and URLs on demand.

Features depend on the record alone (and the settings), never on the other records: that is what
lets an incremental run reuse them and still give the result of a full run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tim.config.dedup import DedupSettings

from .model import DedupRecord
from .text import Title, buurt_mask, canonical_url, normalize_text, normalize_title, urls_in
from .variants import lexicon_stems, variants

#: Reference latitude of the geo cell grid (Maastricht); a degree of longitude is shorter here.
REF_LAT = 50.85
M_PER_DEG_LAT = 111_320.0


@dataclass(slots=True)
class Features:
    """One record's matching features. ``description`` and ``description_places`` are filled
    lazily by :class:`FeatureMaker.fill` (only pairs that pass the cheap rules need them)."""

    rec: DedupRecord
    title: Title
    day: int
    """Local start day (proleptic ordinal) for day kinds with a start; 0 otherwise."""
    start: float | None
    """Start in minutes since the epoch."""
    end: float | None
    span: tuple[int, int] | None
    """First and last local day (ordinals) of the record's date or period."""
    timed: bool
    """The start has a clock time (not a bare date)."""
    stems: tuple[str, ...]
    cells: tuple[tuple[int, int], ...]
    buurt: str | None
    """The buurt code of a dated record (day kinds), a block key."""
    own_url: str | None
    """Canonical form of the record's own URL (``None`` for a home page)."""
    links: frozenset[str]
    """Canonical URLs the record links to (``urls_in_text`` and links in the description)."""
    description: str | None = None
    description_places: int = 0
    lexical: frozenset[str] = frozenset()
    """Stems that only the Dutch translations of the title's English words give (the lexicon,
    ``en_nl_lexicon.tsv``): in their blocks the title is compared word by word with every member."""

    @property
    def translated(self) -> bool:
        return bool(self.lexical)

    @property
    def partition(self) -> tuple[str, int]:
        """Records are only compared inside one partition: same kind (and same event day)."""
        return (self.rec.kind, self.day)


def _minutes(dt: datetime | None) -> float | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp() / 60.0


_NO_LINKS: frozenset[str] = frozenset()


class FeatureMaker:
    """Builds :class:`Features` under one set of settings."""

    def __init__(self, settings: DedupSettings):
        self.settings = settings
        self.tz = ZoneInfo(settings.timezone)
        self.day_kinds = frozenset(settings.day_kinds)
        self.cell_lat = settings.geo_cell_m / M_PER_DEG_LAT
        self.cell_lon = settings.geo_cell_m / (M_PER_DEG_LAT * math.cos(math.radians(REF_LAT)))
        self.heads = frozenset(variants().heads)

    def make(self, rec: DedupRecord) -> Features:
        title = normalize_title(rec.title or "")
        s = self.settings
        day, timed, span = 0, False, None
        start = _minutes(rec.starts_at)
        if rec.starts_at is not None:
            local = self._local(rec.starts_at)
            utc = local.astimezone(UTC)
            timed = (local.hour, local.minute) != (0, 0) and (utc.hour, utc.minute) != (0, 0)
            first = local.date().toordinal()
            last = self._local(rec.ends_at).date().toordinal() if rec.ends_at is not None else first
            span = (first, max(first, last))
            if rec.kind in self.day_kinds:
                day = first
        words = [t for t in title.tokens if len(t) >= 3 and not t.isdigit()]
        if not words:
            words = [t for t in title.tokens if len(t) >= 2] or list(title.tokens)
        n = s.block_stem_length
        stem_set = {t[:n] for t in words}
        # a split compound meets its joined spelling: "taal cafe" also gets the key of "taalcafe"
        toks = title.tokens
        if len(toks) > 1:
            heads = self.heads
            stem_set.update((toks[i] + toks[i + 1])[:n] for i in range(len(toks) - 1)
                            if 3 <= len(toks[i]) < n and toks[i + 1] in heads and not toks[i].isdigit())
        # numbers in a title are what tells one numbered listing from the next (#368, 2027,
        # groep 7): a number meets the same number, so twins whose words are all common meet
        stem_set.update("#" + t for t in toks if t.isdigit())
        # an English word's Dutch translations (the lexicon): an English title meets its Dutch twin
        lexical = lexicon_stems(words, n)
        if lexical:
            lexical = lexical - stem_set
            stem_set |= lexical
        stems = tuple(sorted(stem_set))
        cells: tuple[tuple[int, int], ...] = ()
        if day and rec.lat is not None and rec.lon is not None:
            cells = self._cells(rec.lat, rec.lon)
        buurt = rec.buurt_code if day else None
        own = canonical_url(rec.url)
        links = {canonical_url(u) for u in (*rec.urls_in_text, *urls_in(rec.description_text))}
        links.discard(None)
        links.discard(own)
        return Features(
            rec,
            title,
            day,
            start,
            _minutes(rec.ends_at),
            span,
            timed,
            stems,
            cells,
            buurt,
            own,
            frozenset(links) if links else _NO_LINKS,  # one shared empty set: most records link nothing
            lexical=lexical,
        )  # type: ignore[arg-type]

    def _local(self, dt: datetime) -> datetime:
        return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(self.tz)

    def _cells(self, lat: float, lon: float) -> tuple[tuple[int, int], ...]:
        """The 2x2 cells nearest to the point: two points closer than half a cell share one."""
        u, v = lat / self.cell_lat, lon / self.cell_lon
        a, b = math.floor(u), math.floor(v)
        a2 = a - 1 if u - a < 0.5 else a + 1
        b2 = b - 1 if v - b < 0.5 else b + 1
        return ((a, b), (a, b2), (a2, b), (a2, b2))

    def fill(self, f: Features) -> Features:
        """Compute the lazily needed description features."""
        if f.description is None:
            text = normalize_text(f.rec.description_text or "", self.settings.description_chars)
            f.description_places = buurt_mask(text.split())
            f.description = text if len(text) >= self.settings.min_description_chars else ""
        return f
