"""Bundled items and the change sequence: only real changes get a new change number (issues #5, #7)."""

from __future__ import annotations

from sqlalchemy import select

from tim.config import DedupSettings
from tim.store.clusters import recluster
from tim.store.db import make_engine
from tim.store.tables import ClusterRow

from .test_items import _item, _run


def _seqs(engine):
    with engine.connect() as conn:
        return {r.id: (r.change_seq, r.status) for r in conn.execute(select(ClusterRow))}


def _recluster(engine):
    with engine.begin() as conn:
        return recluster(conn, DedupSettings(), {"src": 50, "other": 40})


def test_a_recrawl_without_changes_announces_nothing(db_url):
    engine = make_engine(db_url)
    _run(engine, [_item(i) for i in range(4)])
    _recluster(engine)
    before = _seqs(engine)
    assert len(before) == 4
    _run(engine, [_item(i) for i in range(4)])  # last_seen moves on
    counts = _recluster(engine)
    assert counts["changed"] == 0 and counts["new"] == 0
    assert _seqs(engine) == before


def test_an_edit_and_an_expiry_get_new_change_numbers(db_url):
    engine = make_engine(db_url)
    _run(engine, [_item(i) for i in range(3)])
    _recluster(engine)
    before = _seqs(engine)
    top = max(seq for seq, _ in before.values())
    _run(engine, [_item(0, "Vrijwilliger 0 (nieuw)"), _item(1)])  # edit 0, 2 goes missing
    _run(engine, [_item(0, "Vrijwilliger 0 (nieuw)"), _item(1)])  # 2 missing twice: expired
    _recluster(engine)
    after = _seqs(engine)
    changed = {cid for cid in after if after[cid] != before.get(cid)}
    assert len(changed) == 2
    assert all(after[c][0] > top for c in changed)
    assert sorted(status for _, status in after.values()) == ["active", "active", "deleted"]


def _bundles(engine):
    with engine.connect() as conn:
        return {r.id: (r.status, r.member_count, r.bundled) for r in conn.execute(select(ClusterRow))}


def test_bundled_items_written_in_chunks_equal_one_write(db_url, tmp_path, monkeypatch):
    """A pass rebuilds bundled items a chunk at a time (memory at 100,000 items); the bundled
    items, their members and the change numbers are those of a pass that writes them at once."""
    from datetime import UTC, datetime, timedelta

    from tim.store import clusters

    now, start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC), datetime(2030, 5, 2, 10, 0, tzinfo=UTC)
    first = [_item(i) for i in range(7)] + [_item(20 + i, f"Buurtfeest {i}", starts_at=start) for i in range(3)]
    twins = [_item(20 + i, f"Buurtfeest {i}", source="other", starts_at=start) for i in range(3)]
    edited = [_item(0, "Vrijwilliger 0 (nieuw)")] + first[1:5] + first[7:]  # 5 and 6 go missing
    results = []
    for url, chunk in ((f"sqlite:///{tmp_path / 'whole.db'}", 10_000), (db_url, 2)):
        monkeypatch.setattr(clusters, "BUNDLE_CHUNK", chunk)
        engine = make_engine(url)
        _run(engine, first, now=now)
        _run(engine, twins, source="other", now=now)
        one = _recluster(engine)
        _run(engine, edited, now=now + timedelta(hours=1))
        _run(engine, edited, now=now + timedelta(hours=2))  # missing twice: expired
        two = _recluster(engine)
        results.append((one, two, _bundles(engine), _seqs(engine)))
    (one, two, bundles, seqs), chunked = results[0], results[1]
    assert (one["new"], one["clusters"]) == (10, 10)  # 13 items: three cross-source twins bundled
    assert (two["changed"], two["deleted"]) == (1, 2)
    assert chunked[:3] == (one, two, bundles)
    assert chunked[3] == seqs
    numbers = [seq for seq, _ in seqs.values()]
    assert len(set(numbers)) == len(numbers) and max(numbers) == 10 + 3  # one number per change
