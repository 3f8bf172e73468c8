"""``html``: any site without an API, read with CSS/XPath selectors on Scrapy.

Scrapy runs in a subprocess (``crawlers.scrapy_runner``) so its Twisted reactor never blocks or
conflicts with the caller and each run gets a fresh one; records stream back as JSON lines and
are yielded as they arrive. The same ``HttpSettings`` drive it (``crawlers.scrapy_settings``).
Failure of the first listing page (or sitemap) fails the source; a failed detail page is a record
error; a failed later listing page marks the crawl incomplete.

Pacing: the subprocess takes every request's turn from ``crawlers.pacing`` (lock files in the run
directory it inherits through ``$TIM_PACING_DIR``), so it keeps one delay per host together with
the parent's other crawls fetching the same host at the same moment.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
from collections.abc import Iterator

from tim.errors import BlockedError, FetchError, RecordError, SourceError
from tim.records import RawRecord

from .base import Crawler
from .pacing import PACER

log = logging.getLogger(__name__)



class HtmlCrawler(Crawler):
    """Runs one Scrapy crawl of the source and yields its records."""

    kind = "html"

    def spec(self) -> dict:
        return {
            "source": self.source.model_dump(mode="json"),
            "settings": self.http.settings.model_dump(mode="json"),
            "headers": self.http.source_headers(),  # secrets go over stdin, never argv
            "allowance": sorted(self.http.private_allowance()),
        }

    def crawl(self) -> Iterator[RawRecord]:
        self.http.check_url(self.source.sitemap or self.source.url)  # fail fast, no subprocess
        spec = json.dumps(self.spec())
        PACER.directory  # noqa: B018  (creates and exports the run directory the child inherits)
        with tempfile.TemporaryFile() as stderr:
            proc = subprocess.Popen([sys.executable, "-m", "tim.crawlers.scrapy_runner"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
            done = None
            failure: dict | None = None
            try:
                proc.stdin.write(spec.encode())
                proc.stdin.close()
                for line in proc.stdout:
                    event = json.loads(line)
                    if event["t"] == "record":
                        yield RawRecord(self.source.id, event["key"], event["fields"], event["url"], event["hash"])
                    elif event["t"] == "done":
                        done = event
                    elif event["scope"] == "record":
                        self.errors.append(RecordError(self.source.id, event["url"],
                                                       RawRecord.hash_payload(event["url"]), event["message"]))
                    elif event["scope"] == "source":
                        failure = event
                    elif event["scope"] == "skip":
                        log.info("skipped source=%s url=%s: %s", self.source.id, event["url"], event["message"])
                    else:
                        self.complete = False
                proc.wait()
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            if failure:
                cls = BlockedError if failure.get("blocked") else FetchError
                raise cls(self.source.id, failure["url"], failure["message"], status=failure.get("status"))
            if proc.returncode != 0 or done is None:
                stderr.seek(0)
                tail = stderr.read()[-2000:].decode("utf-8", "replace")
                raise SourceError(self.source.id, f"scrapy run failed (exit {proc.returncode}): {tail}")
            if not done["complete"]:
                self.complete = False
