"""``[geocoder]``: the optional online fallback geocoder (off by default)."""

from __future__ import annotations

from typing import Literal

from .base import ConfigModel


class GeocoderSettings(ConfigModel):
    """Online fallback after the offline gazetteer chain; ``provider = "none"`` keeps it off."""

    provider: Literal["none", "nominatim", "photon", "pdok"] = "none"
    """Which online geocoder to ask when the offline chain finds nothing."""
    base_url: str | None = None
    """Base URL of the geocoder (a self-hosted instance works); provider default when unset."""
    user_agent: str = "ThuisInMaastrichtBot/0.1 (+https://www.thuisinmaastricht.nl/over-tim)"
    """Identifying user agent sent to the geocoder."""
    min_delay_seconds: float = 1.0
    """Minimum seconds between two requests (geopy RateLimiter)."""
    timeout: float = 10.0
    """Seconds per request."""
    allow_private_network: bool = False
    """Allow a base URL on 127.0.0.1 or a private range (a self-hosted or test instance)."""
