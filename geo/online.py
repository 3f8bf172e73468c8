"""The online fallback: Nominatim or Photon through geopy, or the PDOK Locatieserver; off by default.

Only asked when the offline chain found no place for an item that has an address (a street or a
PC6 postcode) in Maastricht. Every request goes through geopy's ``RateLimiter``
(``min_delay_seconds``, 1 s by default), carries the configured user agent, and is bounded to the
Maastricht area (``viewbox`` + ``bounded`` for Nominatim, ``bbox`` for Photon, ``gemeentecode``
for PDOK); a result is used only when its point lies inside a buurt of the municipality. Answers,
"not found" included, are kept in the ``geocode_cache`` table, so an address is never asked twice.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from functools import partial
from urllib.parse import urlencode, urlsplit

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim, Photon
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tim.config.geocoder import GeocoderSettings
from tim.errors import GeoError
from tim.normalizers.address import AddressParts, fold
from tim.geo.tables import GeocodeCacheRow, ensure_geo_tables, utcnow

from .boundaries import BoundarySet
from .evidence import CONFIDENCE, Evidence

log = logging.getLogger(__name__)

DEFAULT_URLS = {
    "nominatim": "https://nominatim.openstreetmap.org",
    "photon": "https://photon.komoot.io",
    "pdok": "https://api.pdok.nl/bzk/locatieserver/search/v3_1",
}
#: Result types that are an area, not a place: the whole city must never become a point.
_AREA_TYPES = frozenset({"city", "town", "village", "municipality", "administrative", "county", "state",
                         "country", "region", "province", "district", "postcode", "gemeente", "woonplaats",
                         "provincie", "boundary"})


class PDOKLocatieserver(Geocoder):
    """geopy adapter for the PDOK Locatieserver ``free`` endpoint (Dutch government geocoder).

    ``Location.raw`` is the Solr document; it carries ``buurtcode``, ``wijkcode`` and
    ``gemeentecode`` of the address directly.
    """

    def __init__(self, *, domain: str, scheme: str = "https", path: str = "", user_agent: str | None = None,
                 timeout: float = DEFAULT_SENTINEL, municipality: str = "0935"):
        super().__init__(scheme=scheme, timeout=timeout, user_agent=user_agent)
        self.api = f"{scheme}://{domain}{path.rstrip('/')}/free"
        self.municipality = municipality

    def geocode(self, query: str, *, exactly_one: bool = True, timeout=DEFAULT_SENTINEL):
        params = {
            "q": query,
            "fq": f"gemeentecode:{self.municipality}",
            "fl": "id,type,weergavenaam,centroide_ll,buurtcode,buurtnaam,wijkcode,gemeentecode,postcode,huisnummer",
            "rows": 1 if exactly_one else 10,
        }
        url = f"{self.api}?{urlencode(params)}"
        return self._call_geocoder(url, partial(self._parse, exactly_one=exactly_one), timeout=timeout)

    @staticmethod
    def _parse(payload: dict, exactly_one: bool):
        docs = ((payload or {}).get("response") or {}).get("docs") or []
        out = []
        for doc in docs:
            point = str(doc.get("centroide_ll") or "")
            try:
                lon, lat = (float(v) for v in point[point.index("(") + 1: point.index(")")].split())
            except ValueError:
                continue
            out.append(Location(doc.get("weergavenaam") or "", (lat, lon), doc))
        if not out:
            return None
        return out[0] if exactly_one else out


def _split_url(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise GeoError(f"geocoder base_url {url!r} is not an http(s) URL")
    return parts.scheme, parts.netloc, parts.path.rstrip("/")


def _check_host(netloc: str, allow_private: bool) -> None:
    """Refuse a geocoder on a loopback/private address unless ``allow_private_network``."""
    host = urlsplit(f"//{netloc}").hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return  # unresolvable now: the request itself will fail and be logged
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if (ip.is_private or ip.is_loopback or ip.is_link_local) and not allow_private:
            raise GeoError(f"geocoder host {host} is a private address; set allow_private_network = true")


class OnlineGeocoder:
    """A rate-limited, cached, area-bounded online geocoder."""

    def __init__(self, settings: GeocoderSettings, engine: Engine | None = None, geocoder: Geocoder | None = None):
        self.settings = settings
        self.provider = settings.provider
        self.engine = engine
        self._memory: dict[str, GeocodeCacheRow] = {}
        self.requests = 0
        if engine is not None:
            ensure_geo_tables(engine)
        self.geocoder = geocoder or self._build()
        self._limited = RateLimiter(self._ask, min_delay_seconds=settings.min_delay_seconds,
                                    max_retries=settings.max_retries, error_wait_seconds=settings.min_delay_seconds,
                                    swallow_exceptions=False)

    def _build(self) -> Geocoder:
        s = self.settings
        scheme, netloc, path = _split_url(s.base_url or DEFAULT_URLS[s.provider])
        _check_host(netloc, s.allow_private_network)
        if s.provider == "nominatim":
            return Nominatim(domain=netloc + path, scheme=scheme, user_agent=s.user_agent, timeout=s.timeout)
        if s.provider == "photon":
            return Photon(domain=netloc + path, scheme=scheme, user_agent=s.user_agent, timeout=s.timeout)
        if s.provider == "pdok":
            return PDOKLocatieserver(domain=netloc, scheme=scheme, path=path, user_agent=s.user_agent, timeout=s.timeout)
        raise GeoError(f"unknown geocoder provider {s.provider!r}")

    def _ask(self, query: str):
        self.requests += 1
        min_lon, min_lat, max_lon, max_lat = self.settings.viewbox
        if self.provider == "nominatim":
            return self.geocoder.geocode(query, viewbox=[(min_lat, min_lon), (max_lat, max_lon)], bounded=True,
                                         country_codes="nl", addressdetails=True)
        if self.provider == "photon":
            return self.geocoder.geocode(query, bbox=[(min_lat, min_lon), (max_lat, max_lon)])
        return self.geocoder.geocode(query)

    # -- cache -----------------------------------------------------------------------------
    def _key(self, query: str) -> str:
        return f"{self.provider}|{fold(query)}"

    def _cached(self, key: str) -> GeocodeCacheRow | None:
        if self.engine is None:
            return self._memory.get(key)
        with Session(self.engine) as s:
            return s.get(GeocodeCacheRow, key)

    def _store(self, row: GeocodeCacheRow) -> None:
        if self.engine is None:
            self._memory[row.key] = row
            return
        with Session(self.engine) as s:
            s.merge(row)
            s.commit()

    # -- lookup ----------------------------------------------------------------------------
    @staticmethod
    def query_for(parts: AddressParts) -> str | None:
        """The question asked: "street number, postcode Maastricht"; None without street or PC6."""
        pc6 = parts.postcode if parts.postcode and len(parts.postcode) == 6 else None
        if not parts.street and not pc6:
            return None
        street = " ".join(p for p in (parts.street, parts.housenumber) if p)
        pc = f"{pc6[:4]} {pc6[4:]}" if pc6 else ""
        return ", ".join(p for p in (street, f"{pc} Maastricht".strip()) if p)

    def lookup(self, parts: AddressParts, boundaries: BoundarySet) -> Evidence | None:
        """Evidence from the cache or one (rate-limited) request; None when not asked or failed."""
        query = self.query_for(parts)
        if query is None:
            return None
        key = self._key(query)
        row = self._cached(key)
        note = "cached answer"
        if row is None:
            try:
                loc = self._limited(query)
            except GeopyError as exc:
                log.warning("geocoder %s failed for %r: %s", self.provider, query, exc)
                return None
            row = self._row(key, query, loc)
            self._store(row)
            note = "asked online"
        return self._evidence(row, boundaries, note)

    def _row(self, key: str, query: str, loc: Location | None) -> GeocodeCacheRow:
        row = GeocodeCacheRow(key=key, provider=self.provider, query=query, found=False, created_at=utcnow())
        if loc is None:
            return row
        raw = loc.raw if isinstance(loc.raw, dict) else {}
        kind = str(raw.get("type") or raw.get("addresstype") or (raw.get("properties") or {}).get("type") or "")
        if kind.lower() in _AREA_TYPES or str(raw.get("class") or "") == "boundary":
            row.display = f"{loc.address} (an area, not a place: ignored)"
            return row
        row.found, row.lat, row.lon, row.display = True, loc.latitude, loc.longitude, loc.address
        if self.provider == "pdok":
            row.buurt_code = raw.get("buurtcode")
            row.wijk_code = raw.get("wijkcode")
        return row

    def _evidence(self, row: GeocodeCacheRow, boundaries: BoundarySet, note: str) -> Evidence:
        method = f"online:{self.provider}"
        if not row.found or row.lat is None or row.lon is None:
            return Evidence(method, 0.0, None, row.query, note=f"{note}: not found")
        code = row.buurt_code if row.buurt_code in boundaries.index_of else None
        if code is None:
            idx = boundaries.locate(row.lon, row.lat)
            if idx < 0:
                return Evidence(method, 0.0, None, row.query, row.lat, row.lon,
                                f"{note}: result outside the municipality; ignored")
            code = boundaries.codes[idx]
        return Evidence(method, CONFIDENCE[method], code, f"{row.query} -> {row.display}", row.lat, row.lon, note)


def make_geocoder(settings: GeocoderSettings, engine: Engine | None = None) -> OnlineGeocoder:
    """The configured online geocoder (raises ``GeoError`` on a bad base URL)."""
    return OnlineGeocoder(settings, engine)
