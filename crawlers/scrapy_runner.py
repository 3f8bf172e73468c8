"""``python -m tim.crawlers.scrapy_runner``: the Scrapy service process, many ``html`` runs in one.

Started by ``crawlers.scrapy_service`` and kept for the life of its parent. One Twisted reactor
(Scrapy's asyncio reactor, installed once) runs every job under one ``CrawlerProcess`` started with
``stop_after_crawl=False``, concurrently: each job is its own ``Crawler`` with its own ``Settings``
(``crawlers.scrapy_settings`` from the job's ``HttpSettings``, headers and SSRF allowance), so
timeouts, robots, retries, size caps, delays and the guard's allowance apply per job.

Protocol, one JSON object a line. On stdin: ``{"job": id, "spec": {...}}`` starts a job (the spec
is ``source``, effective ``settings``, resolved ``headers``, the SSRF ``allowance`` — secrets come
this way, never on argv), ``{"cancel": id}`` stops one. On the original stdout, every event carries
its ``job``: ``record``, ``error`` (scoped ``source``/``listing``/``record``/``skip``), then exactly
one of ``done`` (``complete``, ``reason``, the service's ``pid``) or ``fail`` (the crawl itself
raised). Anything else the process prints goes to stderr.

The process ends on stdin EOF (its parent closed it, or died) and also when it finds itself
re-parented (``os.getppid()`` changed), so it never outlives the parent that started it: two
plain threads watch for these and end the process within ``EXIT_GRACE_SECONDS`` even if the
reactor is stuck, and whatever stops the reactor ends the process at once. It
ignores SIGINT (a terminal's Ctrl-C reaches the parent too, which decides); SIGTERM ends it.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
import traceback
from typing import Any, NoReturn

#: Threads of the reactor's pool for other work than pacing waits (DNS lookups, ...).
BASE_THREADS = 10
#: Seconds between checks that the parent is still the one that started this process.
PARENT_CHECK_SECONDS = 1.0
#: After stdin EOF, seconds the reactor gets to stop cleanly before the process exits anyway
#: (a thread may be sleeping in a host's pacing wait).
EXIT_GRACE_SECONDS = 5.0


class Service:
    """The jobs of one service process; every method runs in the reactor thread."""

    def __init__(self, out) -> None:
        from scrapy.crawler import CrawlerProcess
        from scrapy.settings import Settings
        from twisted.internet import reactor

        self.reactor, self.out = reactor, out
        self.crawlers: dict[str, Any] = {}
        # process-wide settings only, at the lowest priority: a job's own settings always win
        # when CrawlerProcess merges these into each job's Crawler. No DNS cache: the reactor's
        # resolver is the whole process's, and an address one job resolved (say, a private
        # origin it may reach) must not be dialled for another job that the guard checked anew.
        base = Settings()
        base.setdict({"LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False, "DNSCACHE_ENABLED": False,
                      "REACTOR_THREADPOOL_MAXSIZE": BASE_THREADS}, priority="default")
        self.process = CrawlerProcess(base)  # installs the root log handler (to stderr)

    def emit(self, job: str, event: dict[str, Any]) -> None:
        self.out.write(json.dumps({"job": job, **event}, ensure_ascii=False, default=str) + "\n")

    def _threads_for(self, jobs: int) -> None:
        """Room in the reactor's thread pool for every pacing wait that can be pending at once
        (each job has at most ``CONCURRENT_REQUESTS`` requests in its downloader, each waiting in
        a thread for its host's turn) plus the base pool: one host's wait never delays other jobs'
        turns or DNS lookups. The pool only grows; its threads start on demand."""
        from .scrapy_settings import CONCURRENT_REQUESTS

        pool = self.reactor.getThreadPool()
        want = BASE_THREADS + CONCURRENT_REQUESTS * jobs
        if pool.max < want:
            pool.adjustPoolsize(maxthreads=want)

    def start(self, job: str, spec: dict) -> None:
        from scrapy.crawler import Crawler

        from tim.config import HttpSettings, Source

        from .scrapy_settings import scrapy_settings
        from .scrapy_spider import TimSpider

        try:
            source = Source.model_validate(spec["source"])
            settings = HttpSettings.model_validate(spec["settings"])
            crawler = Crawler(TimSpider, scrapy_settings(settings, spec["headers"], spec["allowance"]))
        except Exception:  # noqa: BLE001  (a bad spec fails its job, not the service)
            self.emit(job, {"t": "fail", "message": traceback.format_exc(limit=5)})
            return
        self.crawlers[job] = crawler
        self._threads_for(len(self.crawlers))

        def done(_):
            spider = crawler.spider
            self.emit(job, {"t": "done", "complete": bool(spider and spider.complete), "pid": os.getpid(),
                            "reason": (crawler.stats.get_value("finish_reason") if crawler.stats else None)})

        def failed(failure):
            self.emit(job, {"t": "fail", "message": failure.getTraceback(elideFrameworkCode=True)[-4000:]})

        def forget(_):
            self.crawlers.pop(job, None)

        d = self.process.crawl(crawler, source=source, emit=lambda event: self.emit(job, event),
                               validators=spec.get("validators"))
        d.addCallbacks(done, failed)
        d.addBoth(forget)

    def cancel(self, job: str) -> None:
        crawler = self.crawlers.get(job)
        if crawler is not None and crawler.crawling:
            crawler.stop()

    def handle(self, line: bytes) -> None:
        message = json.loads(line)
        if "cancel" in message:
            self.cancel(str(message["cancel"]))
        else:
            self.start(str(message["job"]), message["spec"])

    def shutdown(self) -> None:
        """Stop every crawler and the reactor (in the reactor thread)."""
        if self.reactor.running:
            self.reactor.stop()  # CrawlerProcess's "before shutdown" trigger stops the crawlers


def _end_soon(reactor, service: Service) -> None:
    """Ask the reactor to stop, and exit after ``EXIT_GRACE_SECONDS`` whatever it does (called
    from a plain thread: a reactor that is stuck must not keep the process alive)."""
    timer = threading.Timer(EXIT_GRACE_SECONDS, os._exit, (0,))
    timer.daemon = True
    timer.start()
    reactor.callFromThread(service.shutdown)


def _read_jobs(stdin, reactor, service: Service) -> None:
    """The stdin reader thread: hands each line to the reactor; EOF ends the process."""
    try:
        for line in stdin:
            if line.strip():
                reactor.callFromThread(service.handle, line)
    finally:
        _end_soon(reactor, service)


def _watch_parent(parent: int, reactor, service: Service) -> None:
    """The parent watchdog thread: a changed parent pid means the parent is gone."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    _end_soon(reactor, service)


def main() -> NoReturn:
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints cannot corrupt the stream
    parent = os.getppid()
    # Ctrl-C in a terminal reaches the whole process group: the parent decides what happens to
    # the jobs (and closes stdin when it goes), a half-stopped service would only fail them
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    from scrapy.utils.reactor import install_reactor

    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from twisted.internet import reactor

    service = Service(out)
    stdin = os.fdopen(os.dup(sys.stdin.fileno()), "rb")

    threading.Thread(target=_read_jobs, args=(stdin, reactor, service), daemon=True,
                     name="scrapy-service-stdin").start()
    threading.Thread(target=_watch_parent, args=(parent, reactor, service), daemon=True,
                     name="scrapy-service-parent").start()
    code = 0
    try:
        service.process.start(stop_after_crawl=False, install_signal_handlers=False)
    except BaseException:  # noqa: BLE001  (whatever stopped the reactor, the process ends now)
        traceback.print_exc()
        code = 1
    # never wait for the reactor's pool threads (one may sleep in a pacing wait): the parent
    # sees EOF at once and fails the jobs still in flight
    out.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
