"""The plain data formats passed between stages.

``RawRecord`` is what a crawler yields (fetch + parse only); ``Item`` is what a normaliser makes
of it (the one canonical model, pure data, no database); ``GeoResult`` is what ``geo`` decides
about an item's place. Nothing downstream of a crawler knows which kind of source an item came
from.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

#: Item kinds a source may declare as ``item_kind``.
ITEM_KINDS = ("vacancy", "event", "participation", "network", "initiative", "news")

#: Canonical raw field names a crawler may fill in ``RawRecord.fields``. Values are raw: strings
#: (plain or HTML), numbers, ``datetime``/``date`` objects (iCal), or lists of strings
#: (``categories``). Anything else is ignored by the normaliser.
RAW_FIELDS = (
    "id",  # the record's own id / guid
    "title",
    "description",  # HTML or plain text
    "url",
    "starts_at",
    "ends_at",
    "organizer",
    "location_name",  # venue name, e.g. "Trefcentrum Wittevrouwenveld"
    "address",  # free text address, e.g. "Brusselsestraat 38, 6211 PG Maastricht"
    "street",
    "housenumber",
    "postcode",
    "city",
    "lat",
    "lon",
    "categories",
    "image",
    "kind",  # per-record kind override (e.g. Decidim meetings -> event)
    "published_at",
    "updated_at",
    "online",  # True when the record itself says it happens online (Decidim typeOfMeeting)
)


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as a crawler found it.

    ``key`` is the record's own stable id/guid when it has one (else ``None``, and the normaliser
    falls back to the canonical URL). ``fields`` maps canonical raw field names (``RAW_FIELDS``)
    to raw values. ``raw_hash`` is a hash of the raw payload, used in error messages and to tell
    a changed payload.
    """

    source_id: str
    key: str | None
    fields: dict[str, Any]
    fetched_url: str
    raw_hash: str

    @staticmethod
    def hash_payload(payload: Any) -> str:
        """A stable sha256 of any JSON-able (or str/bytes) payload."""
        if isinstance(payload, bytes):
            data = payload
        elif isinstance(payload, str):
            data = payload.encode("utf-8", "surrogatepass")
        else:
            data = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()
        return hashlib.sha256(data).hexdigest()


@dataclass(slots=True)
class GeoResult:
    """Where an item is, and why we think so.

    ``method`` is one of: ``source_coordinates``, ``address_point``, ``postcode``, ``street``,
    ``venue``, ``buurt_name``, ``online:<provider>``, ``source_venue``, ``source_area`` (the
    source's default place, for an item naming none), ``online`` (an online item: never placed),
    ``none``; ``confidence`` in [0, 1].
    ``buurt_code`` is ``None`` for items outside the municipality or without any place
    (city-wide). ``conflict`` describes disagreeing evidence that lost, if any.
    """

    method: str = "none"
    confidence: float = 0.0
    lat: float | None = None
    lon: float | None = None
    buurt_code: str | None = None
    buurt_name: str | None = None
    wijk_code: str | None = None
    matched: str | None = None
    conflict: str | None = None
    boundary_version: str | None = None
    steps: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Item:
    """The one canonical item, as normalisers produce it.

    ``id`` is stable per source record: ``<source_id>-<12 hex of sha1(source_key)>`` where
    ``source_key`` is the record's own id/guid, else its canonical URL. Datetimes are aware and in
    UTC. ``description_html`` is sanitised (nh3 allow-list), ``description_text`` is plain text.
    ``content_hash`` covers the normalised fields and decides ``unchanged`` vs ``updated``.
    """

    id: str
    source_id: str
    source_key: str
    kind: str
    title: str
    description_html: str = ""
    description_text: str = ""
    url: str | None = None
    organizer: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location_name: str | None = None
    address: str | None = None
    street: str | None = None
    housenumber: str | None = None
    postcode: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    categories: list[str] = field(default_factory=list)
    image: str | None = None
    published_at: datetime | None = None
    online: bool = False
    """The record says it happens online (not the source's ``online`` flag, which geo applies)."""
    raw_hash: str = ""
    content_hash: str = ""
    geo: GeoResult | None = None
    fetched_url: str | None = None
    """The document the record was read from (a feed, an API page, a detail page): its provenance,
    and how a page that comes back unchanged finds its items again (see ``Replay``)."""
    normalised_as: str | None = None
    """What this item was made from (raw hash, document, and the recipe: code, source settings,
    boundaries); set by the pipeline. A later record with the same value makes the same item, so
    it is not normalised again. ``None``: always normalise again."""

    def compute_content_hash(self) -> str:
        """Hash over the normalised fields (not the geo result, not timestamps of fetching)."""
        payload = {
            k: getattr(self, k)
            for k in (
                "kind", "title", "description_html", "url", "organizer", "starts_at", "ends_at",
                "location_name", "address", "street", "housenumber", "postcode", "city", "lat",
                "lon", "categories", "image", "published_at",
            )
        }
        if self.online:  # only when set, so the hashes of every other item stay as they were
            payload["online"] = True
        return RawRecord.hash_payload(payload)


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server told us about a URL's last body, for the next conditional GET.

    ``meta`` is what a crawler noted of that body to walk on when it comes back unchanged without
    being read again (the next page's URL, the detail links of a listing page)."""

    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    meta: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Replay:
    """Yielded by a crawler instead of records for a page that came back unchanged (304 or an
    identical body): "the records this URL gave last time, again, unchanged". The pipeline finds
    those items by their ``fetched_url``; nothing is parsed or normalised. ``count``: how many
    records the page gave (for ``max_items``); ``failed``: how many of them failed then (the crawl
    is then not complete, as it was not then)."""

    url: str
    count: int = 0
    failed: int = 0
