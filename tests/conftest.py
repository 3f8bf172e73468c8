"""Shared fixtures: a local web server and a fresh database per test (SQLite, and PostgreSQL
when reachable; ``TIM_REQUIRE_PG=1`` makes an unreachable PostgreSQL an error, as in CI)."""

from __future__ import annotations

import contextlib
import os
import socket
import uuid

import pytest

from tim.demo.web import LocalWeb

PG_URL = os.environ.get("TIM_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def web():
    """A LocalWeb on 127.0.0.1, started and stopped around the test."""
    with LocalWeb() as w:
        yield w


@contextlib.contextmanager
def fresh_database(backend: str, directory):
    """A fresh, empty database URL: a SQLite file in ``directory``, or a new schema on PostgreSQL."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'tim.db'}"
        return
    if not _pg_reachable():
        if os.environ.get("TIM_REQUIRE_PG") == "1":
            pytest.fail("PostgreSQL at 127.0.0.1:5432 is required (TIM_REQUIRE_PG=1) but unreachable")
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432")
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database URL per test, on SQLite and on PostgreSQL."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path):
    """A fresh SQLite database URL, for tests that do not depend on the backend."""
    return f"sqlite:///{tmp_path / 'tim.db'}"
