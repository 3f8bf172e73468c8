"""Leases (issue #12): at most one holder per source, never re-entrant, taken over only once expired."""

from __future__ import annotations

import threading
import time

from tim.store import leases
from tim.store.db import make_engine


def test_one_holder_at_a_time_and_takeover_after_expiry(db_url):
    engine = make_engine(db_url)
    try:
        first = leases.acquire(engine, "bron", "w1#a", 0.5, "a")
        assert first is not None and first.previous is None
        assert leases.acquire(engine, "bron", "w2#b", 30, "b") is None
        assert leases.acquire(engine, "bron", "w1#a", 30, "a") is None  # not re-entrant
        assert leases.renew(engine, [("bron", "w1#a")], 0.5) == set()
        assert leases.renew(engine, [("bron", "w2#b")], 30) == {("bron", "w2#b")}  # not its lease
        time.sleep(0.7)
        taken = leases.acquire(engine, "bron", "w2#b", 30, "b")
        assert taken is not None and (taken.previous, taken.previous_job) == ("w1#a", "a")
        assert leases.renew(engine, [("bron", "w1#a")], 30) == {("bron", "w1#a")}  # w1 lost it
        leases.release(engine, "bron", "w1#a")  # a former holder cannot release it
        assert leases.holders(engine)["bron"][0] == "w2#b"
        leases.release(engine, "bron", "w2#b")
        assert leases.holders(engine) == {}
    finally:
        engine.dispose()


def test_racing_threads_get_one_lease(db_url):
    engine = make_engine(db_url)
    wins: list[str] = []
    start = threading.Barrier(8)

    def race(n: int) -> None:
        start.wait()
        if leases.acquire(engine, "bron", f"w#{n}", 30) is not None:
            wins.append(str(n))

    threads = [threading.Thread(target=race, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1
    engine.dispose()
