"""``[dedup]``: named thresholds of cross-source de-duplication."""

from __future__ import annotations

from .base import ConfigModel


class DedupSettings(ConfigModel):
    """Thresholds for matching the same initiative across sources."""

    title_threshold: float = 85.0
    """Minimum rapidfuzz title similarity (0-100) for two items to be one."""
    max_distance_m: float = 250.0
    """Two items that both have a point further apart than this are never one."""
