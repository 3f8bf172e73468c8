"""Conditional-GET validators (ETag, Last-Modified, body hash) kept in the database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine

from tim.records import Validators

from .db import utcnow
from .tables import HttpValidatorRow


class DbValidatorStore:
    """``crawlers.http.ValidatorStore`` backed by the ``http_validators`` table.

    Reads come from the table; writes are buffered and saved by ``flush()`` in the same
    transaction as the run's items, so a failed run never records validators of a body whose
    items were not stored.
    """

    def __init__(self, engine: Engine, source_id: str):
        self.engine = engine
        self.source_id = source_id
        self.pending: dict[str, object] = {}

    def get(self, url: str):
        if url in self.pending:
            return self.pending[url]
        t = HttpValidatorRow.__table__
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.url == url)).first()
        if row is None:
            return None
        return Validators(etag=row.etag, last_modified=row.last_modified, body_hash=row.body_hash)

    def put(self, url: str, validators) -> None:
        self.pending[url] = validators

    def flush(self, conn) -> None:
        t = HttpValidatorRow.__table__
        for url, v in self.pending.items():
            conn.execute(t.delete().where(t.c.url == url))
            conn.execute(t.insert().values(url=url, source_id=self.source_id, etag=v.etag,
                                           last_modified=v.last_modified, body_hash=v.body_hash,
                                           updated_at=utcnow()))
        self.pending.clear()

    def forget(self) -> None:
        """Drop buffered validators (the run failed)."""
        self.pending.clear()
