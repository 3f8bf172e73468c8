"""``[serve]``: the read-only HTTP API and feeds (``tim serve``)."""

from __future__ import annotations

from pydantic import Field

from .base import ConfigModel


class ServeSettings(ConfigModel):
    """Settings of ``tim serve``."""

    host: str = "127.0.0.1"
    """Interface to listen on."""
    port: int = Field(default=8000, ge=1, le=65535)
    """Port to listen on."""
    cors_origins: list[str] = []
    """Origins (the buurt sites) allowed to read the API from a browser, e.g. ``https://wyck.thuisinmaastricht.nl``."""
    page_size: int = Field(default=100, ge=1, le=1000)
    """Items per page of ``/items`` (default) and of every ``/changes`` page (fixed)."""
    max_page_size: int = Field(default=1000, ge=1, le=10_000)
    """Largest ``limit`` a client may ask of ``/items`` and the feeds."""
    feed_size: int = Field(default=100, ge=1, le=10_000)
    """Entries in a feed (Atom, JSON Feed, GeoJSON, iCal) unless the client asks ``limit``."""
    base_url: str | None = None
    """Public base URL used in feed links (``https://api.thuisinmaastricht.nl``); from the request when unset."""
    title: str = "Thuis in Maastricht"
    """Title of the feeds and the map page."""
    licence_url: str | None = None
    """Licence URL stated in every ``/changes`` page (RPDE ``license``); omitted when unset."""
    cache_bytes: int = Field(default=64_000_000, ge=0)
    """Bytes of rendered responses kept in memory, keyed by their ETag (0 turns the cache off)."""
    workers: int = Field(default=1, ge=1, le=64)
    """uvicorn worker processes of ``tim serve``."""
