"""The one polite HTTP policy every crawler fetches through (Scrapy gets the same settings via
``crawlers.scrapy_settings``).

``HttpClient.fetch`` applies, in order: the SSRF guard (every resolved address, before any
connection, and again at connect time), robots.txt (Protego, cached per origin), per-host pacing
(process-wide, see ``crawlers.pacing``), an overall deadline per request (a watchdog closes a
dripping connection), a cap on *decoded* bytes (``crawlers.decode``), manual redirects with a hop
cap that strip credentials when leaving the origin, retries with exponential back-off on
5xx/429/network errors honouring ``Retry-After``, and conditional GET with validators.

Every failure is an ``errors.FetchError`` (or ``BlockedError``) naming the source and the URL.
"""

from __future__ import annotations

import hashlib
import heapq
import json as jsonlib
import logging
import os
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol, Self
from urllib.parse import urljoin, urlsplit

import httpx

from tim.config import HttpSettings, Source
from tim.errors import BlockedError, FetchError, SourceError
from tim.records import Validators

from .decode import ACCEPT_ENCODING, UnsupportedEncoding, decoded
from .guard import AddressRefused, Allowance, GuardedBackend, allowance, resolve_checked
from .pacing import PACER
from .robots import RobotsCache

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CREDENTIAL_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
DRAIN_BYTES = 64 * 1024
"""Largest unwanted body (a redirect's or an error page) read to keep its connection alive."""


class ValidatorStore(Protocol):
    """Where validators live between runs (the pipeline gives a database-backed one)."""

    def get(self, url: str) -> Validators | None: ...

    def put(self, url: str, validators: Validators) -> None: ...

    def known(self) -> dict[str, Validators]:
        """Every stored URL of the source (for a crawl done in another process)."""
        ...


class MemoryValidatorStore:
    """A dict-backed :class:`ValidatorStore` (tests, dry runs)."""

    def __init__(self) -> None:
        self.data: dict[str, Validators] = {}

    def get(self, url: str) -> Validators | None:
        return self.data.get(url)

    def put(self, url: str, validators: Validators) -> None:
        self.data[url] = validators

    def known(self) -> dict[str, Validators]:
        return dict(self.data)


@dataclass
class FetchResponse:
    """A fetched response: final ``url`` after redirects, decoded ``content``.

    ``not_modified`` is True when a conditional fetch got 304 or a body identical to the last one;
    ``content`` is then empty, so nothing gets parsed.
    """

    url: str
    status: int
    headers: httpx.Headers
    content: bytes = b""
    not_modified: bool = False
    body_hash: str | None = None
    meta: dict[str, Any] | None = None
    """On ``not_modified``: what the crawler noted of the unchanged body (:meth:`HttpClient.note`)."""

    @property
    def encoding(self) -> str | None:
        return httpx.Response(200, headers=self.headers).charset_encoding

    @property
    def text(self) -> str:
        """The body as text: declared charset, else UTF-8; undecodable bytes replaced."""
        enc = self.encoding or "utf-8"
        try:
            return self.content.decode(enc, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return jsonlib.loads(self.content)


class _Retry(Exception):
    """Internal: a retryable failure (5xx, 429, network error), with the server's Retry-After."""

    def __init__(self, message: str, retry_after: float | None = None, status: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def same_origin(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.hostname, pa.port) == (pb.scheme, pb.hostname, pb.port)


class _Deadlines:
    """One thread for the deadlines of every request of the process: a heap of (deadline, dog);
    at a dog's deadline it shuts the dog's socket down. A thread per request (``threading.Timer``)
    cost ~0.7 ms a request, as much as a whole fetch from a near host."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, _Watchdog]] = []
        self._cv = threading.Condition()
        self._n = 0
        self._thread: threading.Thread | None = None

    def add(self, dog: _Watchdog) -> None:
        with self._cv:
            self._n += 1
            heapq.heappush(self._heap, (dog.deadline, self._n, dog))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="tim-deadlines", daemon=True)
                self._thread.start()
            self._cv.notify()

    def _run(self) -> None:
        with self._cv:
            while True:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cv.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._cv.wait(wait)
                    continue
                _d, _n, dog = heapq.heappop(self._heap)
                dog.fire()


_DEADLINES = _Deadlines()


@dataclass
class _Watchdog:
    """Shuts a response's socket down at the deadline, so a read blocked on a dripping server
    returns at once instead of after one more per-read timeout."""

    deadline: float
    fired: bool = False
    done: bool = False
    _sock: socket.socket | None = field(default=None, repr=False)

    def arm(self, response: httpx.Response) -> None:
        stream = response.extensions.get("network_stream")
        self._sock = stream.get_extra_info("socket") if stream is not None else None
        if self._sock is not None:
            _DEADLINES.add(self)

    def fire(self) -> None:
        """Called by the deadline thread, under its lock."""
        if self.done or self._sock is None:
            return
        self.fired = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def disarm(self) -> None:
        with _DEADLINES._cv:  # never shut down a socket that went back to the pool
            self.done = True


_SSL_CONTEXT = None
_SSL_LOCK = threading.Lock()


def ssl_context():
    """One verifying SSL context for the process: loading the CA bundle costs ~30 ms, too much to
    pay again for every source run (a context is safe to share between clients and threads)."""
    global _SSL_CONTEXT
    with _SSL_LOCK:
        if _SSL_CONTEXT is None:
            _SSL_CONTEXT = httpx.create_ssl_context()
        return _SSL_CONTEXT


class _CookiesWhenSet(httpx.Cookies):
    """httpx hands every response to urllib's cookie jar, building a urllib request and response
    for it (about a tenth of a 304's cost here); only a response that sets a cookie needs that."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


class HttpClient:
    """The HTTP client of one source run; see the module docstring for the policy."""

    def __init__(self, settings: HttpSettings, source: Source,
                 validators: ValidatorStore | None = None):
        self.settings = source.http.apply(settings or HttpSettings())
        self.source = source
        self.validators = validators
        self.pending: dict[str, Validators] = {}
        self._requested: dict[str, str] = {}  # final URL (after redirects) -> requested URL
        self.requests = 0
        self.fetch_seconds = 0.0
        """Time spent in requests (waiting for the host's turn excluded)."""
        self.wait_seconds = 0.0
        """Time spent waiting for the host's turn (politeness delay, Retry-After pauses)."""
        transport = httpx.HTTPTransport(retries=0, verify=ssl_context())
        transport._pool._network_backend = GuardedBackend(self.private_allowance)
        self._client = httpx.Client(transport=transport, follow_redirects=False, trust_env=False)
        self._client._cookies = _CookiesWhenSet()  # the setter would copy it into a plain httpx.Cookies
        self.robots = RobotsCache(self)
        self._allowance: Allowance | None = None

    # -- public -----------------------------------------------------------------------------
    def fetch(self, url: str, *, method: str = "GET", json: Any = None,
              headers: dict[str, str] | None = None, conditional: bool = False,
              salt: str | None = None, notes: bool = False) -> FetchResponse:
        """Fetch ``url`` under the policy; raise ``FetchError``/``BlockedError`` on failure.

        With ``conditional=True`` the stored validators are sent and the response says
        ``not_modified`` on 304 or an unchanged body; new validators wait in ``pending`` until
        :meth:`commit_validators`. With a ``salt`` (e.g. today's date for a calendar whose
        expansion window moves daily) only a body identical *under the same salt* counts as
        unchanged, and no ETag/Last-Modified is sent, since a 304 cannot tell the salt. With
        ``notes=True`` the caller walks on what it noted of the body (:meth:`note`): a URL
        without notes is read in full, as if never fetched.
        """
        body = jsonlib.dumps(json).encode() if json is not None else None
        hdrs = self.source_headers()
        if body is not None:
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        old = self.validators.get(url) if (conditional and self.validators) else None
        if notes and old is not None and old.meta is None:
            old = None
        if old and salt is None:
            if old.etag:
                hdrs["If-None-Match"] = old.etag
            if old.last_modified:
                hdrs["If-Modified-Since"] = old.last_modified
        resp = self._with_retries(method, url, body, hdrs)
        if resp.status == 304 and conditional:
            resp.not_modified = True
            resp.meta = old.meta if old else None
            return resp
        if not 200 <= resp.status < 300:
            raise FetchError(self.source.id, resp.url, f"HTTP {resp.status}", status=resp.status)
        prefix = salt.encode() + b"\0" if salt is not None else b""
        resp.body_hash = hashlib.sha256(prefix + resp.content).hexdigest()
        if conditional:
            if old and old.body_hash == resp.body_hash:
                resp.not_modified = True
                resp.content = b""
                resp.meta = old.meta
            self.pending[url] = Validators(resp.headers.get("etag"), resp.headers.get("last-modified"),
                                           resp.body_hash, old.meta if resp.not_modified and old else None)
            self._requested[resp.url] = url
        return resp

    def keep(self, url: str, final_url: str, validators: Validators) -> None:
        """Validators of ``url`` (answered from ``final_url``) fetched by someone else for this
        run (the Scrapy service), committed with the run's own."""
        self.pending[url] = validators
        self._requested[final_url] = url

    def note_failure(self, url: str) -> None:
        """Count a record of ``url`` (requested or final URL) that failed: when the body comes back
        unchanged, the crawl that replays it says so and is not complete."""
        url = self._requested.get(url, url)
        v = self.pending.get(url)
        if v is not None:
            self.note(url, {"failed": int((v.meta or {}).get("failed", 0)) + 1})

    def note(self, url: str, meta: dict[str, Any]) -> None:
        """Add ``meta`` to the notes kept with the validators of ``url`` (fetched conditionally in
        this run): what to walk on when its body comes back unchanged, unread
        (``FetchResponse.meta``)."""
        url = self._requested.get(url, url)
        v = self.pending.get(url)
        if v is not None:
            self.pending[url] = Validators(v.etag, v.last_modified, v.body_hash, {**(v.meta or {}), **meta})

    def kept(self, url: str) -> Validators | None:
        """The stored validators (and notes) of ``url`` from the last stored run, if any."""
        return self.validators.get(url) if self.validators is not None else None

    def renote(self, url: str, meta: dict[str, Any]) -> None:
        """Like :meth:`note`, for a URL that came back unchanged (304): its stored validators are
        kept again with ``meta`` added."""
        url = self._requested.get(url, url)
        if url not in self.pending and (v := self.kept(url)) is not None:
            self.pending[url] = v
        self.note(url, meta)

    def commit_validators(self) -> None:
        """Store the validators of this run's conditional fetches. Call after the run's records
        were stored, so a failed run is fetched in full next time."""
        if self.validators is not None:
            for url, validators in self.pending.items():
                self.validators.put(url, validators)
        self.pending.clear()

    def private_allowance(self) -> Allowance:
        """Where private addresses are fine: the source's own origins, if it allows them."""
        if self._allowance is None:
            self._allowance = (allowance([self.source.url, self.source.sitemap])
                               if self.source.allow_private_network else frozenset())
        return self._allowance

    def source_headers(self) -> dict[str, str]:
        """The source's configured headers, ``"env:NAME"`` values read from the environment now.

        A missing variable is a ``SourceError`` naming the source, the header and the variable
        (never the value of anything)."""
        out: dict[str, str] = {}
        for name, value in self.source.headers.items():
            if value.startswith("env:"):
                var = value[4:].strip()
                if var not in os.environ:
                    raise SourceError(self.source.id, f"header {name!r} needs environment variable "
                                                      f"{var!r}, which is not set")
                value = os.environ[var]
            out[name] = value
        return out

    def secret_header_names(self) -> set[str]:
        return {k.lower() for k, v in self.source.headers.items() if v.startswith("env:")}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- retries ----------------------------------------------------------------------------
    def _with_retries(self, method: str, url: str, body: bytes | None,
                      headers: dict[str, str], robots: bool = True) -> FetchResponse:
        s = self.settings
        for attempt in range(s.retries + 1):
            try:
                return self._follow(method, url, body, headers, robots)
            except _Retry as exc:
                wait = s.backoff * (2 ** attempt)
                if exc.retry_after is not None:
                    if exc.retry_after > s.max_retry_after:
                        raise FetchError(self.source.id, url, f"{exc}; Retry-After "
                                         f"{exc.retry_after:.0f}s exceeds max_retry_after",
                                         status=exc.status) from exc
                    wait = max(wait, exc.retry_after)
                if attempt == s.retries:
                    raise FetchError(self.source.id, url, f"{exc} (after {attempt + 1} attempts)",
                                     status=exc.status) from exc
                log.warning("retry source=%s url=%s reason=%s wait=%.2fs attempt=%d",
                            self.source.id, url, exc, wait, attempt + 1)
                PACER.pause(urlsplit(url).hostname or "", wait)
        raise AssertionError("unreachable")

    # -- redirects, guard, robots -----------------------------------------------------------
    def _follow(self, method: str, url: str, body: bytes | None,
                headers: dict[str, str], robots: bool = True) -> FetchResponse:
        start_url, hdrs = url, dict(headers)
        secrets = self.secret_header_names() | CREDENTIAL_HEADERS
        for _hop in range(self.settings.max_redirects + 1):
            self.check_url(url)
            if robots and self.settings.obey_robots and not self.robots.allowed(url):
                raise BlockedError(self.source.id, url, "disallowed by robots.txt")
            resp, location = self._request(method, url, body, hdrs)
            if location is None:
                return resp
            nxt = urljoin(url, location)
            if not same_origin(start_url, nxt):
                hdrs = {k: v for k, v in hdrs.items() if k.lower() not in secrets}
            if resp.status == 303 or (resp.status in (301, 302) and method == "POST"):
                method, body = "GET", None
                hdrs.pop("Content-Type", None)
            url = nxt
        raise FetchError(self.source.id, start_url,
                         f"too many redirects (more than {self.settings.max_redirects})")

    def check_url(self, url: str) -> None:
        """Refuse non-http(s) URLs and hosts resolving to forbidden addresses (``BlockedError``)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BlockedError(self.source.id, url, "only http(s) URLs are fetched")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            resolve_checked(parts.hostname, port, self.private_allowance())
        except AddressRefused as exc:
            raise BlockedError(self.source.id, url, str(exc)) from exc
        except OSError as exc:
            raise FetchError(self.source.id, url, str(exc)) from exc

    # -- one request ------------------------------------------------------------------------
    def _request(self, method: str, url: str, body: bytes | None,
                 headers: dict[str, str]) -> tuple[FetchResponse, str | None]:
        """One request under the host's turn and the deadline; returns the response and the
        redirect Location (None when not a redirect). Raises ``_Retry`` for 5xx/429/network."""
        s = self.settings
        hdrs = {"User-Agent": s.user_agent, "Accept-Encoding": ACCEPT_ENCODING, **headers}
        host = urlsplit(url).hostname or ""
        delay = max(s.delay, self.robots.crawl_delay(url)) if s.obey_robots else s.delay
        asked = time.monotonic()
        with PACER.turn(host, delay):
            self.requests += 1
            t0 = time.monotonic()
            self.wait_seconds += t0 - asked
            deadline = t0 + s.timeout
            dog = _Watchdog(deadline)
            timeout = httpx.Timeout(s.timeout, connect=min(s.connect_timeout, s.timeout))
            try:
                with self._client.stream(method, url, content=body, headers=hdrs,
                                         timeout=timeout) as r:
                    dog.arm(r)
                    return self._handle(r, url, dog)
            except AddressRefused as exc:
                raise BlockedError(self.source.id, url, str(exc)) from exc
            except httpx.TransportError as exc:
                if dog.fired or time.monotonic() >= deadline:
                    raise FetchError(self.source.id, url,
                                     f"deadline of {s.timeout:g}s exceeded") from exc
                raise _Retry(f"network error: {type(exc).__name__}: {exc}") from exc
            finally:
                dog.disarm()
                self.fetch_seconds += time.monotonic() - t0

    def _handle(self, r: httpx.Response, url: str,
                dog: _Watchdog) -> tuple[FetchResponse, str | None]:
        resp = FetchResponse(url=url, status=r.status_code, headers=r.headers)
        if 200 <= r.status_code < 300:
            resp.content = self._read_capped(r, url, dog)
            return resp, None
        self._drain(r, dog)
        if r.status_code in REDIRECT_STATUSES and r.headers.get("location"):
            return resp, r.headers["location"]
        if r.status_code == 429 or r.status_code >= 500:
            raise _Retry(f"HTTP {r.status_code}", parse_retry_after(r.headers.get("retry-after")),
                         status=r.status_code)
        return resp, None

    @staticmethod
    def _drain(r: httpx.Response, dog: _Watchdog) -> None:
        """Read the small body of a response we do not keep (304, redirect, 4xx/5xx), so that its
        connection goes back to the pool: a response closed unread closes its connection, and
        an unchanged run (every answer a 304) would open one connection per request. Only a
        body of known length up to ``DRAIN_BYTES`` is read (a 304 has none); any other, or one
        still coming at the deadline, is dropped with its connection instead."""
        length = r.headers.get("content-length")
        if r.status_code != 304 and not (length and length.isdigit() and int(length) <= DRAIN_BYTES):
            return
        read = 0
        try:
            for chunk in r.iter_raw():
                read += len(chunk)
                if read > DRAIN_BYTES or time.monotonic() >= dog.deadline:
                    return
        except httpx.HTTPError:
            return

    def _read_capped(self, r: httpx.Response, url: str, dog: _Watchdog) -> bytes:
        cap = self.settings.max_bytes
        try:
            chunks = decoded(r.iter_raw(), r.headers.get("content-encoding"))
        except UnsupportedEncoding as exc:
            raise FetchError(self.source.id, url, f"unsupported Content-Encoding {exc}") from exc
        parts, total = [], 0
        try:
            for chunk in chunks:
                total += len(chunk)
                if total > cap:
                    raise FetchError(self.source.id, url,
                                     f"response larger than max_bytes={cap} (decoded)")
                if time.monotonic() >= dog.deadline:
                    raise FetchError(self.source.id, url,
                                     f"deadline of {self.settings.timeout:g}s exceeded")
                parts.append(chunk)
        except zlib.error as exc:
            raise FetchError(self.source.id, url, f"corrupt compressed body: {exc}") from exc
        if dog.fired:  # a close-delimited body cut by the watchdog looks complete; it is not
            raise FetchError(self.source.id, url, f"deadline of {self.settings.timeout:g}s exceeded")
        return b"".join(parts)
