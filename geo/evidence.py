"""Evidence about a place, its confidence, and how disagreeing evidence is settled.

Every step of the chain yields :class:`Evidence`: a target (a buurt, a wijk, or "outside the
municipality"), a method name and a confidence in [0, 1]. :func:`decide` keeps the strongest
evidence; evidence for another target is recorded as the conflict (and costs the winner
``CONFLICT_PENALTY``), agreeing evidence from another method adds ``AGREEMENT_BONUS``.

The confidences below are the documented scale of the chain (``docs``/``explain`` show them):
"""

from __future__ import annotations

from dataclasses import dataclass

#: Method -> base confidence. Lower variants are derived in the chain (near a border, fuzzy, ...).
CONFIDENCE = {
    "source_coordinates": 0.95,  # a point given by the source, well inside a buurt
    "source_coordinates_border": 0.8,  # ... within BORDER_M of a (generalised) buurt border
    "outside_coordinates": 0.95,  # a point given by the source, far outside the municipality
    "address_table": 0.99,  # the imported CBS postcode + huisnummer -> buurt table
    "address_point": 0.9,  # an exact known address point (OSM)
    "address_point_border": 0.8,  # ... within BORDER_M of a border (still beats any centroid)
    "postcode": 0.75,  # a PC6 centroid (mean of its addresses) well inside a buurt
    "postcode_border": 0.6,  # a PC6 centroid within BORDER_M of a border
    "postcode_pc6_neighbours": 0.5,  # an unknown PC6 whose neighbours in the letter sequence lie in one buurt
    "postcode_addresses": 0.6,  # an unknown PC6 whose known addresses (OSM points written with it) lie in one buurt
    "postcode_pc5": 0.5,  # an unknown PC6 whose PC5 (6211A) lies >= 90% in one buurt (x share)
    "postcode_pc4": 0.45,  # a bare PC4 whose PC6s lie >= 90% in one buurt
    "street_number": 0.65,  # the nearest known number (same parity, <= 20 apart) on the street
    "street_number_both": 0.7,  # known numbers on both sides (same parity, <= 20 apart) in one buurt
    "street_number_far": 0.5,  # the nearest known number of the same parity 21-40 away
    "street_number_split": 0.5,  # ... in different buurten: the interpolated point (a PC6 decides)
    "street": 0.55,  # a street whose known addresses lie in one buurt
    "street_mention": 0.5,  # a known street named in running text, without a number
    "venue_civic": 0.7,  # a community centre, school, church, ... or an operator's alias
    "venue": 0.65,  # another named point of interest
    "buurt_name": 0.6,  # a buurt name or alias in the location, title or address
    "buurt_name_description": 0.55,  # ... in the description only
    "wijk_name": 0.4,  # a wijk name (no buurt)
    "outside_city": 0.9,  # the address's place (or city field) is outside Maastricht
    "outside_postcode": 0.9,  # a postcode outside the Maastricht PC4 areas
    "outside_mention": 0.72,  # an outside place named in the text: blocks names, venues, streets
    "outside_destination": 0.45,  # ... named as where something goes ("de route naar Heerlen"): below a buurt name
    "source_venue": 0.35,  # the source's ``venue``, for an item that names no place (below all above)
    "source_area": 0.3,  # the source's ``area`` (a buurt; a wijk gives the wijk only), likewise
    "online": 0.95,  # an online item (the record or its source says so): city-wide, never placed
    "online:nominatim": 0.7,
    "online:photon": 0.7,
    "online:pdok": 0.9,
}
BORDER_M = 75.0
"""Within this many metres of a generalised border, a point's buurt is less sure."""
AGREEMENT_BONUS = 0.05
CONFLICT_PENALTY = 0.15
CONFLICT_MIN = 0.3
"""Evidence weaker than this is shown in the steps but not reported as a conflict."""

OUTSIDE = "outside"


@dataclass(slots=True)
class Evidence:
    """One step's finding. ``target`` is a buurt code, ``wijk:<code>``, ``outside``, or None (no
    place, e.g. "Maastricht" alone: in the area, but city-wide)."""

    method: str
    confidence: float
    target: str | None
    matched: str
    lat: float | None = None
    lon: float | None = None
    note: str = ""

    def describe(self) -> str:
        where = self.target or "city-wide"
        return f"{self.method} {self.matched!r} -> {where} ({self.confidence:.2f})"

    def as_step(self) -> dict:
        return {"method": self.method, "confidence": round(self.confidence, 3), "target": self.target,
                "matched": self.matched, "lat": self.lat, "lon": self.lon, "note": self.note}


def compatible(a: str | None, b: str | None, wijk_of: dict[str, str]) -> bool:
    """Same target, or a buurt and the wijk it belongs to."""
    if a == b:
        return True
    if a and b and a.startswith("wijk:") and wijk_of.get(b) == a[5:]:
        return True
    return bool(a and b and b.startswith("wijk:") and wijk_of.get(a) == b[5:])


def decide(evidence: list[Evidence], wijk_of: dict[str, str]) -> tuple[Evidence | None, float, list[Evidence]]:
    """(winner, final confidence, conflicting evidence) among evidence that names a target."""
    placed = [e for e in evidence if e.target is not None]
    if not placed:
        return None, 0.0, []
    winner = max(placed, key=lambda e: e.confidence)  # max keeps the first (earlier step) on ties
    conflicts = [e for e in placed if not compatible(e.target, winner.target, wijk_of)
                 and e.confidence >= CONFLICT_MIN]
    agree = any(e is not winner and e.method != winner.method and e.target == winner.target
                and e.confidence >= 0.5 for e in placed)
    conf = winner.confidence + (AGREEMENT_BONUS if agree else 0.0) - (CONFLICT_PENALTY if conflicts else 0.0)
    return winner, round(min(0.99, max(0.05, conf)), 3), conflicts
