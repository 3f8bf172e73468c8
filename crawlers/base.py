"""What every crawler is: built from a source and the shared HTTP client, yields ``RawRecord``s.

Crawlers fetch and parse only: no normalising, geocoding or database access.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from tim.errors import RecordError
from tim.records import RawRecord

if TYPE_CHECKING:
    from tim.config import Source

    from .http import HttpClient


class Crawler:
    """Base of every crawler kind.

    After ``crawl()`` is exhausted:
    - ``not_modified`` is True when the source answered 304 or an identical body, so nothing was
      parsed and the pipeline counts the source's stored items as unchanged;
    - ``complete`` is False when the crawl stopped early (``max_pages``/``max_items`` hit, a
      listing page failed), so the pipeline must not expire items missing from this run;
    - ``errors`` holds per-record failures (a detail page that failed alone).
    """

    kind: ClassVar[str]

    def __init__(self, source: Source, http: HttpClient):
        self.source = source
        self.http = http
        self.not_modified = False
        self.complete = True
        self.errors: list[RecordError] = []

    def crawl(self) -> Iterator[RawRecord]:
        raise NotImplementedError

    def record(self, key: str | None, fields: dict, url: str, payload: object) -> RawRecord:
        """Build a RawRecord with the payload's hash."""
        return RawRecord(
            source_id=self.source.id,
            key=str(key) if key not in (None, "") else None,
            fields=fields,
            fetched_url=url,
            raw_hash=RawRecord.hash_payload(payload),
        )
