"""Helpers for the crawler tests: sources pointed at the local web, with small delays."""

from __future__ import annotations

import pytest

from tim.config import HttpSettings, Source
from tim.crawlers import REGISTRY
from tim.crawlers.http import HttpClient, MemoryValidatorStore

#: Fast but real: every policy is on, only the waits are short.
FAST = {"delay": 0.05, "timeout": 5.0, "connect_timeout": 2.0, "retries": 2, "backoff": 0.05}


def make_source(url: str | None = None, kind: str = "json", *, http: dict | None = None,
                allow_private_network: bool = True, **kw) -> Source:
    """A validated Source on the local web, with fast HTTP overrides."""
    return Source.model_validate({
        "id": kw.pop("id", "test-source"), "kind": kind, "url": url,
        "allow_private_network": allow_private_network,
        "http": {**FAST, **(http or {})}, **kw,
    })


def crawl(source: Source, settings: HttpSettings | None = None, validators=None):
    """Run one crawl; return (records, crawler)."""
    http = HttpClient(settings or HttpSettings(), source, validators)
    try:
        crawler = REGISTRY[source.kind](source, http)
        records = list(crawler.crawl())
        http.commit_validators()
        return records, crawler
    finally:
        http.close()


@pytest.fixture
def store():
    return MemoryValidatorStore()
