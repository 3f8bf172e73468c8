"""The place -> point -> buurt chain.

``Locator.locate(item)`` collects evidence from every field of an item, in the order of the chain:
coordinates given by the source -> street + number (the imported CBS address table, or an exact
known address point) -> PC6 postcode centroid -> street (rapidfuzz on street names; nearest known
number) -> named venue -> buurt/wijk name or alias in the text -> an online geocoder (off by
default) -> no place (city-wide). Then :func:`geo.evidence.decide` lets the strongest evidence win and
records the losers as the conflict. An out-of-area place (city field, postcode, or a place named in
the text) is evidence for "outside": such items get no buurt, never a wrong one.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from tim.normalizers.address import (
    AddressParts,
    find_address_in_text,
    maastricht_pc4,
    normalise_postcode,
    parse_address,
    place_in_area,
)
from tim.records import GeoResult, Item

from . import data
from .boundaries import MAASTRICHT, BoundarySet, Buurt
from .evidence import BORDER_M, CONFIDENCE, OUTSIDE, Evidence, decide
from .gazetteer import Gazetteer, Point
from .phrases import ascii_text

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from tim.config.geocoder import GeocoderSettings

    from .online import OnlineGeocoder

log = logging.getLogger(__name__)

_COORDS = re.compile(r"(?<![\d.])(-?\d{1,3}\.\d{3,})\s*[,;/ ]\s*(-?\d{1,3}\.\d{3,})(?![\d.])")
_DIGIT = re.compile(r"\d")
_TEXT_FIELDS = ("location_name", "title", "address", "description_text")
_PLACE_FIELDS = frozenset({"location_name", "address", "text"})
#: the word right before a place that makes it a destination ("naar Heerlen", "richting Aken")
_DESTINATION = re.compile(r"\b(naar|richting|to|towards)\s+$", re.IGNORECASE)


@lru_cache(maxsize=4)
def _gazetteer_for(boundaries: BoundarySet, tolerance_m: float) -> Gazetteer:
    return Gazetteer(boundaries, tolerance_m=tolerance_m)


class Locator:
    """Decides an item's buurt and explains why. Build once per run with :meth:`load`."""

    def __init__(
        self,
        boundaries: BoundarySet,
        gazetteer: Gazetteer,
        *,
        address_table: dict[tuple[str, int], tuple[str, str]] | None = None,
        online: OnlineGeocoder | None = None,
        tolerance_m: float = 250.0,
    ):
        self.b = boundaries
        self.gaz = gazetteer
        self.address_table = address_table or {}
        self.online = online
        self.tolerance_m = tolerance_m
        self.wijk_of = {b.code: b.wijk_code for b in boundaries.buurten}
        self.inhabitants: dict[str, int | None] = {}
        self.gemeente = MAASTRICHT
        # PC6 -> (buurt code, share of its addresses) from the CBS address table: the postcode step of
        # a gemeente without bundled PC6 centroids (and for PC6s the centroids lack)
        self.pc6_table = _pc6_from_table(self.address_table)
        self.pc4_area: frozenset[str] | None = None  # None: Maastricht's PC4 areas
        self._engine: Engine | None = None
        self._settings: GeocoderSettings | None = None
        self._others: dict[str, Locator] = {}

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def load(cls, engine: Engine | None = None, settings: GeocoderSettings | None = None,
             gemeente: str = MAASTRICHT) -> Locator:
        """The bundled data; with ``engine``, the active imported boundaries, the CBS address table
        and the online fallback's cache come from that database. Cached: a second load is cheap.

        Another ``gemeente`` than Maastricht (GM0935) needs ``engine``: its active imported
        boundary set and its rows of the CBS address table (PC6s from them); Maastricht's bundled
        gazetteer (streets, address points, venues, names) is not used for it."""
        from tim.config.geocoder import GeocoderSettings

        settings = settings or GeocoderSettings()
        if gemeente != MAASTRICHT:
            return cls._load_other(engine, settings, gemeente)
        tolerance = settings.border_tolerance_m
        boundaries = data.bundled_boundaries()
        address_table = None
        inhabitants: dict[str, int | None] = {}
        if engine is not None:
            from .store_io import load_active_boundaries, load_address_table, load_stats

            boundaries = load_active_boundaries(engine) or boundaries
            address_table = load_address_table(engine)
            inhabitants = {code: row.inhabitants for code, row in load_stats(engine).items()}
        online = None
        if settings.provider != "none":
            from .online import make_geocoder

            online = make_geocoder(settings, engine)
        locator = cls(boundaries, _gazetteer_for(boundaries, tolerance), address_table=address_table,
                      online=online, tolerance_m=tolerance)
        locator.inhabitants = inhabitants
        locator._engine, locator._settings = engine, settings
        return locator

    @classmethod
    def _load_other(cls, engine: Engine | None, settings: GeocoderSettings, gemeente: str) -> Locator:
        from tim.errors import GeoError

        from .store_io import load_active_boundaries, load_address_table, load_stats

        if engine is None:
            raise GeoError(f"gemeente {gemeente}: its boundaries and gazetteer are imported ones; a database is needed")
        boundaries = load_active_boundaries(engine, gemeente)
        if boundaries is None:
            raise GeoError(f"gemeente {gemeente}: no active boundary set in the database; "
                           f"`tim geo import-buurten FILE --gemeente {gemeente}` first")
        table = load_address_table(engine, gemeente)
        locator = cls(boundaries, Gazetteer.empty(boundaries), address_table=table,
                      tolerance_m=settings.border_tolerance_m)
        locator.gemeente = gemeente
        locator.pc4_area = frozenset(pc[:4] for pc, _n in table)
        locator.inhabitants = {code: row.inhabitants for code, row in load_stats(engine).items()}
        locator._engine, locator._settings = engine, settings
        return locator

    def for_gemeente(self, gemeente: str | None) -> Locator:
        """The locator of ``gemeente`` (this one for its own), loaded from the same database once;
        this one (with a warning) while that gemeente has no imported boundaries."""
        from .store_io import active_version

        if not gemeente or gemeente == self.gemeente:
            return self
        if gemeente not in self._others:
            if self._engine is None or active_version(self._engine, gemeente) is None:
                log.warning("gemeente %s has no imported boundaries: its sources are placed with %s's "
                            "(`tim geo import-buurten FILE --gemeente %s`)", gemeente, self.gemeente, gemeente)
                return self
            self._others[gemeente] = Locator.load(self._engine, self._settings, gemeente)
        return self._others[gemeente]

    @property
    def boundary_version(self) -> str:
        """Label of the boundary set in use (recorded per item)."""
        return self.b.version

    @property
    def fingerprint(self) -> str:
        """What this locator's answers depend on beyond the bundled data: the boundary set, the
        imported CBS address table (its size) and the geocoder settings."""
        settings = self._settings.model_dump_json() if self._settings is not None else ""
        return f"{self.gemeente}|{self.boundary_version}|{len(self.address_table)}|{settings}"

    def buurten(self) -> list[Buurt]:
        """The buurten of the boundary set in use (WGS84 polygons), with CBS inhabitants when imported."""
        return [replace(b, inhabitants=self.inhabitants.get(b.code, b.inhabitants)) for b in self.b.buurten]

    # -- public API ------------------------------------------------------------------------
    def locate(self, item: Item, *, trace: bool = False, fallback: Evidence | None = None) -> GeoResult:
        """The buurt of one item, from all its place fields. ``fallback`` (the source's default
        place, see ``geo.strategy``) is used only when the item names no place of its own; an
        online item is never placed."""
        if getattr(item, "online", False):
            return self.online_result("the record says it happens online")
        parts = self._item_parts(item)
        texts = [(f, getattr(item, f, None)) for f in _TEXT_FIELDS]
        coords = (item.lat, item.lon) if item.lat is not None and item.lon is not None else None
        return self._run(coords, parts, [(f, t) for f, t in texts if t], trace=trace, fallback=fallback)

    def online_result(self, why: str) -> GeoResult:
        """The result of an online item: city-wide, with the reason."""
        return GeoResult(method="online", confidence=CONFIDENCE["online"], matched="online",
                         boundary_version=self.b.version, steps=[{"method": "online", "note": why}])

    def explain(self, text: str, *, trace: bool = True) -> GeoResult:
        """The same chain on one free text (an address, a sentence, "lat, lon"); steps filled
        (``trace=False`` skips them, for speed)."""
        text = (text or "").strip()
        coords = None
        m = _COORDS.search(text) if "." in text else None
        if m:
            coords = (float(m.group(1)), float(m.group(2)))
        parts = None if m else find_address_in_text(text)
        if parts is None and text and not m and len(text) <= 80 and _DIGIT.search(text):
            whole = parse_address(text)
            if whole.postcode or whole.housenumber or (whole.in_area is not None and whole.city):
                parts = whole
        return self._run(coords, parts, [("text", text)] if text else [], trace=trace)

    # -- the chain -------------------------------------------------------------------------
    def _item_parts(self, item: Item) -> AddressParts | None:
        base = parse_address(item.address) if item.address else None
        if base is None or base.is_empty or not (base.housenumber or base.postcode):
            found = None
            for field in ("location_name", "description_text", "title"):
                value = getattr(item, field, None)
                if value:
                    found = find_address_in_text(value)
                    if found:
                        break
            if found and (base is None or base.is_empty or not base.street):
                base = found
        street = item.street or (base.street if base else None)
        hn = item.housenumber or (base.housenumber if base else None)
        if item.street and item.housenumber is None and base is None:
            sp = parse_address(item.street)
            street, hn = sp.street, sp.housenumber
        elif item.housenumber:
            hp = parse_address(f"x {item.housenumber}")
            hn = hp.housenumber or item.housenumber
        postcode = normalise_postcode(item.postcode) if item.postcode else None
        if item.postcode and postcode is None and re.fullmatch(r"\s*\d{4}\s*", item.postcode):
            postcode = item.postcode.strip()
        postcode = postcode or (base.postcode if base else None)
        city = item.city or (base.city if base else None)
        if not (street or hn or postcode or city):
            return None
        if self.pc4_area is not None:  # another gemeente: Maastricht's place names say nothing
            in_area = self._pc_in_area(postcode)
        else:
            in_area = place_in_area(city) if item.city else (base.in_area if base else None)
        if in_area is None and postcode:
            in_area = self._pc_in_area(postcode)
        matched = ", ".join(p for p in (f"{street or ''} {hn or ''}".strip(), postcode or "", city or "") if p)
        return AddressParts(street, hn, postcode, city, in_area, matched)

    def _run(self, coords, parts: AddressParts | None, texts: list[tuple[str, str]], *, trace: bool,
             fallback: Evidence | None = None) -> GeoResult:
        ev: list[Evidence] = []
        in_area = bool(parts and parts.in_area)
        if coords is not None:
            self._coordinates(coords, in_area, ev)
        if parts is not None:
            self._address(parts, ev)
        for field, text in texts:
            self._names(field, text, ev)
        winner, conf, conflicts = decide(ev, self.wijk_of)
        if winner is None and self.online is not None and parts is not None and parts.in_area is not False:
            online = self.online.lookup(parts, self.b)
            if online is not None:
                ev.append(online)
                winner, conf, conflicts = decide(ev, self.wijk_of)
        if winner is None and fallback is not None:  # no place of its own, none outside either
            ev.append(fallback)
            winner, conf, conflicts = decide(ev, self.wijk_of)
        return self._result(winner, conf, conflicts, ev, trace)

    def _result(self, winner, conf, conflicts, ev, trace) -> GeoResult:
        steps = [e.as_step() for e in ev] if trace else []
        if winner is None:
            return GeoResult(method="none", confidence=0.0, boundary_version=self.b.version, steps=steps,
                             matched=next((e.matched for e in ev if e.method == "in_area"), None))
        conflict = "; ".join(e.describe() for e in conflicts) or None
        res = GeoResult(method=_public_method(winner.method), confidence=conf, lat=winner.lat, lon=winner.lon,
                        matched=winner.matched, conflict=conflict, boundary_version=self.b.version, steps=steps)
        if winner.target == OUTSIDE:
            res.matched = f"{winner.matched} [outside Maastricht]"
        elif winner.target.startswith("wijk:"):
            res.wijk_code = winner.target[5:]
        else:
            buurt = self.b.buurten[self.b.index_of[winner.target]]
            res.buurt_code, res.buurt_name, res.wijk_code = buurt.code, buurt.name, buurt.wijk_code
        return res

    # -- steps -----------------------------------------------------------------------------
    def _point_evidence(self, method: str, p: Point, matched: str, base: float, border_conf: float) -> Evidence:
        if p.idx < 0:
            return Evidence(method, CONFIDENCE["outside_coordinates"] * 0.5, None, matched, p.lat, p.lon,
                            "point outside the buurt polygons")
        code = self.b.codes[p.idx]
        if p.nearest_m > 0:
            return Evidence(method, min(border_conf, 0.55), code, matched, p.lat, p.lon,
                            f"{p.nearest_m:.0f} m outside the generalised polygons; nearest buurt")
        conf = base if p.border_m >= BORDER_M else border_conf
        note = f"{p.border_m:.0f} m from the buurt border" if p.border_m < BORDER_M else ""
        return Evidence(method, conf, code, matched, p.lat, p.lon, note)

    def _coordinates(self, coords, in_area: bool, ev: list[Evidence]) -> None:
        lat, lon = coords
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            return
        if not (math.isfinite(lat) and math.isfinite(lon)) or (lat == 0 and lon == 0) or abs(lat) > 90 or abs(lon) > 180:
            ev.append(Evidence("source_coordinates", 0.0, None, f"{lat},{lon}", note="invalid coordinates ignored"))
            return
        matched = f"{lat:.6f},{lon:.6f}"
        idx = self.b.locate(lon, lat)
        note = ""
        if idx < 0 and abs(lon) <= 90:
            swapped = self.b.locate(lat, lon)
            if swapped >= 0:
                idx, lat, lon, note = swapped, lon, lat, "lat/lon were swapped by the source"
        if idx >= 0:
            border = self.b.border_distance_m(idx, lon, lat)
            conf = CONFIDENCE["source_coordinates"] if border >= BORDER_M else CONFIDENCE["source_coordinates_border"]
            if border < BORDER_M:
                note = (note + "; " if note else "") + f"{border:.0f} m from the buurt border"
            ev.append(Evidence("source_coordinates", conf, self.b.codes[idx], matched, lat, lon, note))
            return
        near, dist = self.b.nearest(lon, lat, self.tolerance_m)
        if near >= 0 and in_area:
            ev.append(Evidence("source_coordinates", 0.5, self.b.codes[near], matched, lat, lon,
                               f"{dist:.0f} m outside the generalised polygons, address in Maastricht: nearest buurt"))
        elif near >= 0:
            ev.append(Evidence("source_coordinates", 0.6, OUTSIDE, matched, lat, lon,
                               f"{dist:.0f} m outside the (generalised) municipality"))
        else:
            ev.append(Evidence("source_coordinates", CONFIDENCE["outside_coordinates"], OUTSIDE, matched, lat, lon,
                               "outside the municipality"))

    def _address(self, parts: AddressParts, ev: list[Evidence]) -> None:
        matched = parts.matched or ""
        if parts.in_area is False:
            postcode_outside = self._pc_in_area(parts.postcode) is False
            if parts.city and place_in_area(parts.city) is False:
                ev.append(Evidence("address", CONFIDENCE["outside_city"], OUTSIDE, matched, note=f"place {parts.city} is outside Maastricht"))
            elif postcode_outside:
                ev.append(Evidence("postcode", CONFIDENCE["outside_postcode"], OUTSIDE, parts.postcode or "", note="postcode outside the Maastricht PC4 areas"))
            else:
                ev.append(Evidence("address", CONFIDENCE["outside_city"] - 0.1, OUTSIDE, matched, note=f"place {parts.city!r} is not Maastricht"))
            return
        number = parts.number
        pc = parts.postcode if parts.postcode and len(parts.postcode) == 6 else None
        if pc and number is not None and (pc, number) in self.address_table:
            code, _wijk = self.address_table[(pc, number)]
            if code in self.b.index_of:
                ev.append(Evidence("address_point", CONFIDENCE["address_table"], code, f"{pc} {number}",
                                   note="CBS postcode + huisnummer table"))
        street_hit = self.gaz.street(parts.street) if parts.street else None
        anchor: Point | None = None  # where the street's known numbers put this one
        if street_hit and number is not None:
            st, score, key = street_hit
            p = self.gaz.address_point(key, number, parts.addition)
            other_addition = p is None and parts.addition is not None
            if other_addition:
                p = self.gaz.address_point(key, number, None)  # 38a where only 38 is known: same building
            if p is not None:
                e = self._point_evidence("address_point", p, f"{p.label} (known address)", CONFIDENCE["address_point"],
                                         CONFIDENCE["address_point_border"])
                if other_addition:
                    e.confidence = round(e.confidence * 0.95, 3)
                    e.note = (e.note + "; " if e.note else "") + "known without this addition"
                if score < 100 and not (pc and self.gaz.address_postcodes.get(p) == pc):
                    e.confidence = round(e.confidence * 0.95, 3)  # a fuzzy street, unconfirmed by postcode
                    e.note = (e.note + "; " if e.note else "") + f"street matched {score:.0f}%"
                ev.append(e)
            else:
                found = self._street_number(st, key, number, pc)
                if found is not None:
                    ev.append(found[0])
                    anchor = found[1]
                    street_hit = None
        if pc:
            p = self.gaz.pc6.get(pc)
            table_hit = self.pc6_table.get(pc) if p is None else None
            if p is not None:
                e = self._point_evidence("postcode", p, pc, CONFIDENCE["postcode"], CONFIDENCE["postcode_border"])
                far = _distance_m(p, anchor) if anchor is not None else 0.0
                if far > PC6_FAR_M and e.target:  # the PC6's addresses are elsewhere: another stretch
                    e.confidence = round(e.confidence * PC6_FAR_FACTOR, 3)
                    e.note = (e.note + "; " if e.note else "") + (
                        f"PC6 centroid {far:.0f} m from the street's known numbers around this one")
                ev.append(e)
            elif table_hit is not None and table_hit[0] in self.b.index_of and table_hit[1] >= 0.9:
                code, share = table_hit
                ev.append(Evidence("postcode", round(CONFIDENCE["postcode"] * share, 3), code, pc,
                                   note=f"CBS address table: {share:.0%} of the PC6's addresses in this buurt"))
            else:
                self._pc4(pc[:4], ev, f"{pc} (PC6 unknown; PC4 {pc[:4]})")
                self._pc6_evidence(pc, ev)
                near_pc = self.gaz.neighbouring_pc6(pc)
                if near_pc is not None:
                    lo, hi, idx = near_pc
                    ev.append(Evidence("postcode", CONFIDENCE["postcode_pc6_neighbours"], self.b.codes[idx], pc,
                                       note=f"PC6 unknown; its neighbours in the sequence {lo} and {hi} lie in one buurt"))
        elif parts.postcode and len(parts.postcode) == 4:
            self._pc4(parts.postcode, ev, parts.postcode)
        if street_hit and not any(e.method == "address_point" for e in ev):
            st, score, key = street_hit
            if st.share >= 0.9:
                conf = CONFIDENCE["street"] * (score / 100)
                note = ""
                known = [n for n, _p in self.gaz.street_numbers.get(key, ())]
                if number is not None and known and min(abs(n - number) for n in known) > STREET_FAR_NUMBERS:
                    conf *= STREET_FAR_FACTOR  # a long street: its known addresses are another stretch
                    note = f"the street's known numbers are all more than {STREET_FAR_NUMBERS} from {number}"
                ev.append(Evidence("street", round(conf, 3), self.b.codes[st.idx] if st.idx >= 0 else None,
                                   st.name if score == 100 else f"{parts.street} ~ {st.name} ({score:.0f}%)",
                                   st.point.lat, st.point.lon, note))
            else:
                ev.append(Evidence("street", 0.2, None, st.name,
                                   note=f"street spans several buurten ({st.share:.0%} in one)"))
        if parts.in_area and not ev:
            ev.append(Evidence("in_area", 0.0, None, parts.city or matched, note="in Maastricht, no finer place"))

    def _street_number(self, st, key: str, number: int, pc: str | None) -> tuple[Evidence, Point] | None:
        """An unknown number placed by the known numbers on the same side of its street (same
        parity, <= 20 apart): (evidence, the point it is placed at).

        * known numbers on both sides in one buurt: that buurt, by their vote, whatever the
          interpolated point's side of a generalised border (``street_number_both``, 0.7; 0.75 when
          one of them is the next house of the same PC6, <= 2 apart);
        * on one side only, with >= 2 known numbers of this side within 40 all in one buurt: that
          buurt (a border along the street's centre line; 0.7);
        * on both sides in different buurten: the point interpolated between them, weaker than a
          PC6 centroid near a border (``street_number_split``), so the PC6 decides where there is
          one; unless one of them is the next house of the same PC6: that one;
        * on one side only: that number's point (0.65; 0.5 within 75 m of a border, except for the
          next house of the same PC6);
        * none within 20, one 21-40 away: its buurt (``street_number_far``, 0.5)."""
        lo, hi = self.gaz.same_side_numbers(key, number)
        if lo is None and hi is None:
            sides = [x for x in self.gaz.same_side_numbers(key, number, SIDE_WINDOW) if x is not None]
            if not sides:
                return None
            num, np_ = min(sides, key=lambda x: abs(x[0] - number))
            if np_.idx < 0:
                return None
            return Evidence("street", CONFIDENCE["street_number_far"], self.b.codes[np_.idx],
                            f"{st.name} {number} (nearest known on this side: {st.name} {num})", np_.lat, np_.lon,
                            f"{abs(num - number)} numbers away"), np_

        def block(side):
            return bool(side and abs(side[0] - number) <= 2 and pc and self.gaz.address_postcodes.get(side[1]) == pc)

        def placed(side):
            return side is not None and side[1].idx >= 0 and side[1].nearest_m == 0

        side = self.gaz.same_side_numbers_within(key, number, SIDE_WINDOW) if lo is None or hi is None else []
        side_idx = {p.idx if placed((n, p)) else -1 for n, p in side}
        if len(side) >= 2 and len(side_idx) == 1 and -1 not in side_idx:
            # one side of the street in one buurt (a border along the street's centre line)
            num, np_ = lo or hi
            return Evidence("street", CONFIDENCE["street_number_both"], self.b.codes[np_.idx],
                            f"{st.name} {number} (near known {st.name} {num}; "
                            f"{len(side)} known numbers on this side within {SIDE_WINDOW} in this buurt)",
                            np_.lat, np_.lon, "this side of the street lies in one buurt"), np_
        if lo is not None and hi is not None:
            t = (number - lo[0]) / (hi[0] - lo[0])
            lat = lo[1].lat + t * (hi[1].lat - lo[1].lat)
            lon = lo[1].lon + t * (hi[1].lon - lo[1].lon)
            between = f"{st.name} {number} (between known {st.name} {lo[0]} and {hi[0]}"
            if placed(lo) and placed(hi) and lo[1].idx == hi[1].idx:
                mid = Point(lat, lon, lo[1].idx, 0.0, label=f"{number}")  # the vote decides, not the point
                code = self.b.codes[lo[1].idx]
                same_block = block(lo) or block(hi)
                conf = max(CONFIDENCE["street_number_both"], CONFIDENCE["postcode"] if same_block else 0.0)
                return Evidence("street", conf, code, between + ", both in this buurt)", mid.lat, mid.lon,
                                "the known numbers on both sides lie in one buurt"), mid
            if block(lo) != block(hi):  # one is the next house of the same PC6, the other is not
                lo, hi = (lo, None) if block(lo) else (None, hi)
            else:
                mid = self.gaz._points([lat], [lon], [f"{number}"])[0]
                e = self._point_evidence("street", mid, between + ")", CONFIDENCE["street_number_split"],
                                         CONFIDENCE["street_number_split"])
                e.note = (e.note + "; " if e.note else "") + "the known numbers on either side lie in different buurten"
                return e, mid
        num, np_ = lo or hi
        same_block = block(lo or hi)
        e = self._point_evidence("street", np_, f"{st.name} {number} (near known {st.name} {num})",
                                 CONFIDENCE["street_number"],
                                 CONFIDENCE["street_number"] - (0.0 if same_block else 0.15))
        return e, np_

    def _pc6_evidence(self, pc: str, ev: list[Evidence]) -> None:
        """A PC6 the centroids lack: the known addresses written with it (any street), when they lie
        in one buurt; else its PC5 (6211A for 6211AB), when >= 90 % of the PC5's known PC6
        centroids (at least 3) lie in one buurt."""
        points = self.gaz.postcode_addresses.get(pc) or []
        idxs = {p.idx if p.nearest_m == 0 else -1 for p in points}
        if points and len(idxs) == 1 and -1 not in idxs:
            p = points[0]
            ev.append(Evidence("postcode", CONFIDENCE["postcode_addresses"], self.b.codes[p.idx], pc, p.lat, p.lon,
                               f"PC6 unknown to the centroids; its {len(points)} known address(es) "
                               f"({', '.join(q.label for q in points[:3])}) lie in this buurt"))
            return
        hit = self.gaz.pc5.get(pc[:5])
        if hit and hit[1] >= 0.9 and hit[2] >= 3:
            idx, share, n = hit
            ev.append(Evidence("postcode", round(CONFIDENCE["postcode_pc5"] * share, 3), self.b.codes[idx], pc,
                               note=f"PC6 unknown; {share:.0%} of the {n} known PC6s of {pc[:5]} in this buurt"))

    def _pc_in_area(self, postcode: str | None) -> bool | None:
        """The postcode lies in this locator's gemeente (Maastricht: its PC4 areas; another: the PC4s
        of its CBS address rows)."""
        if self.pc4_area is None:
            return _postcode_in_area(postcode)
        if not postcode or not postcode[:4].isdigit():
            return None
        return postcode[:4] in self.pc4_area

    def _pc4(self, pc4: str, ev: list[Evidence], matched: str) -> None:
        hit = self.gaz.pc4.get(pc4)
        if hit and hit[1] >= 0.9:
            ev.append(Evidence("postcode", round(CONFIDENCE["postcode_pc4"] * hit[1], 3), self.b.codes[hit[0]], matched,
                               note=f"PC4 {pc4}: {hit[1]:.0%} of its PC6 in this buurt"))
        elif hit:
            ev.append(Evidence("postcode", 0.0, None, matched, note=f"PC4 {pc4} spans several buurten"))

    def _names(self, field: str, text: str, ev: list[Evidence]) -> None:
        rejected: list = []
        hits = self.gaz.phrases.scan(text, rejected)
        for r in rejected:  # an ambiguous name that the sentence shows to be something else
            ev.append(Evidence("buurt_name", 0.0, None, r.text, note=f"{field}: not the place: {r.evidence}"))
        if not hits:
            return
        place_field = field in _PLACE_FIELDS
        buurten: dict[str, str] = {}
        why: dict[str, str] = {}
        wijken: dict[str, str] = {}
        venues: dict[str, str] = {}
        for h in hits:
            kind = h.entry.kind
            if kind == "place":
                if h.entry.in_area is False:
                    conf = CONFIDENCE["outside_city"] if (place_field and h.whole) else CONFIDENCE["outside_mention"]
                    note = f"{field}: outside Maastricht ({h.entry.key})"
                    dest = None if h.whole else _DESTINATION.search(ascii_text(text), 0, h.start)
                    if dest:  # "de route naar Heerlen": where it goes, not where the item is
                        conf = CONFIDENCE["outside_destination"]
                        note += f"; a destination ({dest.group(1)!r} before it)"
                    ev.append(Evidence("place_name", conf, OUTSIDE, h.text, note=note))
                else:
                    ev.append(Evidence("in_area", 0.0, None, h.text, note=f"{field}: in Maastricht"))
            elif kind == "buurt":
                buurten.setdefault(h.entry.key, h.text)
                if h.evidence:
                    why.setdefault(h.entry.key, h.evidence)
            elif kind == "wijk":
                wijken.setdefault(h.entry.key, h.text)
            elif kind == "venue":
                venues.setdefault(h.entry.key, h.text)
            elif kind == "street":
                if any(e.method in ("address_point", "street") and e.target for e in ev):
                    continue  # the address step already used this text's street
                st = self.gaz.streets.get(h.entry.key)
                if st and st.share >= 0.9 and st.idx >= 0:
                    ev.append(Evidence("street", CONFIDENCE["street_mention"], self.b.codes[st.idx], h.text,
                                       st.point.lat, st.point.lon, f"{field}: street named without number"))
        for name, text_hit in venues.items():
            v = self.gaz.venues[name]
            if v.idx < 0:
                continue
            conf = CONFIDENCE["venue_civic"] if v.civic else CONFIDENCE["venue"]
            if field == "description_text":
                conf -= 0.05
            lat, lon = (v.point.lat, v.point.lon) if v.point else (None, None)
            ev.append(Evidence("venue", conf, self.b.codes[v.idx], text_hit, lat, lon, f"{field}: {v.source}"))
        if len(buurten) == 1:
            code, text_hit = next(iter(buurten.items()))
            conf = CONFIDENCE["buurt_name_description"] if field == "description_text" else CONFIDENCE["buurt_name"]
            ev.append(Evidence("buurt_name", conf, code, text_hit,
                               note=f"{field}; {why[code]}" if code in why else f"{field}"))
        elif len(buurten) > 1:
            wijk_codes = {self.wijk_of[c] for c in buurten}
            names = ", ".join(buurten.values())
            if len(wijk_codes) == 1:
                wijken.setdefault(next(iter(wijk_codes)), names)
            else:
                ev.append(Evidence("buurt_name", 0.0, None, names, note=f"{field}: several buurten named; none chosen"))
        if len(wijken) == 1:
            code, text_hit = next(iter(wijken.items()))
            ev.append(Evidence("buurt_name", CONFIDENCE["wijk_name"], f"wijk:{code}", text_hit, note=f"{field}: wijk only"))


SIDE_WINDOW = 40
"""Known numbers of the same parity this far from an unknown one describe its side of the street."""
STREET_FAR_NUMBERS = 50
STREET_FAR_FACTOR = 0.8
"""A street's buurt counts less for a number this far from every known number of the street."""
PC6_FAR_M = 300.0
"""A PC6 centroid this far from where the street's known numbers put an address describes another
stretch (a PC6 spanning a long street, or a postcode of another street): it counts less."""
PC6_FAR_FACTOR = 0.6


def _distance_m(a: Point, b: Point) -> float:
    """Distance between two WGS84 points in metres (equirectangular: a few km at most)."""
    dy = (a.lat - b.lat) * 111_320.0
    dx = (a.lon - b.lon) * 111_320.0 * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dx, dy)


def _pc6_from_table(table: dict[tuple[str, int], tuple[str, str]]) -> dict[str, tuple[str, float]]:
    """PC6 -> (the buurt most of its addresses lie in, their share)."""
    from collections import Counter, defaultdict

    by_pc: dict[str, Counter] = defaultdict(Counter)
    for (pc, _n), (code, _wijk) in table.items():
        by_pc[pc][code] += 1
    out = {}
    for pc, counts in by_pc.items():
        code, n = counts.most_common(1)[0]
        out[pc] = (code, n / sum(counts.values()))
    return out


def _postcode_in_area(postcode: str | None) -> bool | None:
    """A PC6 or a bare PC4 (a structured postcode field): in the Maastricht PC4 areas or not."""
    if not postcode:
        return None
    pc4 = postcode[:4]
    if not pc4.isdigit():
        return None
    return pc4 in maastricht_pc4() or pc4.startswith("620")


_PUBLIC = {"address": "none", "place_name": "none", "in_area": "none"}


def _public_method(method: str) -> str:
    """Internal step names -> the documented method names of ``GeoResult``."""
    return _PUBLIC.get(method, method)
