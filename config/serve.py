"""``[serve]``: the read-only HTTP API and feeds."""

from __future__ import annotations

from .base import ConfigModel


class ServeSettings(ConfigModel):
    """Settings of ``tim serve``."""

    host: str = "127.0.0.1"
    """Interface to listen on."""
    port: int = 8000
    """Port to listen on."""
    cors_origins: list[str] = []
    """Origins (the buurt sites) allowed to read the API from a browser."""
    page_size: int = 100
    """Items per page of ``/items`` and ``/changes``."""
    base_url: str | None = None
    """Public base URL used in feed links; derived from the request when unset."""
