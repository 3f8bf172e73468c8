"""``html``: any site without an API, read with CSS/XPath selectors on Scrapy.

Scrapy runs in a separate process so its Twisted reactor never blocks or conflicts with the
caller: one long-lived service process (``crawlers.scrapy_service``, started ahead by
``Pipeline.run`` or by the first html crawl) runs every html source run of the process as a job
of its own, concurrently, each with its own Scrapy settings from the same ``HttpSettings`` (``crawlers.scrapy_settings``); the job's
records stream back as JSON lines and are yielded as they arrive. Failure of the first listing page
(or sitemap) fails the source; a failed detail page is a record error; a failed later listing page
marks the crawl incomplete. If the service process dies during a run, that run fails with a
``SourceError``; the next run starts a new service process.

Pacing: the service process takes every request's turn from ``crawlers.pacing`` (lock files in the
run directory it inherits through ``$TIM_PACING_DIR``), so it keeps one delay per host together
with the parent's other crawls fetching the same host at the same moment.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from tim.errors import BlockedError, FetchError, RecordError, SourceError
from tim.records import RawRecord, Replay, Validators

from . import scrapy_service
from .base import Crawler
from .scrapy_service import ServiceExit

log = logging.getLogger(__name__)


class HtmlCrawler(Crawler):
    """Runs one Scrapy crawl of the source (a job of the Scrapy service) and yields its records."""

    kind = "html"
    scrapy_pid: int | None = None
    """The pid of the service process that ran the last crawl (set when its job is sent)."""

    def spec(self) -> dict:
        spec = {
            "source": self.source.model_dump(mode="json"),
            "settings": self.http.settings.model_dump(mode="json"),
            "headers": self.http.source_headers(),  # secrets go over stdin, never argv
            "allowance": sorted(self.http.private_allowance()),
        }
        if self.http.validators is not None:  # a stored run: pages are fetched conditionally
            spec["validators"] = {url: {"etag": v.etag, "last_modified": v.last_modified,
                                        "body_hash": v.body_hash, "meta": v.meta}
                                  for url, v in self.http.validators.known().items()}
        return spec

    def crawl(self) -> Iterator[RawRecord]:
        self.http.check_url(self.source.sitemap or self.source.url)  # fail fast, no Scrapy job
        job = scrapy_service.submit(self.spec())
        self.scrapy_pid = job.pid
        done = None
        failure: dict | None = None
        try:
            for event in job.events():
                if isinstance(event, ServiceExit):
                    raise SourceError(self.source.id, f"the Scrapy service process (pid {event.pid}) "
                                      f"ended during the run (exit {event.returncode}): {event.stderr}")
                if event["t"] == "record":
                    yield RawRecord(self.source.id, event["key"], event["fields"], event["url"], event["hash"])
                elif event["t"] == "replay":  # unchanged since the last stored run
                    yield Replay(event["url"], event["count"], event["failed"])  # type: ignore[misc]
                elif event["t"] == "validators":
                    self.http.keep(event["url"], event["final_url"], Validators(
                        event["etag"], event["last_modified"], event["body_hash"], event["meta"]))
                elif event["t"] == "done":
                    done = event
                elif event["t"] == "fail":
                    raise SourceError(self.source.id, f"scrapy run failed: {event['message']}")
                elif event["scope"] == "record":
                    self.errors.append(RecordError(self.source.id, event["url"],
                                                   RawRecord.hash_payload(event["url"]), event["message"]))
                elif event["scope"] == "source":
                    failure = event
                elif event["scope"] == "skip":
                    log.info("skipped source=%s url=%s: %s", self.source.id, event["url"], event["message"])
                else:
                    self.complete = False
        finally:
            job.close()  # cancels the job in the service if the caller stopped early
        if failure:
            cls = BlockedError if failure.get("blocked") else FetchError
            raise cls(self.source.id, failure["url"], failure["message"], status=failure.get("status"))
        if done is None:
            raise SourceError(self.source.id, "scrapy run ended without its final event")
        if not done["complete"]:
            self.complete = False
