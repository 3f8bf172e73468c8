"""``[scheduler]``: how ``tim run`` schedules sources."""

from __future__ import annotations

from .base import ConfigModel


class SchedulerSettings(ConfigModel):
    """Settings of the long-running scheduler."""

    max_concurrent_runs: int = 2
    """Global cap on source runs at the same time."""
    jitter_seconds: int = 300
    """Random delay added to each trigger so sources do not fire together."""
    run_deadline_seconds: int = 1800
    """Hard deadline of one source run; a run over it is killed and recorded as failed."""
    misfire_grace_seconds: int = 3600
    """A run late by less than this still runs (late runs are coalesced into one)."""
    expire_after_missing_runs: int = 2
    """An item missing from this many consecutive complete runs of its source is expired."""
