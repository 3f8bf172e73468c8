"""Issue 7: ``/changes``, the RPDE-style incremental feed. A client that polls ``next`` sees every
change exactly once: consume, change the store, consume again from the saved ``next``."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

from sqlalchemy import select

from tim.store.tables import ClusterRow

from .conftest import make_client
from .seed import bundle, make_item, store

PAGE = 3


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def consume(client, url: str, page_size: int = PAGE) -> tuple[list[dict], str]:
    """Poll from ``url`` until the empty last page; return the entries and the final ``next``."""
    entries = []
    while True:
        page = client.get(_path(url)).json()
        assert len(page["items"]) <= page_size
        if not page["items"]:
            assert page["next"] == url or _path(page["next"]) == _path(url), "last page must point at itself"
            return entries, page["next"]
        entries.extend(page["items"])
        url = page["next"]


def _db_changes_after(engine, seq: int) -> dict[str, tuple[str, int]]:
    c = ClusterRow.__table__
    with engine.connect() as conn:
        return {r.id: (r.status, r.change_seq) for r in conn.execute(select(c).where(c.c.change_seq > seq))}


def test_pages_are_fixed_size_ordered_and_end_empty(seeded):
    with make_client(seeded, page_size=PAGE) as c:
        first = c.get("/changes").json()
        assert len(first["items"]) == PAGE
        entries, last = consume(c, "/changes")
        empty = c.get(_path(last)).json()
    assert empty == {"items": [], "next": empty["next"]} and _path(empty["next"]) == _path(last)
    keys = [(e["modified"], e["id"]) for e in entries]
    assert keys == sorted(keys) and len({e["id"] for e in entries}) == len(entries) == 7
    for e in entries:
        assert e["state"] == "updated" and e["kind"] and e["data"]["id"] == e["id"] and e["data"]["sources"]


def test_consume_change_consume_again_sees_exactly_the_new_changes(seeded):
    with make_client(seeded, page_size=PAGE) as c:
        seen, saved = consume(c, "/changes")
        last_seq = max(e["modified"] for e in seen)
        cluster_of = {e["data"]["sources"][0]["item_id"]: e["id"] for e in seen}

        # expire a record (missing from a complete run, expire_after=1), add a new one, re-bundle
        store(seeded, "vacaturebank", [make_item("vacaturebank", "v1", kind="vacancy", title="Voorlezer gezocht"),
                                       make_item("vacaturebank", "v3", kind="vacancy", title="Tuinier gezocht")],
              complete=True, expire_after=1)
        bundle(seeded)
        new, saved2 = consume(c, saved)
        expected = _db_changes_after(seeded, last_seq)
        assert {e["id"]: (e["state"] if e["state"] == "deleted" else "active", e["modified"]) for e in new} == expected
        by_id = {e["id"]: e for e in new}
        assert by_id[cluster_of["vacaturebank-v2"]]["state"] == "deleted"
        assert "data" not in by_id[cluster_of["vacaturebank-v2"]]
        assert any(e["state"] == "updated" and e["data"]["title"] == "Tuinier gezocht" for e in new)
        assert all(e["modified"] > last_seq for e in new)

        # nothing changed: nothing new
        assert consume(c, saved2)[0] == []
        # the tombstone comes back to life when its record reappears
        store(seeded, "vacaturebank", [make_item("vacaturebank", "v2", kind="vacancy", title="Chauffeur buurtbus")])
        bundle(seeded)
        again, _ = consume(c, saved2)
        assert any(e["id"] == cluster_of["vacaturebank-v2"] and e["state"] == "updated" for e in again)


def test_a_poller_never_misses_or_repeats_while_a_writer_writes(seeded):
    """A reader polls next while another thread keeps adding items: every change seen once, and
    the reader's final picture equals the store."""
    stop = threading.Event()
    errors = []

    def writer():
        try:
            for n in range(12):
                store(seeded, "agenda", [make_item("agenda", f"w{n}", title=f"Activiteit nummer {n}", buurt=None)])
                bundle(seeded)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            stop.set()

    picture: dict[str, tuple[str, int]] = {}
    pairs = set()
    with make_client(seeded, page_size=PAGE) as c:
        url = "/changes"
        t = threading.Thread(target=writer)
        t.start()
        while True:
            done = stop.is_set()
            page = c.get(_path(url)).json()
            for e in page["items"]:
                key = (e["id"], e["modified"])
                assert key not in pairs, f"change {key} delivered twice"
                pairs.add(key)
                prev = picture.get(e["id"])
                assert prev is None or prev[1] < e["modified"]
                picture[e["id"]] = ("deleted" if e["state"] == "deleted" else "active", e["modified"])
            url = page["next"]
            if done and not page["items"]:
                break
        t.join()
    assert not errors
    assert picture == _db_changes_after(seeded, -1)
