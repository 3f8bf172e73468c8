"""schema.org entities (JSON-LD / microdata via extruct) -> canonical raw fields.

Used by the ``jsonld`` crawler and by the ``html`` crawler to fill fields its selectors left
empty. Values stay raw (dates as written, descriptions as given).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import extruct

#: Types that are records of their own; their nested entities (Place, Offer, ...) are not.
RECORD_TYPES = frozenset({
    "Event", "BusinessEvent", "ChildrensEvent", "ComedyEvent", "CourseInstance", "DanceEvent",
    "DeliveryEvent", "EducationEvent", "EventSeries", "ExhibitionEvent", "Festival", "FoodEvent",
    "Hackathon", "LiteraryEvent", "MusicEvent", "PublicationEvent", "SaleEvent", "ScreeningEvent",
    "SocialEvent", "SportsEvent", "TheaterEvent", "VisualArtsEvent",
    "JobPosting", "VolunteerAction", "Organization", "NGO", "GovernmentOrganization",
    "LocalBusiness", "Place", "CivicStructure", "Course", "Project", "NewsArticle", "Article",
    "BlogPosting",
})


def _types(entity: dict) -> set[str]:
    t = entity.get("@type") or []
    return {str(x).rsplit("/", 1)[-1] for x in (t if isinstance(t, list) else [t])}


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _name(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        return value.get("name") or value.get("legalName")
    return value if isinstance(value, str) else None


def _url(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        return value.get("url") or value.get("contentUrl") or value.get("@id")
    return value if isinstance(value, str) else None


def entities(html: str | bytes, base_url: str) -> Iterator[dict]:
    """Top-level record entities of a page (JSON-LD first, then microdata), ``@graph`` and
    ``ItemList`` unpacked."""
    data = extruct.extract(html, base_url=base_url, syntaxes=["json-ld", "microdata"],
                           uniform=True, errors="ignore")
    stack = list(reversed(data.get("json-ld", []) + data.get("microdata", [])))
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        if "@graph" in node:
            stack.extend(reversed(node["@graph"] if isinstance(node["@graph"], list) else [node["@graph"]]))
            continue
        types = _types(node)
        if "ItemList" in types:
            elements = node.get("itemListElement") or []
            stack.extend(reversed([el["item"] if isinstance(el, dict) and "item" in el else el
                                   for el in (elements if isinstance(elements, list) else [elements])]))
            continue
        if types & RECORD_TYPES:
            yield node


def _place(fields: dict, place: Any) -> None:
    place = _first(place)
    if isinstance(place, str):
        fields.setdefault("address", place)
        return
    if not isinstance(place, dict) or "VirtualLocation" in _types(place):
        return
    if place.get("name") and "PostalAddress" not in _types(place):
        fields.setdefault("location_name", place["name"])
    address = place.get("address") if "PostalAddress" not in _types(place) else place
    address = _first(address)
    if isinstance(address, str):
        fields.setdefault("address", address)
    elif isinstance(address, dict):
        for key, canon in (("streetAddress", "street"), ("postalCode", "postcode"),
                           ("addressLocality", "city")):
            if address.get(key):
                fields.setdefault(canon, address[key])
    geo = _first(place.get("geo"))
    if isinstance(geo, dict) and geo.get("latitude") is not None and geo.get("longitude") is not None:
        fields.setdefault("lat", geo["latitude"])
        fields.setdefault("lon", geo["longitude"])


def entity_fields(entity: dict, page_url: str) -> dict:
    """Canonical raw fields of one schema.org entity found on ``page_url``."""
    types = _types(entity)
    ident = _first(entity.get("identifier"))
    if isinstance(ident, dict):
        ident = ident.get("value")
    fields: dict[str, Any] = {
        "id": entity.get("@id") or (str(ident) if isinstance(ident, (str, int)) else None),
        "title": entity.get("name") or entity.get("headline") or entity.get("title"),
        "description": entity.get("description"),
        "url": _url(entity.get("url")) or page_url,
        "starts_at": entity.get("startDate"),
        "ends_at": entity.get("endDate") or entity.get("validThrough"),
        "organizer": _name(entity.get("organizer") or entity.get("hiringOrganization")
                           or entity.get("author") or entity.get("publisher")),
        "image": _url(entity.get("image") or entity.get("logo")),
        "published_at": entity.get("datePublished") or entity.get("datePosted"),
        "updated_at": entity.get("dateModified"),
    }
    keywords = entity.get("keywords")
    if isinstance(keywords, str):
        keywords = [k.strip() for k in keywords.split(",")]
    if isinstance(keywords, list):
        fields["categories"] = [k for k in keywords if isinstance(k, str) and k] or None
    for key in ("location", "jobLocation", "address"):
        if entity.get(key):
            _place(fields, entity[key])
    if types & {"Place", "CivicStructure", "LocalBusiness"}:
        _place(fields, entity)
    return {k: v for k, v in fields.items() if v not in (None, "", [])}
