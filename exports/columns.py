"""Every export column: its Table Schema type, its Arrow type and what it means.

One table serves the CSV header order (``exports.rows``), the Parquet schema, the Frictionless
``datapackage.json`` and ``docs/data-dictionary.md`` (a test keeps that document in step).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    """Frictionless Table Schema type: string | integer | number | datetime."""
    description: str

    @property
    def arrow(self) -> pa.DataType:
        return {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(),
                "datetime": pa.timestamp("us", tz="UTC")}[self.type]


def _c(name: str, type_: str, description: str) -> Column:
    return Column(name, type_, description)


_COMMON = {
    "kind": _c("kind", "string", "What the item is: vacancy | event | participation | network | initiative | news."),
    "title": _c("title", "string", "Title, plain text."),
    "starts_at": _c("starts_at", "datetime", "Start (UTC, ISO 8601); empty when the item has no date."),
    "ends_at": _c("ends_at", "datetime", "End (UTC, ISO 8601); empty when unknown."),
    "organizer": _c("organizer", "string", "Organising person or organisation, plain text."),
    "location_name": _c("location_name", "string", "Venue name, e.g. 'Trefcentrum Wittevrouwenveld'."),
    "address": _c("address", "string", "Free-text address as the source gave it."),
    "street": _c("street", "string", "Street name parsed from the address."),
    "housenumber": _c("housenumber", "string", "House number (with addition) parsed from the address."),
    "postcode": _c("postcode", "string", "Dutch postcode (1234AB) when known."),
    "city": _c("city", "string", "Place name from the address."),
    "lat": _c("lat", "number", "Latitude (WGS84) of the item's point; empty when none."),
    "lon": _c("lon", "number", "Longitude (WGS84) of the item's point; empty when none."),
    "buurt_code": _c("buurt_code", "string", "CBS buurt code (BU0935xxxx); empty for city-wide items."),
    "buurt_name": _c("buurt_name", "string", "CBS buurt name."),
    "wijk_code": _c("wijk_code", "string", "CBS wijk code (WK0935xx)."),
    "geo_method": _c("geo_method", "string", "How the buurt was decided: source_coordinates, address_point, postcode, street, venue, buurt_name, online:<provider>, source_venue or source_area (the source's default place), online (an online item, never placed) or none."),
    "geo_confidence": _c("geo_confidence", "number", "Confidence of the buurt decision, 0-1."),
    "geo_matched": _c("geo_matched", "string", "The text the buurt decision rests on."),
    "geo_conflict": _c("geo_conflict", "string", "Disagreeing place evidence that lost, if any."),
    "url": _c("url", "string", "Link to the item on its source (http/https only)."),
    "description_text": _c("description_text", "string", "Description as plain text."),
    "categories": _c("categories", "string", "Category slugs, separated by ';'."),
    "status": _c("status", "string", "Raw records: active | expired. Bundled items: active | deleted."),
}

RAW = [
    _c("id", "string", "Stable id of the source record: <source_id>-<12 hex of sha1(source key)>."),
    _c("cluster_id", "string", "Id of the bundled item this record belongs to."),
    _c("source_id", "string", "Id of the source platform in sources.toml."),
    _COMMON["url"], _COMMON["kind"], _COMMON["title"], _COMMON["starts_at"], _COMMON["ends_at"],
    _COMMON["organizer"], _COMMON["location_name"], _COMMON["address"], _COMMON["street"],
    _COMMON["housenumber"], _COMMON["postcode"], _COMMON["city"], _COMMON["lat"], _COMMON["lon"],
    _COMMON["buurt_code"], _COMMON["buurt_name"], _COMMON["wijk_code"], _COMMON["geo_method"],
    _COMMON["geo_confidence"], _COMMON["geo_matched"], _COMMON["geo_conflict"], _COMMON["categories"],
    _COMMON["description_text"],
    _c("first_seen", "datetime", "When the record was first crawled (UTC)."),
    _c("last_seen", "datetime", "When the record was last seen in a crawl (UTC)."),
    _COMMON["status"],
]

BUNDLED = [
    _c("id", "string", "Stable id of the bundled item (cluster): 'c-' + 16 hex."),
    _COMMON["kind"], _COMMON["title"], _COMMON["starts_at"], _COMMON["ends_at"], _COMMON["organizer"],
    _COMMON["location_name"], _COMMON["address"], _COMMON["postcode"], _COMMON["lat"], _COMMON["lon"],
    _COMMON["buurt_code"], _COMMON["buurt_name"], _COMMON["wijk_code"], _COMMON["geo_method"],
    _COMMON["geo_confidence"], _COMMON["url"], _COMMON["description_text"],
    _c("member_count", "integer", "Number of source records bundled into this item."),
    _c("source_ids", "string", "Source ids of all member records, best first, separated by ';'."),
    _c("source_urls", "string", "URLs of all member records on their sources, separated by ';'."),
    _c("provenance", "string", "JSON object: for each field, the source and record it was taken from."),
    _COMMON["status"],
    _c("modified_at", "datetime", "When the bundled item last changed (UTC)."),
]

RAW_BY_NAME = {c.name: c for c in RAW}
BUNDLED_BY_NAME = {c.name: c for c in BUNDLED}
TEXT_COLUMNS = frozenset({"title", "organizer", "location_name", "address", "street", "housenumber", "city",
                          "description_text", "geo_matched", "geo_conflict", "buurt_name", "categories"})
URL_COLUMNS = frozenset({"url"})
