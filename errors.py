"""The one exception tree of the pipeline.

Every error a stage raises on purpose is a subclass of :class:`TimError`. A failure is logged once
as a structured line and re-raised as one of these, chained with ``from exc`` so the cause stays
visible. Each class says who raises it.
"""

from __future__ import annotations


class TimError(Exception):
    """Base of every error the pipeline raises on purpose."""


class ConfigError(TimError):
    """Raised by ``config.load_config`` when ``sources.toml`` is missing, malformed or invalid.

    The message names the file, and the line or the source id and key at fault.
    """


class SourceError(TimError):
    """Raised by a crawler when a source as a whole cannot be read (bad response, bad format).

    ``source_id`` names the source; the pipeline records the run as failed and goes on with the
    other sources.
    """

    def __init__(self, source_id: str, message: str):
        self.source_id = source_id
        super().__init__(f"source {source_id!r}: {message}")


class FetchError(SourceError):
    """Raised by ``crawlers.http`` when a fetch fails: network error, timeout, HTTP error status,
    response too large, too many redirects, a refused private address or robots.txt."""

    def __init__(self, source_id: str, url: str, message: str, *, status: int | None = None):
        self.url = url
        self.status = status
        super().__init__(source_id, f"{url}: {message}")


class BlockedError(FetchError):
    """Raised by ``crawlers.http`` when policy forbids a URL (robots.txt, SSRF guard)."""


class RecordError(TimError):
    """Raised by a normaliser when one record cannot become an item.

    Names the source, the record key and the raw payload's hash; the record fails alone, its
    siblings are stored.
    """

    def __init__(self, source_id: str, key: str | None, raw_hash: str, message: str):
        self.source_id = source_id
        self.key = key
        self.raw_hash = raw_hash
        super().__init__(f"source {source_id!r} record {key!r} (raw {raw_hash[:12]}): {message}")


class QualityError(SourceError):
    """Raised by ``pipeline`` when a run breaks the source's quality contract (``min_items``,
    ``expected_kinds``); nothing of that source is expired by such a run."""


class DataError(TimError):
    """Raised by ``normalizers`` and ``geo`` when a bundled or operator-edited data file in
    ``data/`` is malformed; the message names the file and the line."""


class GeoError(TimError):
    """Raised by ``geo`` when a boundary or gazetteer file cannot be read."""


class StoreError(TimError):
    """Raised by ``store`` when the database cannot be opened or migrated."""
