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
