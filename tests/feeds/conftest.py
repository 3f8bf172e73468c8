"""Fixtures of the feed tests: a real store (SQLite and PostgreSQL) with realistic data, and the
real app on it through ``fastapi.testclient``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tim.config import Config
from tim.feeds import create_app
from tim.store.db import make_engine

from .seed import standard_set


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def seeded(engine):
    """The engine with ``seed.standard_set`` stored and bundled."""
    standard_set(engine)
    return engine


def make_client(engine, **serve) -> TestClient:
    config = Config.model_validate({"serve": serve} if serve else {})
    return TestClient(create_app(engine, config))


@pytest.fixture
def client(seeded):
    with make_client(seeded) as c:
        yield c
