"""Issue 8 item 6: ``tim serve`` (a subprocess on SQLite in WAL mode) answers four readers while a
crawl writes, with no "database is locked" and no error, and the readers see the data change.

The harness is ``concurrent_use.run``; the issue's 60 s run with figures is
``python benchmarks/security/concurrency.py`` (``TIM_SECURITY_CONCURRENCY_SECONDS`` sets this
test's length, 20 s by default). Defence: ``store.db.make_engine`` (WAL, busy timeout 60 s),
short write transactions per source run (``Pipeline.run_source``).
"""

from __future__ import annotations

import os

import pytest

from .concurrent_use import run

SECONDS = float(os.environ.get("TIM_SECURITY_CONCURRENCY_SECONDS", "20"))


@pytest.mark.slow
def test_four_readers_and_a_crawl_writing(tmp_path, locator):
    figures = run(SECONDS, tmp_path, readers=4, locator=locator)
    print(figures.summary())
    assert figures.locked == 0 and figures.errors == [], figures.errors[:5]
    assert figures.writes >= 2 and figures.reads >= 100, figures.summary()
    assert figures.item_versions >= 2, figures.summary()  # reads happened while the data changed
