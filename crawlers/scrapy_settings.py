"""The one HTTP policy expressed as Scrapy settings, for each ``html`` job of the Scrapy service.

Same ``HttpSettings`` as ``crawlers.http``: user agent, robots.txt (Protego), one request at a
time per host with a fixed (not randomised) delay, a whole-download timeout, a size cap that
Scrapy also applies after decompression, retries on 5xx/429 with back-off and Retry-After
(``crawlers.scrapy_middlewares``), a redirect cap, and the SSRF guard as the first downloader
middleware.

They are one job's own: the service process (``crawlers.scrapy_runner``) builds one ``Crawler`` per
job from them, so two jobs running at once keep their own timeouts, delays and allowances.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import default_settings

from tim.config import HttpSettings

RETRY_CODES = [429] + list(range(500, 600))
#: Requests one job's downloader holds at once (one per host, a few hosts: robots.txt, redirects).
CONCURRENT_REQUESTS = 4
#: A fixed delay: never less than configured (the setting's name changed in Scrapy 2.14).
_NO_JITTER = ({"DOWNLOAD_DELAY_JITTER": 0} if hasattr(default_settings, "DOWNLOAD_DELAY_JITTER")
              else {"RANDOMIZE_DOWNLOAD_DELAY": False})


def scrapy_settings(s: HttpSettings, headers: dict[str, str],
                    allowance: list[tuple[str, int]]) -> dict[str, Any]:
    """Scrapy settings for one source run under the policy ``s``."""
    mw = "tim.crawlers.scrapy_middlewares"
    return {
        "USER_AGENT": s.user_agent,
        "ROBOTSTXT_OBEY": s.obey_robots,
        "ROBOTSTXT_PARSER": "scrapy.robotstxt.ProtegoRobotParser",
        "DOWNLOAD_DELAY": s.delay,
        **_NO_JITTER,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "CONCURRENT_REQUESTS": CONCURRENT_REQUESTS,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_TIMEOUT": s.timeout,
        "DOWNLOAD_MAXSIZE": s.max_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": s.retries,
        "RETRY_HTTP_CODES": RETRY_CODES,
        "REDIRECT_MAX_TIMES": s.max_redirects,
        "DEFAULT_REQUEST_HEADERS": {
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "nl,en;q=0.5", **headers,
        },
        "DOWNLOADER_MIDDLEWARES": {
            f"{mw}.SsrfGuardMiddleware": 50,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            f"{mw}.PoliteRobotsTxtMiddleware": 100,
            f"{mw}.PoliteRetryMiddleware": 550,
            f"{mw}.SharedPacingMiddleware": 990,
        },
        "EXTENSIONS": {f"{mw}.PaceFromEnd": 0},
        "TIM_PRIVATE_ALLOWANCE": [list(p) for p in allowance],
        "TIM_BACKOFF": s.backoff,
        "TIM_MAX_RETRY_AFTER": s.max_retry_after,
        # breadth-first, so listing order is kept and max_items takes the first items
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "COOKIES_ENABLED": False,
        # Scrapy's check for a generator callback that returns a value re-reads and re-parses the
        # callback's source for every response (its cache is keyed on the bound method, a new
        # object each time): a quarter of the service's CPU. tests/crawlers/test_html.py makes
        # the same check once, on the spider's code.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "LOGSTATS_INTERVAL": 0,
    }
