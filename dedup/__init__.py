"""Cross-source de-duplication: the same initiative from several sources becomes one bundled item.

Pure code: no database, no network. The caller (``store.clusters``) feeds records in and persists
what comes out. Pipeline: block -> score (rapidfuzz) -> cluster (no chaining) -> stable ids;
see ``docs/dedup.md`` for the reasoning and ``config.dedup.DedupSettings`` for every threshold.

Public API::

    from tim.dedup import DedupRecord, Deduplicator, ClusterResult, Decision, bundle

    rec = DedupRecord(id, source_id, kind, title, description_text="", starts_at=None,
                      ends_at=None, lat=None, lon=None, buurt_code=None, organizer=None, url=None,
                      urls_in_text=(), priority=50)

    dedup = Deduplicator(settings)          # config.DedupSettings; keep one instance per process
    result = dedup.cluster(
        records,                            # list[DedupRecord]; ids unique
        previous=None,                      # dict item_id -> cluster_id of the last run
        overrides=(),                       # [("split", item, None) | ("split", a, b)
                                            #  | ("merge", a, b)], in order
        changed=None,                       # set of new/changed ids -> incremental run
    )
    result.assignments                      # dict item_id -> cluster_id, for every record
    result.decisions                        # list[Decision(a, b, score, decision, reasons)]
    result.stats                            # counts: records, blocks, candidate pairs, matches, ...

    bundled = bundle(members, priorities)   # members: item dicts of one cluster; priorities:
                                            # source_id -> priority; returns the bundled item
                                            # with "provenance" and "sources"

Semantics in short:

* Only records of the same kind are compared; records of one source are never merged with each
  other unless an operator merge says so.
* ``previous``: a cluster keeps the id of the previous cluster it overlaps most; new clusters get
  ``"c-" + sha1(smallest member id)[:16]``.
* ``overrides`` are applied after scoring, in order, on every run (the caller keeps them).
* ``changed``: records not listed must be unchanged since this instance's previous call. With
  that state, only records whose candidate blocks changed are re-scored and only the match groups
  they touch are re-clustered; the result equals a full run. A fresh instance has no state and
  scores everything (same result, slower).
* ``decisions`` always cover the whole record set: every pair inside a cluster (``merge`` /
  ``override_merge``), near misses scoring at least ``explain_min_score`` (``apart``), and
  operator splits (``override_split``); in no particular order.
"""

from .bundle import bundle
from .engine import Deduplicator
from .model import ClusterResult, Decision, DedupRecord

__all__ = ["ClusterResult", "Decision", "DedupRecord", "Deduplicator", "bundle"]
