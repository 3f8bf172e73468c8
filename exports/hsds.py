"""``tim export --format hsds -o DIR``: the organisation directory as Open Referral HSDS 3 tables.

Writes, as a Frictionless *tabular data package* (CSV files and one ``datapackage.json`` with a
Table Schema per file, primary and foreign keys), the HSDS tables this directory can fill:

- ``organization.csv``: one row per organisation (``store.organisations``): ``id`` (UUID),
  ``name``, ``alternate_name`` (other spellings, ``; ``-separated), ``description``, ``website``;
- ``location.csv``: the organisation's physical location where it has an address or point:
  ``location_type`` ``physical``, ``latitude``/``longitude`` (WGS84), ``description`` naming its
  CBS buurt (code and name);
- ``address.csv``: that location's postal address (``address_1``, ``city``, ``postal_code``,
  ``state_province`` Limburg, ``country`` NL, ``address_type`` physical);
- ``service.csv``: one row per item an organisation organises or is (an activity, a vacancy, a
  network): ``organization_id`` links it to its organisation, ``name``/``description``/``url`` are
  the item's, ``status`` ``active``, ``last_modified``;
- ``service_at_location.csv``: a service held at its organisation's own address.

Text is plain (markup was removed by the normalisers; HTML-looking text is stripped again) and
CSV cells a spreadsheet would run as formulas are neutralised. UUIDs of services and locations are
v5 UUIDs of the item id / organisation id, so re-exports keep them. Files are written atomically.
"""

from __future__ import annotations

import csv
import hashlib
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from .datapackage import crawled_sources
from .safety import plain_text, safe_url
from .writers import atomic_open, safe_cell

HSDS_VERSION = "3.0"
NAME = "thuis-in-maastricht-organisations"
SERVICE_NS = uuid.UUID("0b6f3b6e-8f64-4f0e-9d5b-1d4c2b8a1313")
LOCATION_NS = uuid.UUID("5e0d6d52-2f55-4a5c-8c11-7b7f0c9a1313")
DESCRIPTION_CHARS = 2000

#: table -> [(field, Table Schema type, description, required)] in HSDS 3 order (scalar fields).
TABLES: dict[str, list[tuple[str, str, str, bool]]] = {
    "organization": [
        ("id", "string", "The identifier for the organization (UUID).", True),
        ("name", "string", "The official or public name of the organization.", True),
        ("alternate_name", "string", "Other names the sources use for it, separated by '; '.", False),
        ("description", "string", "A brief summary about the organization.", True),
        ("email", "string", "The contact e-mail address for the organization.", False),
        ("website", "string", "The URL (website address) of the organization.", False),
        ("tax_status", "string", "DEPRECATED in HSDS 3 (left empty).", False),
        ("tax_id", "string", "DEPRECATED in HSDS 3 (left empty).", False),
        ("year_incorporated", "number", "The year in which the organization was legally formed.", False),
        ("legal_status", "string", "The legal conditions that an organization is operating under.", False),
        ("logo", "string", "A URL to an image associated with the organization.", False),
        ("uri", "string", "A persistent identifier of the organization.", False),
        ("parent_organization_id", "string", "The identifier of the organization's parent organization.", False),
    ],
    "location": [
        ("id", "string", "The identifier of the location (UUID).", True),
        ("location_type", "string", "physical, postal or virtual.", True),
        ("url", "string", "The URL of a virtual location.", False),
        ("organization_id", "string", "The organization responsible for this location.", False),
        ("name", "string", "The name of the location.", False),
        ("alternate_name", "string", "An alternative name of the location.", False),
        ("description", "string", "A free text description of the location (its CBS buurt).", False),
        ("transportation", "string", "Access by public or private transport.", False),
        ("latitude", "number", "Latitude in decimal degrees (WGS84).", False),
        ("longitude", "number", "Longitude in decimal degrees (WGS84).", False),
        ("external_identifier", "string", "A third party identifier for the location.", False),
        ("external_identifier_type", "string", "The scheme of external_identifier.", False),
    ],
    "address": [
        ("id", "string", "The identifier of the address (UUID).", True),
        ("location_id", "string", "The location at this address.", False),
        ("attention", "string", "The person or entity whose attention should be sought.", False),
        ("address_1", "string", "The first line of the address (street and number).", True),
        ("address_2", "string", "The second line of the address.", False),
        ("city", "string", "The city in which the address is located.", True),
        ("region", "string", "The region in which the address is located.", False),
        ("state_province", "string", "The province in which the address is located.", True),
        ("postal_code", "string", "The postal code of the address.", True),
        ("country", "string", "The ISO 3361-1 country code (two letters).", True),
        ("address_type", "string", "physical, postal or virtual.", True),
    ],
    "service": [
        ("id", "string", "The identifier for the service (UUID).", True),
        ("organization_id", "string", "The organization that provides this service.", False),
        ("program_id", "string", "The program this service is delivered under.", False),
        ("name", "string", "The official or public name of the service (the item's title).", True),
        ("alternate_name", "string", "An alternative name for this service.", False),
        ("description", "string", "A free text description of the service (plain text).", False),
        ("url", "string", "URL of the service (the item on its source).", False),
        ("email", "string", "An email address to contact the service provider.", False),
        ("status", "string", "active, inactive, defunct or temporarily closed.", True),
        ("last_modified", "datetime", "When the service's information last changed (UTC).", False),
    ],
    "service_at_location": [
        ("id", "string", "The identifier of the service at location entry (UUID).", True),
        ("service_id", "string", "The service at a given location.", True),
        ("location_id", "string", "The location where this service operates.", True),
        ("description", "string", "A free text description of the service at this location.", False),
    ],
}
FOREIGN_KEYS = {
    "location": [("organization_id", "organization")],
    "address": [("location_id", "location")],
    "service": [("organization_id", "organization")],
    "service_at_location": [("service_id", "service"), ("location_id", "location")],
}
ENUMS = {("location", "location_type"): ["physical", "postal", "virtual"],
         ("address", "address_type"): ["physical", "postal", "virtual"],
         ("service", "status"): ["active", "inactive", "defunct", "temporarily closed"]}


def _text(value: Any, limit: int | None = None) -> str:
    text = plain_text(value) if value is not None else ""
    text = " ".join(str(text).split()) if limit is None else str(text).strip()[:limit]
    return safe_cell(text)


def _url(value: Any) -> str:
    return safe_cell(safe_url(value) or "")


def table_schema(table: str) -> dict:
    fields = []
    for name, type_, description, required in TABLES[table]:
        f: dict[str, Any] = {"name": name, "type": type_, "description": description}
        if type_ == "datetime":
            f["format"] = "any"
        elif name == "id" or name.endswith("_id"):
            f["format"] = "uuid"
        elif name in ("website", "url", "logo", "uri"):
            f["format"] = "uri"
        constraints: dict[str, Any] = {}
        if required:
            constraints["required"] = True
        if (table, name) in ENUMS:
            constraints["enum"] = ENUMS[(table, name)]
        if name == "id":
            constraints["unique"] = True
        if constraints:
            f["constraints"] = constraints
        fields.append(f)
    schema: dict[str, Any] = {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}
    if table in FOREIGN_KEYS:
        schema["foreignKeys"] = [{"fields": [col], "reference": {"resource": ref, "fields": ["id"]}}
                                 for col, ref in FOREIGN_KEYS[table]]
    return schema


def hsds_rows(orgs: list[dict], links: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The rows of every HSDS table from the stored organisations and their items."""
    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    for o in orgs:
        items = links.get(o["id"], [])
        description = o["description"] or _summary(o, items)
        out["organization"].append({
            "id": o["id"], "name": _text(o["name"]), "alternate_name": _text("; ".join(o["alternate_names"])),
            "description": _text(description, DESCRIPTION_CHARS), "website": _url(o["website"]),
        })
        location_id = None
        if o["address"] or o["lat"] is not None or o["buurt_code"]:
            location_id = str(uuid.uuid5(LOCATION_NS, o["id"]))
            where = f"In buurt {o['buurt_name']} (CBS {o['buurt_code']})" if o["buurt_code"] else ""
            out["location"].append({
                "id": location_id, "location_type": "physical", "organization_id": o["id"],
                "name": _text(o["name"]), "description": _text(where),
                "latitude": o["lat"] if o["lat"] is not None else "",
                "longitude": o["lon"] if o["lon"] is not None else "",
            })
            if o["address"] and o["postcode"]:
                pc = o["postcode"]
                out["address"].append({
                    "id": str(uuid.uuid5(LOCATION_NS, o["id"] + "/address")), "location_id": location_id,
                    "address_1": _text(o["address"].split(",")[0]), "city": _text(o["city"] or "Maastricht"),
                    "state_province": "Limburg",
                    "postal_code": f"{pc[:4]} {pc[4:]}" if len(pc) == 6 else _text(pc),
                    "country": "NL", "address_type": "physical",
                })
        org_pc = (o["postcode"] or "").replace(" ", "")
        done: set[str] = set()
        for it in items:
            service_id = str(uuid.uuid5(SERVICE_NS, f"{o['id']}/{it['item_id']}"))
            if service_id in done:
                continue  # the same item in two roles (self and organiser) is one service
            done.add(service_id)
            changed = it["updated_at"]
            out["service"].append({
                "id": service_id, "organization_id": o["id"], "name": _text(it["title"]),
                "description": _text(it["description_text"], DESCRIPTION_CHARS), "url": _url(it["url"]),
                "status": "active",
                "last_modified": changed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if changed else "",
            })
            if location_id and org_pc and (it["postcode"] or "").replace(" ", "") == org_pc:
                out["service_at_location"].append({
                    "id": str(uuid.uuid5(SERVICE_NS, f"{service_id}@{location_id}")), "service_id": service_id,
                    "location_id": location_id, "description": "",
                })
    return out


def _summary(o: dict, items: list[dict]) -> str:
    kinds = sorted({i["kind"] for i in items})
    return (f"{o['name']}: named by {len(items)} item(s) ({', '.join(kinds)}) in "
            f"{len(o['source_ids'])} source(s) of Thuis in Maastricht.")


def export_hsds(engine: Engine, directory: Path, config=None) -> dict[str, int]:
    """Write the HSDS tables and ``datapackage.json`` into ``directory``; return rows per table."""
    from tim.store.organisations import list_organisations, organisation_items

    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ValueError(f"{directory} is not a directory (hsds writes several files)")
    with engine.connect() as conn:
        orgs = list_organisations(conn)
        links = organisation_items(conn)
    tables = hsds_rows(orgs, links)
    resources = []
    for table, rows in tables.items():
        path = directory / f"{table}.csv"
        columns = [name for name, *_ in TABLES[table]]
        with atomic_open(path) as fh:
            w = csv.DictWriter(fh, fieldnames=columns, extrasaction="raise")
            w.writeheader()
            for r in rows:
                w.writerow({c: r.get(c, "") for c in columns})
        data = path.read_bytes()
        resources.append({
            "name": table, "path": path.name, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "bytes": len(data),
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            "description": f"HSDS {HSDS_VERSION} {table} table ({len(rows)} rows)",
            "schema": table_schema(table),
        })
    sources = crawled_sources(config, {s for o in orgs for s in o["source_ids"]})
    package = {
        "profile": "tabular-data-package", "name": NAME,
        "title": "Thuis in Maastricht: organisations and initiatives (Open Referral HSDS)",
        "description": ("Organisations, networks and initiatives seen across Maastricht's volunteering, "
                        "participation and neighbourhood platforms, de-duplicated, with the items they "
                        "organise as services. Open Referral HSDS " + HSDS_VERSION + " tables."),
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "keywords": ["Open Referral", "HSDS", "Maastricht", "organisations"],
        "licenses": [{"name": "ODbL-1.0", "path": "https://opendatacommons.org/licenses/odbl/1-0/",
                      "title": "Open Database License 1.0 (addresses from the OpenStreetMap gazetteer)"}],
        "sources": sources,
        "resources": resources,
    }
    with atomic_open(directory / "datapackage.json") as fh:
        json.dump(package, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return {t: len(rows) for t, rows in tables.items()}
