"""``normalize``: one crawler ``RawRecord`` -> the one canonical ``Item``. Pure: no network, no
database, no geocoding (``geo`` decides where the item is, later).

Identity (DESIGN.md): ``source_key`` is the record's own id/guid (``raw.key``, else
``fields["id"]``), else its canonical URL (``fields["url"]`` resolved against the page it was
found on; tracking parameters and fragment dropped). ``id`` is
``f"{source.id}-{sha1(source_key)[:12]}"``. A record with neither is a ``RecordError``: the
fetched URL is *not* used as a fallback, because every record of a feed or an API page shares it.

Dates: ``published_at`` falls back to ``updated_at``. A ``starts_at`` value holding a range
("19:30 - 21:00") also gives ``ends_at`` when the record has none; an ``ends_at`` that is only a
time ("21:00") is taken on the start's local day. An end before the start is moved to the next
day when both are on the same local day (22:00 - 01:00), else dropped (see
``dates.order_range``). An unparsable date is ``None``, never ``now()``.

Kind: the record's own ``kind`` when ``data/kinds.csv`` knows it (the item kinds themselves,
Dutch words such as "vacature", schema.org types such as "JobPosting"), else the source's
``item_kind``. Place: see ``place.build_place``; coordinates: ``place.clean_point``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, Protocol

from tim.errors import RecordError, TimError
from tim.records import Item, RawRecord

from .categories import map_categories, map_kind
from .dates import (
    at_local_time,
    order_range,
    parse_datetime,
    parse_datetime_range,
    parse_time_of_day,
)
from .place import build_place, clean_point
from .text import as_text, clean_text, remove_invisible, safe_html_to_text, sanitize_html
from .urls import canonical_url, safe_http_url

MAX_TITLE_CHARS = 300
MAX_SHORT_CHARS = 500
MAX_KEY_CHARS = 1000


class SourceLike(Protocol):
    """What ``normalize`` reads of a ``config.Source``."""

    id: str
    item_kind: str


def item_id(source_id: str, source_key: str) -> str:
    """``<source id>-<first 12 hex of sha1(source_key)>``."""
    digest = hashlib.sha1(source_key.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{source_id}-{digest[:12]}"


def source_key(raw: RawRecord, base_url: str | None) -> str | None:
    """The record's own id/guid, else its canonical URL, else ``None``."""
    fields = raw.fields
    for candidate in (raw.key, fields.get("id")):
        text = as_text(candidate) if not isinstance(candidate, list) else None
        if text is None:
            continue
        key = remove_invisible(text).strip()
        if key:
            if len(key) > MAX_KEY_CHARS:  # keep it unique, but bounded
                key = "sha1:" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()
            return key
    return canonical_url(fields.get("url"), base_url)


def normalize(raw: RawRecord, source: SourceLike) -> Item:
    """The canonical ``Item`` of one raw record (see the module docstring for the rules).

    Raises ``RecordError`` (naming the source, the record key and the raw hash) when the record
    has no identity or no title, or when anything in it breaks a helper; the cause is chained.
    """
    try:
        return _normalize(raw, source)
    except TimError:
        raise
    except Exception as exc:  # one bad record fails alone, with its cause
        raise RecordError(
            source.id, raw.key, raw.raw_hash, f"cannot normalise: {type(exc).__name__}: {exc}"
        ) from exc


def _normalize(raw: RawRecord, source: SourceLike) -> Item:
    if not isinstance(raw.fields, Mapping):
        raise RecordError(source.id, raw.key, raw.raw_hash, "fields is not a mapping")
    fields: Mapping[str, Any] = raw.fields
    base = safe_http_url(raw.fetched_url) if raw.fetched_url else None

    key = source_key(raw, base)
    if not key:
        raise RecordError(source.id, raw.key, raw.raw_hash, "no id/guid and no usable url")
    title = clean_text(fields.get("title"), MAX_TITLE_CHARS)
    if not title:
        raise RecordError(source.id, key, raw.raw_hash, "no title")

    description_html = sanitize_html(fields.get("description"), base)
    description_text = safe_html_to_text(description_html)

    starts_at, ends_in_start = parse_datetime_range(fields.get("starts_at"))
    ends_raw = fields.get("ends_at")
    ends_at = parse_datetime(ends_raw)
    if ends_at is None and starts_at is not None:
        moment = parse_time_of_day(ends_raw)
        ends_at = at_local_time(starts_at, moment) if moment else ends_in_start
    starts_at, ends_at = order_range(starts_at, ends_at)
    published_at = parse_datetime(fields.get("published_at")) or parse_datetime(
        fields.get("updated_at")
    )

    lat, lon = clean_point(fields.get("lat"), fields.get("lon"))
    location_name = clean_text(fields.get("location_name"), MAX_SHORT_CHARS) or None
    place = build_place(dict(fields), location_name, description_text, lat is not None)

    item = Item(
        id=item_id(source.id, key),
        source_id=source.id,
        source_key=key,
        kind=map_kind(fields.get("kind"), source.item_kind),
        title=title,
        description_html=description_html,
        description_text=description_text,
        url=safe_http_url(fields.get("url"), base),
        organizer=clean_text(fields.get("organizer"), MAX_SHORT_CHARS) or None,
        starts_at=starts_at,
        ends_at=ends_at,
        location_name=location_name,
        address=place.address,
        street=place.street,
        housenumber=place.housenumber,
        postcode=place.postcode,
        city=place.city,
        lat=lat,
        lon=lon,
        categories=map_categories(fields.get("categories")),
        image=_image_url(fields.get("image"), base),
        published_at=published_at,
        online=_flag(fields.get("online")),
        raw_hash=raw.raw_hash,
        fetched_url=raw.fetched_url or None,
    )
    item.content_hash = item.compute_content_hash()
    return item


def _flag(value: Any) -> bool:
    """A raw boolean: ``True``, ``1``, ``"true"``/``"yes"``/``"ja"``/``"1"``; anything else is False."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value == 1
    return isinstance(value, str) and value.strip().lower() in ("true", "yes", "ja", "1", "online")


def _image_url(value: Any, base: str | None, depth: int = 0) -> str | None:
    """The first safe http/https URL in an image value: a string, a mapping with ``url``,
    ``contentUrl`` or ``href`` (schema.org ImageObject, feed enclosures), or a list of those."""
    if isinstance(value, str):
        return safe_http_url(value, base)
    if depth > 2:
        return None
    if isinstance(value, Mapping):
        value = [value.get(name) for name in ("url", "contentUrl", "href")]
    if isinstance(value, (list, tuple)):
        for element in value[:5]:
            url = _image_url(element, base, depth + 1)
            if url:
                return url
    return None
