"""The demo content: ``demo/content/*.json`` with places and dates resolved.

Content files hold day offsets ("dag": 9, "start": "13:30"), never absolute dates, so a demo run
always shows upcoming events. :func:`load_catalog` resolves them against one ``today`` (Europe/
Amsterdam); the same ``today`` always gives the same content. Each site module renders its entries
in its own format; :meth:`Catalog.expected_items` is the ground truth (expected buurt per item) for
end-to-end tests.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Amsterdam")
CONTENT_DIR = Path(__file__).with_name("content")

#: content file (site) -> the source id the demo config gives it
SOURCE_IDS = {
    "nieuws": "gemeente-nieuws",
    "agenda": "trajekt-agenda",
    "vacatures": "maastrichtdoet",
    "uitagenda": "uitagenda",
    "vrijwilligersbank": "vrijwilligersbank",
    "buurtnetwerken": "trajekt-buurtnetwerken",
    "wijkplatform": "buurtplatform-malberg",
    "buurtcentrum": "buurtcentrum-tragos",
}
#: content file (site) -> default item kind of its records
SITE_KINDS = {
    "nieuws": "news",
    "agenda": "event",
    "vacatures": "vacancy",
    "uitagenda": "event",
    "vrijwilligersbank": "vacancy",
    "buurtnetwerken": "network",
    "wijkplatform": "event",
    "buurtcentrum": "event",
}
#: content file -> key of its list of records
_LISTS = {
    "nieuws": "berichten",
    "agenda": "activiteiten",
    "vacatures": "vacatures",
    "uitagenda": "evenementen",
    "vrijwilligersbank": "vacatures",
    "buurtnetwerken": "netwerken",
    "wijkplatform": "items",
    "buurtcentrum": "items",
}
#: place modes (``weergave``) and whether the item's place is given in some form
#: ``bron``: the record names no place; the source's own ``area``/``venue`` (the site's ``bron``) does
MODES = ("adres", "adres+geo", "geo", "straat", "postcode", "tekst", "jsonld", "buurt", "geen", "bron")


@dataclass(frozen=True)
class Place:
    """A venue from ``plaatsen.json`` (real OSM address, a PC6 postcode, or out of the area)."""

    id: str
    naam: str | None
    straat: str | None
    huisnummer: str | None
    postcode: str | None
    plaats: str
    lat: float
    lon: float
    buurtcode: str | None
    buurtnaam: str | None
    bron: str
    land: str = "NL"

    @property
    def in_maastricht(self) -> bool:
        return self.bron != "buiten"

    def postcode_display(self) -> str | None:
        """``6211PG`` -> ``6211 PG``; foreign and PC4 postcodes as they are."""
        pc = self.postcode
        if pc and self.land == "NL" and re.fullmatch(r"\d{4}[A-Z]{2}", pc):
            return f"{pc[:4]} {pc[4:]}"
        return pc

    def street_line(self) -> str | None:
        if not self.straat:
            return None
        return f"{self.straat} {self.huisnummer}" if self.huisnummer else self.straat

    def address_line(self, *, postcode: bool = True, postcode_text: str | None = None) -> str:
        """``Brusselsestraat 38, 6211 PG Maastricht`` (parts that exist, without the venue name)."""
        pc = (postcode_text or self.postcode_display()) if postcode else None
        town = " ".join(p for p in (pc, self.plaats) if p)
        return ", ".join(p for p in (self.street_line(), town) if p)

    def one_line(self, name: str | None = None, **kw: Any) -> str:
        """Venue name (if any) and address on one line."""
        return ", ".join(p for p in (name, self.address_line(**kw)) if p)


@dataclass
class Entry:
    """One content record of one site, resolved for one ``today``."""

    site: str
    key: str
    title: str
    html: str
    organizer: str | None
    place: Place | None
    mode: str
    place_name: str | None
    buurt: str | None = None
    buurtcode_hint: str | None = None
    starts_at: datetime | date | None = None
    ends_at: datetime | date | None = None
    all_day: bool = False
    notation: str | None = None
    published_at: datetime | None = None
    occurrences: list[datetime] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def source_id(self) -> str:
        return SOURCE_IDS[self.site]

    @property
    def kind(self) -> str:
        return self.data.get("type") or SITE_KINDS[self.site]

    @property
    def slug(self) -> str:
        return self.data.get("slug") or slugify(self.title)

    def location_line(self) -> str | None:
        """The ``Locatie: ...`` line used where the place is only in the text (mode ``tekst``)."""
        if self.mode != "tekst" or self.place is None:
            return None
        return "Locatie: " + self.place.one_line(self.place_name)

    def description_html(self) -> str:
        """The description as the site shows it; mode ``tekst`` appends the location line."""
        line = self.location_line()
        return self.html + (f"<p>{html.escape(line)}</p>" if line else "")

    def description_text(self) -> str:
        """Plain text of :meth:`description_html` (paragraphs on their own lines)."""
        return html_to_text(self.description_html())

    @property
    def expected_buurtcode(self) -> str | None:
        """The buurt a correct pipeline assigns: None for city-wide and out-of-area items."""
        if self.mode == "geen":
            return None
        if self.mode in ("buurt", "bron"):
            return self.buurtcode_hint
        return self.place.buurtcode if self.place else None

    @property
    def expected_buurtnaam(self) -> str | None:
        if self.mode in ("buurt", "bron"):
            return self.buurt
        if self.mode == "geen" or self.place is None:
            return None
        return self.place.buurtnaam


class Catalog:
    """All demo content for one ``today``."""

    def __init__(self, today: date):
        self.today = today
        #: midnight of ``today`` in Europe/Amsterdam: DTSTAMP / Last-Modified of generated files
        self.generated_at = datetime.combine(today, time(0, 0), TZ)
        raw = _read("plaatsen.json")
        self.places = {p["id"]: Place(**p) for p in raw["plaatsen"]}
        self.meta: dict[str, dict[str, Any]] = {}
        self.entries: dict[str, list[Entry]] = {}
        for site, list_key in _LISTS.items():
            doc = _read(f"{site}.json")
            self.meta[site] = {k: v for k, v in doc.items() if k != list_key}
            self.entries[site] = [self._entry(site, rec) for rec in doc[list_key]]
        self.overlaps = _read("overlaps.json")

    # -- building entries ------------------------------------------------------------------
    def at(self, day: int, hhmm: str) -> datetime:
        """``today + day`` at local time ``hhmm`` (Europe/Amsterdam)."""
        h, m = (int(x) for x in hhmm.split(":"))
        return datetime.combine(self.today + timedelta(days=day), time(h, m), TZ)

    def _entry(self, site: str, rec: dict[str, Any]) -> Entry:
        mode = rec["weergave"]
        if mode not in MODES:
            raise ValueError(
                f"{site} {rec.get('id') or rec.get('slug')}: unknown weergave {mode!r}"
            )
        place = self.places[rec["plaats"]] if rec.get("plaats") else None
        if mode == "bron":
            if place is not None:
                raise ValueError(f"{site} {rec.get('id')}: weergave bron has no plaats of its own")
            default = self.meta[site]["bron"]
            rec = {**rec, "buurt": default["buurt"], "buurtcode": default["buurtcode"]}
        if place is None and mode not in ("buurt", "geen", "bron"):
            raise ValueError(
                f"{site} {rec.get('id') or rec.get('slug')}: weergave {mode} needs a plaats"
            )
        entry = Entry(
            site=site,
            key=str(rec.get("id") or rec["slug"]),
            title=rec.get("titel") or rec["naam"],
            html=rec["omschrijving"],
            organizer=rec.get("organisatie") or rec.get("organisator"),
            place=place,
            mode=mode,
            place_name=rec.get("plaatsnaam", place.naam if place else None) or None,
            buurt=rec.get("buurt"),
            buurtcode_hint=rec.get("buurtcode"),
            data=rec,
        )
        if "dag" in rec:  # events
            entry.notation = rec.get("notatie", "tzid")
            if entry.notation == "datum":
                entry.all_day = True
                entry.starts_at = self.today + timedelta(days=rec["dag"])
                entry.ends_at = entry.starts_at + timedelta(days=1)
            else:
                entry.starts_at = self.at(rec["dag"], rec["start"])
                entry.ends_at = self.at(rec["dag"], rec["eind"]) if rec.get("eind") else None
            entry.occurrences = self._occurrences(entry, rec.get("herhaling"))
        if "sinds" in rec:  # vacancies: a period in whole days
            entry.starts_at = self.today - timedelta(days=rec["sinds"])
            entry.ends_at = (
                self.today + timedelta(days=rec["tot"]) if rec.get("tot") is not None else None
            )
            entry.published_at = self.at(-rec["sinds"], "09:00")
        if "dagen_geleden" in rec:  # news
            entry.published_at = self.at(-rec["dagen_geleden"], rec["tijd"])
        return entry

    @staticmethod
    def _occurrences(entry: Entry, rule: dict[str, Any] | None) -> list[datetime]:
        if not isinstance(entry.starts_at, datetime):
            return []
        if not rule:
            return [entry.starts_at]
        assert rule["freq"] == "WEEKLY"
        skip = set(rule.get("vervalt", []))
        first = entry.starts_at
        return [
            datetime.combine(first.date() + timedelta(weeks=i), first.timetz())
            for i in range(rule["count"])
            if i not in skip
        ]

    # -- queries ---------------------------------------------------------------------------
    def site(self, site: str) -> list[Entry]:
        return self.entries[site]

    def entry(self, site: str, key: str) -> Entry:
        for e in self.entries[site]:
            if e.key == str(key):
                return e
        raise KeyError(f"no {site} entry {key!r}")

    def all_entries(self) -> list[Entry]:
        return [e for entries in self.entries.values() for e in entries]

    def used_places(self) -> list[Place]:
        seen = {e.place.id: e.place for e in self.all_entries() if e.place}
        return list(seen.values())

    def duplicates(self) -> list[tuple[Entry, Entry, str]]:
        """The planted cross-source duplicate pairs (each must become one cluster)."""
        return [
            (self.entry(*d["a"]), self.entry(*d["b"]), d["waarom"])
            for d in self.overlaps["duplicaten"]
        ]

    def hard_negatives(self) -> list[tuple[list[Entry], str]]:
        """Look-alikes that must stay apart (a single entry = its recurring dates stay apart)."""
        return [
            ([self.entry(*ref) for ref in n["items"]], n["waarom"])
            for n in self.overlaps["niet_samenvoegen"]
        ]

    def expected_items(self) -> list[dict[str, Any]]:
        """Ground truth per served record: source id, key, title, kind, dates and expected buurt."""
        out = []
        for e in self.all_entries():
            for start in e.occurrences or [e.starts_at]:
                out.append(
                    {
                        "source_id": e.source_id,
                        "site": e.site,
                        "key": e.key,
                        "title": e.title,
                        "kind": e.kind,
                        "starts_at": start,
                        "mode": e.mode,
                        "buurt_code": e.expected_buurtcode,
                        "buurt_name": e.expected_buurtnaam,
                        "out_of_area": bool(e.place and not e.place.in_maastricht),
                    }
                )
        return out


def load_catalog(today: date | None = None) -> Catalog:
    """The demo content resolved for ``today`` (default: today in Europe/Amsterdam)."""
    return _catalog(today or datetime.now(TZ).date())


@lru_cache(maxsize=8)
def _catalog(today: date) -> Catalog:
    return Catalog(today)


def _read(name: str) -> dict[str, Any]:
    return json.loads((CONTENT_DIR / name).read_text(encoding="utf-8"))


def slugify(text: str) -> str:
    """``Vrijwilliger Taalcafé Malberg (m/v/x)`` -> ``vrijwilliger-taalcafe-malberg-m-v-x``."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def html_to_text(fragment: str) -> str:
    """A small HTML-to-text for the demo's own markup (paragraphs and list items on new lines)."""
    text = re.sub(r"(?is)<(script|style|iframe)\b.*?</\1>", "", fragment)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</li>|</h\d>", "\n", text)
    text = re.sub(r"(?i)<li[^>]*>", "- ", text)
    text = re.sub(r"<[^>]+>", "", text)
    lines = [re.sub(r"[ \t]+", " ", html.unescape(line)).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
