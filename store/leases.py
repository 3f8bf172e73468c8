"""Leases: at most one holder per source across every worker process and machine.

A lease is a row of ``source_leases``: its key (a source id, or ``__dedup__``), its holder (a
token per acquisition: ``host:pid#job``, so two threads of one worker never share a lease) and
when it expires. Taking one is a single conditional statement, atomic on SQLite
and PostgreSQL alike: insert it if nobody holds the key, or take it over if the holder let it
expire (the holder died: a live holder renews it every ``ttl / 3`` seconds). Clocks of the
workers' machines are compared through ``expires_at``, so they must agree to well within the TTL
(NTP does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from .db import from_db, utcnow
from .tables import SourceLeaseRow

DEDUP_KEY = "__dedup__"


@dataclass
class Taken:
    """A lease just taken; ``previous`` is the holder it was taken over from (expired), if any."""

    key: str
    holder: str
    previous: str | None
    previous_job: str | None
    previous_expired_at: datetime | None


def acquire(engine: Engine, key: str, holder: str, ttl: float, job_id: str | None = None) -> Taken | None:
    """Take the lease on ``key`` for ``ttl`` seconds; ``None`` while someone else holds it."""
    t = SourceLeaseRow.__table__
    now = utcnow()
    expires = now + timedelta(seconds=ttl)
    with engine.begin() as conn:
        old = conn.execute(select(t).where(t.c.key == key)).first()
        if old is None:
            try:
                with conn.begin_nested():
                    conn.execute(insert(t).values(key=key, holder=holder, job_id=job_id, acquired_at=now,
                                                  expires_at=expires))
            except IntegrityError:
                return None  # taken by another worker between our select and insert
            return Taken(key, holder, None, None, None)
        # not re-entrant: a live lease is never taken, not even by the same holder token
        res = conn.execute(
            update(t).where(t.c.key == key, t.c.holder == old.holder, t.c.expires_at < now)
            .values(holder=holder, job_id=job_id, acquired_at=now, expires_at=expires))
        if res.rowcount != 1:
            return None
        return Taken(key, holder, old.holder, old.job_id, from_db(old.expires_at))


def renew(engine: Engine, held: list[tuple[str, str]], ttl: float) -> set[tuple[str, str]]:
    """Extend the leases ``(key, holder)``; returns those no longer held (lost)."""
    if not held:
        return set()
    t = SourceLeaseRow.__table__
    expires = utcnow() + timedelta(seconds=ttl)
    lost = set()
    with engine.begin() as conn:
        for key, holder in held:
            res = conn.execute(update(t).where(t.c.key == key, t.c.holder == holder).values(expires_at=expires))
            if res.rowcount != 1:
                lost.add((key, holder))
    return lost


def release(engine: Engine, key: str, holder: str) -> None:
    t = SourceLeaseRow.__table__
    with engine.begin() as conn:
        conn.execute(delete(t).where(t.c.key == key, t.c.holder == holder))


def holders(engine: Engine) -> dict[str, tuple[str, datetime]]:
    """Every current lease: key -> (holder, expires_at)."""
    t = SourceLeaseRow.__table__
    with engine.connect() as conn:
        return {r.key: (r.holder, from_db(r.expires_at)) for r in conn.execute(select(t))}
