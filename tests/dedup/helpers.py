"""Small builders for dedup tests: realistic Maastricht records with few keystrokes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tim.config import DedupSettings
from tim.dedup import Deduplicator, DedupRecord

TZ = ZoneInfo("Europe/Amsterdam")

#: Points of a few real places (PC6 centroids of data/maastricht_pc6_centroids.csv).
MALBERG = (50.8627, 5.6527)
CABERG = (50.8600, 5.6603)
WYCK = (50.8478, 5.7000)


def at(day: int, hour: int = 14, minute: int = 0, month: int = 6) -> datetime:
    """A local Maastricht time in 2025, as the aware datetime a normaliser stores."""
    return datetime(2025, month, day, hour, minute, tzinfo=TZ)


def rec(id: str, source: str, title: str, kind: str = "event", **fields) -> DedupRecord:
    return DedupRecord(id=id, source_id=source, kind=kind, title=title, **fields)


def event(
    id: str, source: str, title: str, day: int, place=None, hour: int = 14, **fields
) -> DedupRecord:
    """An event with a standard Repair Café-like description unless given."""
    lat, lon = place if place else (None, None)
    fields.setdefault(
        "description_text",
        "Kapotte spullen? Neem ze mee naar het Repair Café. Samen met vrijwillige reparateurs "
        "zoek je uit wat er mis is.",
    )
    return rec(id, source, title, "event", starts_at=at(day, hour), lat=lat, lon=lon, **fields)


def cluster(records, settings: DedupSettings | None = None, **kwargs):
    return Deduplicator(settings or DedupSettings()).cluster(records, **kwargs)


def together(result, *ids: str) -> bool:
    return len({result.assignments[i] for i in ids}) == 1
