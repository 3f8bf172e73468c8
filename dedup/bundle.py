"""The bundled item of a cluster: fields from the best member, with per-field provenance and every
member source.

Members are ranked by their source's priority (higher first), then completeness (how many of the
content fields they fill), then item id. Each field group is taken from the first member in that
order that has it; fields that belong together (a place, a description in HTML and text, a start
and end) come from one member, never mixed. Categories are the union of all members; first_seen
is the earliest, last_seen the latest; the bundle is active while any member is.
"""

from __future__ import annotations

import json
from typing import Any

#: Field groups taken as a whole from one member; the first names decide whether a member has it.
GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("kind",), ("kind",)),
    (("title",), ("title",)),
    (("description_text", "description_html"), ("description_html", "description_text")),
    (("url",), ("url",)),
    (("organizer",), ("organizer",)),
    (("starts_at",), ("starts_at", "ends_at")),
    (
        ("lat", "address", "postcode", "location_name", "buurt_code"),
        (
            "location_name",
            "address",
            "street",
            "housenumber",
            "postcode",
            "city",
            "lat",
            "lon",
            "buurt_code",
            "buurt_name",
            "wijk_code",
            "geo_method",
            "geo_confidence",
        ),
    ),
    (("image",), ("image",)),
)

#: Fields counted for a member's completeness.
CONTENT_FIELDS = (
    "title",
    "description_text",
    "url",
    "organizer",
    "starts_at",
    "ends_at",
    "location_name",
    "address",
    "postcode",
    "lat",
    "lon",
    "buurt_code",
    "image",
    "categories",
)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == () or value == {}


def _categories(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value or "[]")
        except ValueError:
            value = [value]
    return [str(c) for c in value or ()]


def completeness(member: dict) -> int:
    """How many content fields a member fills."""
    return sum(1 for f in CONTENT_FIELDS if not _empty(member.get(f)))


def rank(members: list[dict], priorities: dict[str, int]) -> list[dict]:
    """Members best first: source priority (default 50), completeness, item id."""
    return sorted(
        members,
        key=lambda m: (-priorities.get(m.get("source_id"), 50), -completeness(m), str(m.get("id"))),
    )


def bundle(members: list[dict], priorities: dict[str, int]) -> dict:
    """The bundled item of one cluster (see the module docstring). ``members`` are item dicts."""
    if not members:
        raise ValueError("bundle() needs at least one member")
    ranked = rank(members, priorities)
    out: dict[str, Any] = {}
    provenance: dict[str, Any] = {}
    for lead, fields in GROUPS:
        chosen = next((m for m in ranked if any(not _empty(m.get(f)) for f in lead)), None)
        for f in fields:
            value = chosen.get(f) if chosen is not None else None
            out[f] = value
            if chosen is not None and not _empty(value):
                provenance[f] = {"source_id": chosen.get("source_id"), "item_id": chosen.get("id")}

    categories: list[str] = []
    contributors = []
    for m in ranked:
        added = [c for c in _categories(m.get("categories")) if c not in categories]
        if added:
            categories.extend(added)
            contributors.append({"source_id": m.get("source_id"), "item_id": m.get("id")})
    out["categories"] = categories
    if contributors:
        provenance["categories"] = contributors

    firsts = [m["first_seen"] for m in members if m.get("first_seen") is not None]
    lasts = [m["last_seen"] for m in members if m.get("last_seen") is not None]
    out["first_seen"] = min(firsts) if firsts else None
    out["last_seen"] = max(lasts) if lasts else None
    out["status"] = (
        "active" if any(m.get("status", "active") == "active" for m in members) else "expired"
    )
    out["provenance"] = provenance
    out["sources"] = [
        {"source_id": m.get("source_id"), "item_id": m.get("id"), "url": m.get("url")}
        for m in ranked
    ]
    out["member_count"] = len(members)
    return out
