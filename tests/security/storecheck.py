"""Checks of a store's integrity after a crash, and a content hash of its export.

``consistency`` asserts what a run's transactions promise (``pipeline.Pipeline.run_source``: a
run's items, validators, status changes and its finished run row are one transaction):

- SQLite's ``PRAGMA integrity_check`` is ``ok``;
- every item belongs to a configured source and was written by a *finished* run of that source
  (``items.last_run_id``): no item lacks its source record;
- every finished run's counts match the items it wrote; at most one run is left ``running`` (the
  killed one), none after a re-run;
- status changes, conditional-GET validators and cluster ids point at rows that exist.

``export_hash`` is the sha256 of the raw export (``exports.export``, JSON Lines) without the
volatile ``first_seen``/``last_seen`` columns.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlalchemy import func, select

from tim.exports import export
from tim.store.tables import ClusterRow, HttpValidatorRow, ItemRow, RunRow, StatusChangeRow

FINISHED = ("ok", "not_modified", "suspect")
STATUSES = FINISHED + ("running", "failed", "interrupted")


def consistency(engine, source_ids: set[str], *, may_run: bool | int) -> dict:
    """Assert the store is consistent; return a few figures about what it holds."""
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
        runs = {r.id: r for r in conn.execute(select(RunRow))}
        items = list(conn.execute(select(ItemRow.id, ItemRow.source_id, ItemRow.last_run_id, ItemRow.cluster_id)))
        changes = list(conn.execute(select(StatusChangeRow.item_id, StatusChangeRow.run_id)))
        validators = list(conn.execute(select(HttpValidatorRow.source_id)))
        clusters = set(conn.execute(select(ClusterRow.id)).scalars())
        per_run = dict(conn.execute(select(ItemRow.last_run_id, func.count()).group_by(ItemRow.last_run_id)).all())
    assert {r.status for r in runs.values()} <= set(STATUSES), {r.status for r in runs.values()}
    running = [r for r in runs.values() if r.status == "running"]
    # a killed crawl leaves at most its concurrent source runs ``running`` (``may_run``: how many
    # may be; True is one); the next run of each such source marks it interrupted
    assert len(running) <= int(may_run), running
    for r in runs.values():
        if r.status != "running":
            assert r.finished_at is not None and r.finished_at >= r.started_at, r
    latest: dict[str, RunRow] = {}
    for r in sorted(runs.values(), key=lambda r: r.id):
        if r.status in FINISHED:
            latest[r.source_id] = r
    for r in latest.values():  # the last finished run of a source wrote exactly what it counted
        assert per_run.get(r.id, 0) == r.inserted + r.updated + r.unchanged, (r, per_run.get(r.id))
    item_ids = set()
    for it in items:
        item_ids.add(it.id)
        assert it.source_id in source_ids, it
        run = runs.get(it.last_run_id)
        assert run is not None and run.source_id == it.source_id and run.status in FINISHED, (it, run)
        assert it.cluster_id is None or it.cluster_id in clusters, it
    for item_id, run_id in changes:
        assert item_id in item_ids and (run_id is None or runs[run_id].status in FINISHED), (item_id, run_id)
    for (sid,) in validators:
        assert sid in latest, sid
    return {"runs": len(latest), "items": len(items), "clustered": any(it.cluster_id for it in items)}


def export_hash(engine, directory: Path) -> str:
    path = Path(directory) / "raw.jsonl"
    export(engine, "jsonl", path, raw=True)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        row.pop("first_seen")
        row.pop("last_seen")
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
