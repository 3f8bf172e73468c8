"""``[geocoder]``: the place -> buurt chain's settings and the optional online fallback (off by default)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import ConfigModel


class GeocoderSettings(ConfigModel):
    """Online fallback after the offline gazetteer chain; ``provider = "none"`` keeps it off."""

    provider: Literal["none", "nominatim", "photon", "pdok"] = "none"
    """Which online geocoder to ask when the offline chain finds nothing."""
    base_url: str | None = None
    """Base URL of the geocoder (a self-hosted instance works); provider default when unset:
    nominatim https://nominatim.openstreetmap.org, photon https://photon.komoot.io,
    pdok https://api.pdok.nl/bzk/locatieserver/search/v3_1."""
    user_agent: str = "ThuisInMaastrichtBot/0.1 (+https://www.thuisinmaastricht.nl/over-tim)"
    """Identifying user agent sent to the geocoder."""
    min_delay_seconds: float = Field(default=1.0, ge=0.0)
    """Minimum seconds between two requests (geopy RateLimiter)."""
    timeout: float = Field(default=10.0, gt=0.0)
    """Seconds per request."""
    allow_private_network: bool = False
    """Allow a base URL on 127.0.0.1 or a private range (a self-hosted or test instance)."""
    max_retries: int = Field(default=1, ge=0)
    """Retries of a failed request (geopy RateLimiter ``max_retries``)."""
    viewbox: tuple[float, float, float, float] = (5.60, 50.79, 5.78, 50.91)
    """Search box ``(min_lon, min_lat, max_lon, max_lat)`` sent to the geocoder (Maastricht)."""
    border_tolerance_m: float = Field(default=250.0, ge=0.0)
    """A known Maastricht point this close outside the generalised buurt polygons gets the nearest
    buurt (marked, lower confidence); further out it is outside the municipality."""
