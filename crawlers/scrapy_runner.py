"""``python -m tim.crawlers.scrapy_runner``: one ``html`` source run in a fresh process.

Reads a JSON spec on stdin (``source``, effective ``settings``, resolved ``headers``, the SSRF
``allowance``), runs ``TimSpider`` under ``CrawlerProcess`` (a fresh Twisted reactor every run)
and writes one JSON line per event to the original stdout: ``record``, ``error`` and a final
``done`` with ``complete``. Anything else the process prints goes to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def main() -> int:
    spec = json.load(sys.stdin)
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints cannot corrupt the stream

    from scrapy.crawler import CrawlerProcess

    from tim.config import HttpSettings, Source

    from .scrapy_settings import scrapy_settings
    from .scrapy_spider import TimSpider

    source = Source.model_validate(spec["source"])
    settings = HttpSettings.model_validate(spec["settings"])

    def emit(event: dict[str, Any]) -> None:
        out.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")

    process = CrawlerProcess(scrapy_settings(settings, spec["headers"], spec["allowance"]),
                             install_root_handler=True)
    crawler = process.create_crawler(TimSpider)
    process.crawl(crawler, source=source, emit=emit)
    process.start()
    spider = crawler.spider
    emit({"t": "done", "complete": bool(spider and spider.complete),
          "reason": (crawler.stats.get_value("finish_reason") if crawler.stats else None)})
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
