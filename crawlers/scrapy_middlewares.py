"""Downloader middlewares that put the one HTTP policy into Scrapy.

``SsrfGuardMiddleware`` refuses requests (robots.txt and redirects included, since both pass
through the middleware chain) whose host resolves to a forbidden address, before any connection.
``PaceFromEnd`` (an extension) makes Scrapy's per-host delay count from the end of the previous
response, as ``crawlers.pacing`` does, instead of from its start.
``PoliteRobotsTxtMiddleware`` reads robots.txt answers as ``crawlers.robots`` does (RFC 9309):
a 4xx means everything is allowed, a 5xx means nothing is.
``PoliteRetryMiddleware`` is Scrapy's retry middleware plus exponential back-off and
``Retry-After``: it pauses the host's download slot, so no request reaches that host earlier.
``SharedPacingMiddleware`` takes each request's turn from ``crawlers.pacing`` (the lock file of
its host in the run directory the parent process shares), so the Scrapy service process, its
concurrent jobs and the parent's other crawls keep one delay per host; Retry-After pauses are
written there too.

Every middleware reads its settings from its own crawler: in the service process each job is a
crawler of its own, so allowances, delays and back-off stay per job.
"""

from __future__ import annotations

import logging
from time import monotonic
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.response import response_status_message

from .guard import AddressRefused, resolve_checked
from .http import parse_retry_after
from .pacing import PACER

log = logging.getLogger(__name__)


class BlockedRequest(IgnoreRequest):
    """Raised by :class:`SsrfGuardMiddleware` for a URL the SSRF guard refuses."""


class SsrfGuardMiddleware:
    """The SSRF guard of ``crawlers.guard`` as the first downloader middleware."""

    def __init__(self, allowance: frozenset[tuple[str, int]]):
        self.allowance = allowance

    @classmethod
    def from_crawler(cls, crawler):
        pairs = crawler.settings.getlist("TIM_PRIVATE_ALLOWANCE")
        return cls(frozenset((str(a), int(p)) for a, p in pairs))

    def process_request(self, request, spider=None):
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BlockedRequest(f"{request.url}: only http(s) URLs are fetched")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            resolve_checked(parts.hostname, port, self.allowance)
        except AddressRefused as exc:
            raise BlockedRequest(f"{request.url}: {exc}") from exc
        except OSError:
            return  # let the download fail with Scrapy's own DNS error
        return


class PaceFromEnd:
    """On ``response_downloaded`` (sent before the slot takes its next request) restart the
    slot's delay clock, so the next request to the host waits ``delay`` after this one ended."""

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def downloaded(self, response, request, spider=None):
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(request.meta.get(downloader.DOWNLOAD_SLOT, ""))
        if slot is not None:
            slot.lastseen = max(slot.lastseen, monotonic())


class PoliteRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309's reading of error statuses."""

    DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"

    def _parse_robots(self, response, *args, **kwargs):
        if response.status >= 500:
            response = response.replace(body=self.DISALLOW_ALL)
        elif response.status >= 400:
            response = response.replace(body=b"")
        return super()._parse_robots(response, *args, **kwargs)


class PoliteRetryMiddleware(RetryMiddleware):
    """Retries on 5xx/429/network errors with back-off; honours ``Retry-After``."""

    @classmethod
    def from_crawler(cls, crawler):
        mw = super().from_crawler(crawler)
        mw.backoff = crawler.settings.getfloat("TIM_BACKOFF", 1.0)
        mw.max_retry_after = crawler.settings.getfloat("TIM_MAX_RETRY_AFTER", 120.0)
        return mw

    def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        header = response.headers.get("Retry-After")
        retry_after = parse_retry_after(header.decode("latin-1")) if header else None
        if retry_after is not None and retry_after > self.max_retry_after:
            log.warning("Retry-After %.0fs exceeds max_retry_after for %s", retry_after, request.url)
            return response
        new = self._retry(request, response_status_message(response.status))
        if new is None:
            return response
        self._pause(request, retry_after)
        return new

    def process_exception(self, request, exception, spider=None):
        new = super().process_exception(request, exception)
        if isinstance(new, type(request)):
            self._pause(request, None)
        return new

    def _pause(self, request, retry_after: float | None) -> None:
        """Hold the host's download slot for the back-off (or Retry-After, if longer)."""
        tries = request.meta.get("retry_times", 0)
        wait = max(self.backoff * (2 ** tries), retry_after or 0.0)
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.lastseen = max(slot.lastseen, monotonic() + wait - slot.download_delay())
        PACER.pause(urlsplit(request.url).hostname or "", wait)


class SharedPacingMiddleware:
    """Holds the host's turn in ``crawlers.pacing`` from just before the download until its
    response (or failure) comes back. The wait for the turn runs in a thread, so the reactor
    keeps serving other hosts (and, in the Scrapy service process, other jobs) meanwhile.

    A crawl's requests to one host take their turns in the order they reach this middleware
    (the scheduler's order: breadth-first, so ``max_items`` keeps a listing's first items): each
    waits in the reactor (a ``DeferredLock``, first come first served) until the one before it
    has its turn, and only then waits for its own in a thread. Threads racing for the host's
    lock would take turns in any order, and in a long-lived process, whose pool threads are
    already started, they do. A request stopped while it waits gives back the turn its thread
    still gets, so a turn is never held by nobody."""

    META = "tim_pacing_host"

    def __init__(self, delay: float):
        self.delay = delay
        self._order: dict[str, object] = {}
        """Per host, the DeferredLock that keeps this crawl's requests in order."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getfloat("DOWNLOAD_DELAY", 0.0))

    async def process_request(self, request, spider=None):
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import defer

        host = urlsplit(request.url).hostname or ""
        order = self._order.get(host)
        if order is None:
            order = self._order[host] = defer.DeferredLock()
        await maybe_deferred_to_future(order.acquire())
        try:
            await maybe_deferred_to_future(self._turn(host))
        finally:
            order.release()  # the next request to the host may wait for its turn now
        request.meta[self.META] = host
        return None

    def _turn(self, host: str):
        """A Deferred that fires when this process has the host's turn. If it was cancelled
        first, the turn is released as soon as the thread has it."""
        from twisted.internet import defer, threads
        from twisted.python.failure import Failure

        waiter = defer.Deferred()

        def got(result):
            if not waiter.called:
                if isinstance(result, Failure):
                    waiter.errback(result)
                else:
                    waiter.callback(result)
            elif not isinstance(result, Failure):
                PACER.release(host)

        threads.deferToThread(PACER.acquire, host, self.delay).addBoth(got)
        return waiter

    def _release(self, request) -> None:
        host = request.meta.pop(self.META, None)
        if host is not None:
            PACER.release(host)

    def process_response(self, request, response, spider=None):
        self._release(request)
        return response

    def process_exception(self, request, exception, spider=None):
        self._release(request)
        return None
