"""``[settings]``: the one HTTP policy every crawler uses (per-source overrides in ``[sources.http]``)."""

from __future__ import annotations

from pydantic import Field

from .base import ConfigModel


class HttpSettings(ConfigModel):
    """Politeness and safety limits of every fetch."""

    user_agent: str = "ThuisInMaastrichtBot/0.1 (+https://www.thuisinmaastricht.nl/over-tim)"
    """Identifying user agent, with a contact URL."""
    delay: float = 1.0
    """Minimum seconds between two requests to the same host."""
    timeout: float = 30.0
    """Overall deadline in seconds for one fetch (connect + all bytes)."""
    connect_timeout: float = 10.0
    """Seconds to wait for a connection."""
    max_bytes: int = 10_000_000
    """Cap on decoded response bytes; a larger response fails the fetch."""
    max_redirects: int = 5
    """Redirect hops followed at most."""
    retries: int = 2
    """Retries on 5xx / 429 / network errors, with exponential back-off."""
    backoff: float = 1.0
    """Base back-off in seconds between retries (doubles each try); Retry-After wins if longer."""
    max_retry_after: float = 120.0
    """A Retry-After longer than this fails the fetch instead of waiting."""
    obey_robots: bool = True
    """Obey robots.txt (Protego)."""
    max_concurrency: int = Field(default=8, ge=1)
    """Sources crawled at the same time by one ``tim crawl`` (and one scheduler cycle); requests
    to any one host still go one at a time, ``delay`` apart. Global only (not per source)."""
    processes: int = Field(default=1, ge=1)
    """Processes that share those ``max_concurrency`` crawls: with more than 1, ``tim crawl`` runs
    the sources in that many warm worker processes, each with its own geo data (and its own Scrapy
    service for ``html`` sources), so that parsing, normalising, locating and storing use more
    than one core. Set it to the number of cores for a long source list; 1
    (the default) keeps everything in one process. Global only."""


class HttpOverrides(ConfigModel):
    """Per-source overrides of ``[settings]``; unset keys inherit."""

    user_agent: str | None = None
    """Overrides ``settings.user_agent``."""
    delay: float | None = None
    """Overrides ``settings.delay``."""
    timeout: float | None = None
    """Overrides ``settings.timeout``."""
    connect_timeout: float | None = None
    """Overrides ``settings.connect_timeout``."""
    max_bytes: int | None = None
    """Overrides ``settings.max_bytes``."""
    max_redirects: int | None = None
    """Overrides ``settings.max_redirects``."""
    retries: int | None = None
    """Overrides ``settings.retries``."""
    backoff: float | None = None
    """Overrides ``settings.backoff``."""
    max_retry_after: float | None = None
    """Overrides ``settings.max_retry_after``."""
    obey_robots: bool | None = None
    """Overrides ``settings.obey_robots``."""

    def apply(self, base: HttpSettings) -> HttpSettings:
        """The effective settings for one source."""
        changes = {k: v for k, v in self.model_dump().items() if v is not None}
        return base.model_copy(update=changes)
