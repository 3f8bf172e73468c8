"""The plain data of de-duplication: what goes in (``DedupRecord``), what comes out
(``ClusterResult`` with its ``Decision`` list)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

#: Values of ``Decision.decision`` (the ``merge_decisions.decision`` column).
DECISIONS = ("merge", "apart", "override_merge", "override_split")


@dataclass(frozen=True, slots=True)
class DedupRecord:
    """One source record as the matcher sees it.

    ``id`` is the item id (unique over all sources), ``source_id`` its source, ``kind`` its item
    kind; only records of the same kind are compared. ``starts_at``/``ends_at`` are aware
    datetimes (UTC); a start at local or UTC midnight counts as a date without a clock time.
    ``lat``/``lon`` should be an address-level point (source coordinates, address, postcode):
    leave them ``None`` for a buurt-level guess, and give ``buurt_code`` instead.
    ``urls_in_text`` are links found in the description (the matcher also finds ``http(s)://``
    links in ``description_text`` itself). ``priority`` is the source's priority (informative;
    ``bundle`` uses the priorities passed to it).
    """

    id: str
    source_id: str
    kind: str
    title: str
    description_text: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    buurt_code: str | None = None
    organizer: str | None = None
    url: str | None = None
    urls_in_text: tuple[str, ...] = ()
    priority: int = 50


class Decision(NamedTuple):
    """Why two records are (or are not) one initiative.

    ``a < b`` (item ids); ``score`` is the combined score 0-100; ``decision`` is one of
    ``merge`` (same cluster), ``apart`` (scored, kept apart), ``override_merge`` (an operator
    merged them) or ``override_split`` (an operator split them). ``reasons`` holds the component
    scores (``title``, ``description``, ``organizer``, ``place``, ``time``, ``distance_m``,
    ``minutes_apart``, ``linked_url``), the ``veto`` that applied if any, and the ``rule`` that
    decided (e.g. ``"score>=merge_threshold"``, ``"same_start_place_description"``,
    ``"bilingual_same_context"``, ``"complete_linkage"``, ``"veto"``).
    """

    a: str
    b: str
    score: float
    decision: str
    reasons: dict[str, Any]


@dataclass(slots=True)
class ClusterResult:
    """The outcome of one ``Deduplicator.cluster`` call.

    ``assignments`` maps every input record id to its cluster id (a record alone is a cluster of
    one). ``decisions`` are every merge plus the near misses (``explain_min_score``) and operator
    overrides, for the whole record set (also in incremental mode). ``stats`` counts what was
    done: records, blocks, candidate pairs, scored pairs, matches, clusters, re-scored records.
    """

    assignments: dict[str, str]
    decisions: list[Decision]
    stats: dict[str, Any] = field(default_factory=dict)

    def clusters(self) -> dict[str, list[str]]:
        """cluster id -> sorted member ids."""
        out: dict[str, list[str]] = {}
        for item_id, cid in self.assignments.items():
            out.setdefault(cid, []).append(item_id)
        for members in out.values():
            members.sort()
        return out
