"""Opening the database: SQLite (WAL, busy timeout) by default, PostgreSQL by URL."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

from tim.errors import StoreError

DEFAULT_DB_URL = "sqlite:///tim.db"


def default_db_url() -> str:
    return os.environ.get("TIM_DB", DEFAULT_DB_URL)


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def make_engine(url: str | None = None, *, create: bool = True) -> Engine:
    """Engine for ``url`` (default ``TIM_DB`` or ``sqlite:///tim.db``).

    With ``create`` (the default, what every command uses) the schema is checked: an empty
    database is created at the newest schema revision, one at that revision is accepted, one
    behind it raises :class:`tim.store.schema.SchemaBehindError` (run ``tim db upgrade``), one
    ahead of it :class:`tim.store.schema.SchemaAheadError`. ``create=False`` opens it as it is
    (``tim db`` itself)."""
    url = normalise_url(url or default_db_url())
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
    elif url.startswith("postgresql"):
        engine = create_engine(url, pool_pre_ping=True)
    else:
        raise StoreError(f"unsupported database URL {url!r}: use sqlite:///FILE or postgresql://...")
    if create:
        from .schema import check_or_create

        try:
            check_or_create(engine)
        except StoreError:
            engine.dispose()
            raise
        except Exception as exc:  # noqa: BLE001
            engine.dispose()
            raise StoreError(f"cannot open database {engine.url.render_as_string(hide_password=True)}: {exc}") from exc
    return engine


def utcnow() -> datetime:
    """Now, aware, in UTC (SQLModel's datetime columns store aware values and return UTC)."""
    return datetime.now(UTC)


def to_db(dt: datetime | None) -> datetime | None:
    """Any datetime -> aware UTC for storage (a naive value is taken to be UTC already)."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def from_db(dt: datetime | None) -> datetime | None:
    """Stored naive UTC -> aware UTC."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
