"""Per-source location strategy: where a source's items are when they do not say so themselves.

Many sources belong to one place: a buurtnetwerk's site is about its own buurt, a community
centre's agenda happens in that centre. ``sources.toml`` says so per source:

- ``area = "Malberg"`` (a buurt or wijk: name, alias or CBS code): an item with no place of its own
  belongs to that buurt (a wijk gives only the wijk): method ``source_area``, confidence 0.30;
- ``venue = "Buurtcentrum Tragos, Kastanjelaan 64"`` (a venue name or an address, resolved once by
  the same chain as ``tim geo explain``): such an item gets the venue's point and buurt: method
  ``source_venue``, confidence at most 0.35;
- ``online = true``: every item of the source is online: city-wide, never placed (method
  ``online``).

The default is evidence of its own, offered to :meth:`Locator.locate` as ``fallback``: it is used
only when the chain found nothing that names a target, so a place found in the item (an address, a
point, a venue or buurt named in the text) always wins, and an out-of-area place ("Meerssen") still
blocks assignment. The default's confidence is below every place the item itself can give.
A value that does not resolve is a ``SourceError`` naming the source and the key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tim.config.areas import resolve_area
from tim.errors import SourceError
from tim.records import GeoResult, Item

from .evidence import CONFIDENCE, Evidence

if TYPE_CHECKING:
    from tim.config import Source

    from .locator import Locator


class SourcePlacement:
    """The location strategy of one source over one locator; build once per run."""

    def __init__(self, locator: Locator, source: Source):
        self.locator = locator
        self.source_id = source.id
        self.online = bool(getattr(source, "online", False))
        self.fallback: Evidence | None = None
        area, venue = getattr(source, "area", None), getattr(source, "venue", None)
        if venue:
            self.fallback = self._venue(venue)
        elif area:
            self.fallback = self._area(area)

    # -- resolution ------------------------------------------------------------------------
    def _area(self, value: str) -> Evidence:
        try:
            kind, code, name = resolve_area(value)
        except ValueError as exc:
            raise SourceError(self.source_id, f"area: {exc}") from exc
        b = self.locator.b
        if kind == "buurt":
            if code not in b.index_of:
                raise SourceError(self.source_id, f"area {value!r}: buurt {code} is not in the boundaries "
                                                  f"in use ({b.version})")
            buurt = b.buurten[b.index_of[code]]
            return Evidence("source_area", CONFIDENCE["source_area"], code, f"{buurt.name} (source area)",
                            note=f"source {self.source_id}: area = {value!r}; the item names no place")
        if code not in set(self.locator.wijk_of.values()):
            raise SourceError(self.source_id, f"area {value!r}: wijk {code} is not in the boundaries in use")
        return Evidence("source_area", CONFIDENCE["source_area"], f"wijk:{code}", f"{name} (source area)",
                        note=f"source {self.source_id}: area = {value!r} (a wijk); the item names no place")

    def _venue(self, value: str) -> Evidence:
        res = self.locator.explain(value, trace=False)
        if res.buurt_code is None:
            why = res.matched or res.method
            raise SourceError(self.source_id, f"venue {value!r} does not resolve to a buurt of Maastricht "
                                              f"({why}); give its address, e.g. 'Name, Street 12, 6211 AB'")
        return Evidence("source_venue", min(CONFIDENCE["source_venue"], res.confidence), res.buurt_code,
                        f"{value} (source venue)", res.lat, res.lon,
                        note=f"source {self.source_id}: venue found by {res.method} ({res.matched})")

    # -- placing ---------------------------------------------------------------------------
    def locate(self, item: Item, *, trace: bool = False) -> GeoResult:
        """The item's place: its own when it names one, else the source's default."""
        if self.online:
            return self.locator.online_result(f"source {self.source_id} is online")
        return self.locator.locate(item, trace=trace, fallback=self.fallback)


def placement(locator: Locator, source: Source | None) -> SourcePlacement | Locator:
    """The source's placement, or the locator itself for a source without a strategy; a source of
    another gemeente (``gemeente`` in sources.toml) is placed with that gemeente's locator."""
    if source is not None and getattr(source, "gemeente", None) and hasattr(locator, "for_gemeente"):
        locator = locator.for_gemeente(source.gemeente)
    if source is None or not (getattr(source, "online", False) or getattr(source, "area", None)
                              or getattr(source, "venue", None)):
        return locator
    return SourcePlacement(locator, source)
