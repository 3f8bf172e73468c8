"""robots.txt for ``crawlers.http``: fetched once per origin per client, parsed by Protego.

Following RFC 9309: a 4xx robots.txt means everything is allowed; a 5xx or an unreachable one
means nothing is (``BlockedError`` when asked), so an outage never turns into a free-for-all.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from protego import Protego

from tim.errors import BlockedError, FetchError

if TYPE_CHECKING:
    from .http import HttpClient

log = logging.getLogger(__name__)

#: RFC 9309 asks crawlers to parse at least 500 KiB; we parse no more than that.
MAX_ROBOTS_BYTES = 512 * 1024
#: A Crawl-delay above this is capped (a typo must not stall a run for hours).
MAX_CRAWL_DELAY = 60.0

_ALLOW_ALL = Protego.parse("")


class RobotsCache:
    """robots.txt rules per origin, for one HTTP client."""

    def __init__(self, http: HttpClient):
        self.http = http
        self._rules: dict[str, Protego | None] = {}

    @staticmethod
    def origin(url: str) -> str:
        p = urlsplit(url)
        return f"{p.scheme}://{p.netloc}"

    def rules(self, url: str) -> Protego | None:
        """The parsed rules of ``url``'s origin; None means "disallow all" (unreachable/5xx)."""
        origin = self.origin(url)
        if origin not in self._rules:
            self._rules[origin] = self._load(origin)
        return self._rules[origin]

    def _load(self, origin: str) -> Protego | None:
        robots_url = origin + "/robots.txt"
        http = self.http
        try:
            resp = http._with_retries("GET", robots_url, None, {}, robots=False)
        except BlockedError:
            raise
        except FetchError as exc:
            log.warning("robots.txt unreachable source=%s url=%s: %s", http.source.id, robots_url, exc)
            return None
        if 400 <= resp.status < 500:
            return _ALLOW_ALL
        if not 200 <= resp.status < 300:
            return None
        text = resp.content[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        return Protego.parse(text)

    def allowed(self, url: str) -> bool:
        rules = self.rules(url)
        if rules is None:
            raise BlockedError(self.http.source.id, url, "robots.txt is unreachable (5xx or network "
                               "error), so nothing is fetched from this site (RFC 9309)")
        return rules.can_fetch(url, self.http.settings.user_agent)

    def crawl_delay(self, url: str) -> float:
        rules = self._rules.get(self.origin(url))
        if rules is None:
            return 0.0
        delay = rules.crawl_delay(self.http.settings.user_agent)
        return min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0
