"""Place fields: coordinates, postcodes, and address parts (parsed by ``normalizers.address``).

Coordinates are WGS84 decimal degrees. A pair is kept only when both parse, both are in range
and it is not (0, 0) (the "null island" of a missing value). A pair that looks swapped for the
Netherlands (lat ~ 5, lon ~ 51) is swapped back.

Postcodes are Dutch: ``"6211 pe"`` -> ``"6211PE"``; a bare PC4 (``"6211"``) is kept as such;
anything else is ``None``.
"""

from __future__ import annotations

import importlib
import logging
import math
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from .text import as_text, clean_text

log = logging.getLogger(__name__)

# The Netherlands, generously (Caribbean parts excluded): used only to spot swapped pairs.
_NL_LAT = (50.5, 53.8)
_NL_LON = (3.0, 7.5)

_POSTCODE_RE = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{2})?$")
_UNUSED_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})  # never issued by PostNL
_HOUSENUMBER_LETTER_RE = re.compile(r"^(\d{1,5})\s*-?\s*([A-Za-z])$")
_HOUSENUMBER_RE = re.compile(r"^\d{1,5}(?:[ \-/]?[A-Za-z0-9]{1,6}){0,2}$")
_COORD_RE = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)$")

MAX_CHARS = {"street": 200, "housenumber": 20, "postcode": 7, "city": 100}


def parse_coordinate(value: Any) -> float | None:
    """A finite float from a number or a string ("50.8514", "50,8514", " 5.69° "), or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = as_text(value) if isinstance(value, (str, bytes)) else None
        if text is None:
            return None
        text = text.strip().rstrip("°").strip()[:40]
        if not _COORD_RE.match(text):
            return None
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def clean_point(lat: Any, lon: Any) -> tuple[float | None, float | None]:
    """``(lat, lon)`` both valid, or ``(None, None)``."""
    la, lo = parse_coordinate(lat), parse_coordinate(lon)
    if la is None or lo is None:
        return None, None
    if _NL_LON[0] <= la <= _NL_LON[1] and _NL_LAT[0] <= lo <= _NL_LAT[1]:
        la, lo = lo, la
    if not (-90.0 <= la <= 90.0 and -180.0 <= lo <= 180.0):
        return None, None
    if la == 0.0 and lo == 0.0:
        return None, None
    return la, lo


def normalize_postcode(value: Any) -> str | None:
    """``"6211 pe"`` -> ``"6211PE"``, ``"6211"`` -> ``"6211"``, anything else -> ``None``."""
    text = as_text(value)
    if not text:
        return None
    match = _POSTCODE_RE.match(clean_text(text, 20).replace("\u00a0", " "))
    if not match:
        return None
    letters = (match.group(2) or "").upper()
    if letters in _UNUSED_POSTCODE_LETTERS:
        return None
    return match.group(1) + letters


def normalize_housenumber(value: Any) -> str | None:
    """``"38"`` -> ``"38"``, ``"38 a"`` / ``"38-a"`` -> ``"38A"`` (the form ``address`` writes);
    other additions ("38-2", "38 bis", "12-14") are kept as written, cleaned; anything else
    (not starting with a number, punctuation, longer than ``MAX_CHARS["housenumber"]``) is not
    a house number (``None``)."""
    text = clean_text(value, 1000)
    if not text or len(text) > MAX_CHARS["housenumber"] or not _HOUSENUMBER_RE.match(text):
        return None
    match = _HOUSENUMBER_LETTER_RE.match(text)
    if match:
        return match.group(1) + match.group(2).upper()
    return text


@dataclass(slots=True)
class Place:
    """The address fields an item gets."""

    address: str | None = None
    street: str | None = None
    housenumber: str | None = None
    postcode: str | None = None
    city: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.address or self.street or self.postcode)

    def fill_from(self, parts: Any) -> bool:
        """Copy the parts of an ``AddressParts`` into the empty fields; True if any was set."""
        changed = False
        for name in ("street", "housenumber", "postcode", "city"):
            if getattr(self, name):
                continue
            raw = getattr(parts, name, None)
            if name == "postcode":
                value = normalize_postcode(raw)
            elif name == "housenumber":
                value = normalize_housenumber(raw)
            else:
                value = _short(raw, name)
            if value:
                setattr(self, name, value)
                changed = True
        return changed

    def formatted(self) -> str | None:
        """"Brusselsestraat 38, 6211 PG Maastricht" from the parts."""
        first = " ".join(p for p in (self.street, self.housenumber) if p)
        postcode = self.postcode
        if postcode and len(postcode) == 6:
            postcode = f"{postcode[:4]} {postcode[4:]}"
        second = " ".join(p for p in (postcode, self.city) if p)
        text = ", ".join(p for p in (first, second) if p)
        return text or None


def _short(value: Any, name: str) -> str | None:
    return clean_text(value, MAX_CHARS[name]) or None


def _address_module() -> ModuleType | None:
    """``normalizers.address`` (the geo team's parser), or None while it does not exist."""
    try:
        return importlib.import_module(".address", __package__)
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.address":
            raise
        log.warning("normalizers.address is missing: address text is not split into parts")
        return None


def build_place(
    fields: dict[str, Any], location_name: str | None, description_text: str, has_point: bool
) -> Place:
    """The address fields of an item.

    - ``street``/``housenumber``/``postcode``/``city`` as given, cleaned;
    - ``address`` (free text) given but no street and no postcode: split by ``parse_address``;
    - no address, street, postcode or coordinates at all: the first address written in the
      location name (iCal LOCATION often holds one), else in the description
      (``find_address_in_text``), fills the parts, and ``address`` is composed from them.
    """
    place = Place(
        address=clean_text(fields.get("address"), 500) or None,
        street=_short(fields.get("street"), "street"),
        housenumber=normalize_housenumber(fields.get("housenumber")),
        postcode=normalize_postcode(fields.get("postcode")),
        city=_short(fields.get("city"), "city"),
    )
    if place.address and not place.street and not place.postcode:
        module = _address_module()
        if module is not None:
            parts = module.parse_address(place.address)
            if parts is not None:
                place.fill_from(parts)
    elif place.is_empty and not has_point and (location_name or description_text):
        module = _address_module()
        if module is not None:
            for text in (location_name, description_text):
                parts = module.find_address_in_text(text) if text else None
                if parts is not None and place.fill_from(parts):
                    place.address = place.formatted()
                    break
    return place
