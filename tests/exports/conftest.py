"""Fixtures of the export tests: the feed tests' realistic store (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from tim.store.db import make_engine
from tests.feeds.seed import standard_set


@pytest.fixture
def seeded(db_url):
    engine = make_engine(db_url)
    standard_set(engine)
    yield engine
    engine.dispose()
