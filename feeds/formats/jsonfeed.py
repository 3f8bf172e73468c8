"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1): one item per bundled item; our own fields
(buurt, kind, place, every source) in the ``_tim`` extension object."""

from __future__ import annotations

from tim.exports.safety import json_bytes
from . import FeedMeta

VERSION = "https://jsonfeed.org/version/1.1"
_EXTENSION_KEYS = ("kind", "starts_at", "ends_at", "location_name", "address", "postcode", "lat", "lon",
                   "buurt_code", "buurt_name", "wijk_code", "geo_method", "geo_confidence", "organizer",
                   "member_count", "modified", "sources")


def render(items: list[dict], meta: FeedMeta) -> bytes:
    """The JSON Feed document of ``items``."""
    feed = {
        "version": VERSION,
        "title": meta.title,
        "home_page_url": meta.home_url,
        "feed_url": meta.self_url,
        "description": meta.description,
        "language": "nl-NL",
        "authors": [{"name": "Thuis in Maastricht"}],
        "items": [_item(i, meta) for i in items],
    }
    if meta.next_url:
        feed["next_url"] = meta.next_url
    return json_bytes(feed)


def _item(item: dict, meta: FeedMeta) -> dict:
    out: dict = {"id": item["id"]}
    url = item.get("url") or next((s.get("url") for s in item.get("sources") or [] if s.get("url")), None)
    if url:
        out["url"] = url
    out["title"] = item.get("title") or "(zonder titel)"
    if item.get("description_html"):
        out["content_html"] = item["description_html"]
    out["content_text"] = item.get("description_text") or item.get("title") or ""
    if item.get("modified_at"):
        out["date_modified"] = item["modified_at"]
    if item.get("organizer"):
        out["authors"] = [{"name": item["organizer"]}]
    tags = [t for t in (item.get("kind"), item.get("buurt_name")) if t]
    if tags:
        out["tags"] = tags
    if item.get("image"):
        out["image"] = item["image"]
    out["_tim"] = {k: item.get(k) for k in _EXTENSION_KEYS} | {"about": "https://www.thuisinmaastricht.nl/over-tim"}
    return out

