"""Conditional-GET validators (ETag, Last-Modified, body hash, crawler's notes) kept in the database."""

from __future__ import annotations

import json

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Engine

from tim.records import Validators

from .db import utcnow
from .tables import HttpValidatorRow

_t = HttpValidatorRow.__table__
_OF_SOURCE = select(_t.c.url, _t.c.etag, _t.c.last_modified, _t.c.body_hash, _t.c.meta).where(
    _t.c.source_id == bindparam("b_source_id"))  # built once: every source run reads its validators
_DELETE = _t.delete().where(_t.c.url.in_(bindparam("b_urls", expanding=True)))
_INSERT = _t.insert()


class DbValidatorStore:
    """``crawlers.http.ValidatorStore`` backed by the ``http_validators`` table.

    The source's rows are read once, at the first ``get`` (a source of 10,000 detail pages asks
    10,000 times in one run); writes are buffered and saved by ``flush()`` in the same transaction
    as the run's items, so a failed run never records validators of a body whose items were not
    stored.
    """

    def __init__(self, engine: Engine, source_id: str):
        self.engine = engine
        self.source_id = source_id
        self.pending: dict[str, Validators] = {}
        self._stored: dict[str, Validators] | None = None

    def _load(self) -> dict[str, Validators]:
        with self.engine.connect() as conn:
            rows = conn.execute(_OF_SOURCE, {"b_source_id": self.source_id}).all()
        return {r.url: Validators(etag=r.etag, last_modified=r.last_modified, body_hash=r.body_hash,
                                  meta=json.loads(r.meta) if r.meta else None) for r in rows}

    def get(self, url: str) -> Validators | None:
        if url in self.pending:
            return self.pending[url]
        if self._stored is None:
            self._stored = self._load()
        return self._stored.get(url)

    def known(self) -> dict[str, Validators]:
        """Every stored URL of the source with its validators (for a crawl done elsewhere)."""
        if self._stored is None:
            self._stored = self._load()
        return dict(self._stored)

    def put(self, url: str, validators: Validators) -> None:
        self.pending[url] = validators

    def flush(self, conn) -> None:
        urls = list(self.pending)
        for i in range(0, len(urls), 500):
            conn.execute(_DELETE, {"b_urls": urls[i:i + 500]})
        if urls:
            now = utcnow()
            conn.execute(_INSERT, [
                {"url": url, "source_id": self.source_id, "etag": v.etag, "last_modified": v.last_modified,
                 "body_hash": v.body_hash, "meta": json.dumps(v.meta, ensure_ascii=False) if v.meta else None,
                 "updated_at": now}
                for url, v in self.pending.items()])
        if self._stored is not None:
            self._stored.update(self.pending)
        self.pending.clear()

    def forget(self) -> None:
        """Drop buffered validators (the run failed)."""
        self.pending.clear()
