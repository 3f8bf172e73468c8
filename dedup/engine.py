"""``Deduplicator``: block -> score -> cluster -> stable ids, in full or incremental mode.

Full mode scores every candidate pair of every usable block. Incremental mode (``changed`` given,
and this instance ran before) re-indexes only the new, changed and removed records, re-scores the
records whose candidate set changed, and re-clusters only the connected groups of matches they
touch; every other record keeps its cluster. The result equals a full run on the same input: a
record's features and a pair's score depend only on the records themselves, and the greedy
clustering of one group of matches does not depend on any other group (see ``docs/dedup.md``).

The instance keeps the state of its last call (features, block index, scored pairs, clusters,
decisions) in memory; a fresh instance has none and scores everything, with the same result.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from tim.config.dedup import DedupSettings

from .blocking import BlockIndex
from .candidates import candidate_pairs
from .clustering import Overrides, greedy_complete_linkage, pair_key
from .decisions import build_decision
from .features import FeatureMaker, Features
from .ids import assign_ids
from .model import ClusterResult, Decision, DedupRecord
from .scoring import PairScore, Scorer

log = logging.getLogger("tim.dedup")


Pair = tuple[str, str]


@dataclass
class _State:
    """What one call leaves for the next."""

    records: dict[str, DedupRecord] = field(default_factory=dict)
    feats: dict[str, Features] = field(default_factory=dict)
    index: BlockIndex | None = None
    pairs: dict[Pair, PairScore] = field(default_factory=dict)
    """Scored candidate pairs kept (matches and near misses)."""
    extra: dict[Pair, PairScore] = field(default_factory=dict)
    """Pairs scored on demand (cluster checks, overrides)."""
    adj: dict[str, set[str]] = field(default_factory=dict)
    """Partners of each record in ``pairs`` and ``extra``."""
    matches: dict[str, set[str]] = field(default_factory=dict)
    n_matches: int = 0
    assign: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    overrides: Overrides = field(default_factory=Overrides)
    decisions: dict[Pair, Decision] = field(default_factory=dict)


class Deduplicator:
    """Cross-source de-duplication under one set of settings; see ``dedup`` for the API."""

    def __init__(self, settings: DedupSettings | None = None):
        self.settings = settings or DedupSettings()
        self.maker = FeatureMaker(self.settings)
        self.scorer = Scorer(self.settings, self.maker)
        self._state: _State | None = None
        self._lock = threading.Lock()

    # -- public ----------------------------------------------------------------------------
    def cluster(
        self,
        records: list[DedupRecord],
        previous: dict[str, str] | None = None,
        overrides: Iterable[tuple[str, str, str | None]] = (),
        changed: set[str] | None = None,
    ) -> ClusterResult:
        """Cluster ``records``; see the ``dedup`` package docstring for the arguments.

        Raises ``ValueError`` for a duplicate record id or an unknown override action. Calls on
        one instance are serialised (its state is that of the last call)."""
        by_id = {rec.id: rec for rec in records}
        if len(by_id) != len(records):
            seen: set[str] = set()
            dup = next(r.id for r in records if r.id in seen or seen.add(r.id))  # type: ignore[func-returns-value]
            raise ValueError(f"duplicate record id {dup!r}")
        ov = Overrides.parse(overrides)
        with self._lock:
            if changed is not None and self._state is not None and self._state.index is not None:
                return self._incremental(by_id, previous, ov, set(changed))
            if changed is not None:
                log.info(
                    "dedup: no state from a previous call on this instance; scoring everything"
                )
            return self._full(by_id, previous, ov)

    # -- full ------------------------------------------------------------------------------
    def _full(
        self, by_id: dict[str, DedupRecord], previous: dict[str, str] | None, ov: Overrides
    ) -> ClusterResult:
        old = self._state
        st = _State(records=by_id, overrides=ov)
        for item_id, rec in by_id.items():
            cached = old.feats.get(item_id) if old else None
            st.feats[item_id] = (
                cached
                if cached is not None and old.records[item_id] == rec
                else self.maker.make(rec)
            )
        st.index = BlockIndex(self.settings)
        st.index.build(st.feats)
        self._state = st
        candidates = self._score_blocks(st.index.blocks(), None)
        nodes = set(by_id)
        result = self._recluster(nodes, previous if previous is not None else {}, ov)
        result.stats.update(
            records=len(by_id),
            rescored_records=len(by_id),
            candidate_pairs=candidates,
            mode="full",
            multi_member_clusters=sum(1 for m in st.members.values() if len(m) > 1),
            **st.index.stats(),
        )
        return result

    # -- incremental -----------------------------------------------------------------------
    def _incremental(
        self,
        by_id: dict[str, DedupRecord],
        previous: dict[str, str] | None,
        ov: Overrides,
        changed: set[str],
    ) -> ClusterResult:
        st = self._state
        assert st is not None and st.index is not None
        removed = st.records.keys() - by_id.keys()
        new = by_id.keys() - st.records.keys()
        really = {i for i in (changed & by_id.keys()) - new if st.records[i] != by_id[i]}
        fresh = {i: self.maker.make(by_id[i]) for i in new | really}
        rescore = st.index.update(fresh, removed)

        old_assign, old_members, old_ov = st.assign, st.members, st.overrides
        seeds = set(rescore) | set(removed)
        for item_id in seeds | old_ov.items() | ov.items():
            cid = old_assign.get(item_id)
            if cid is not None:
                seeds.update(old_members[cid])
        seeds |= old_ov.items() | ov.items()
        prev = previous if previous is not None else old_assign
        drift = False
        if previous is not None:
            expected = (
                {i: c for i, c in old_assign.items() if i not in removed} if removed else old_assign
            )
            if previous != expected:
                drift = True
                seeds |= self._previous_drift(previous, expected)

        for item_id in removed:
            st.feats.pop(item_id, None)
        st.feats.update(fresh)
        st.records = by_id
        for item_id in rescore | set(removed):
            self._forget(item_id)
        candidates = self._score_blocks(st.index.blocks_of(rescore), rescore)

        area = self._closure(seeds, ov, by_id, old_assign, old_members, prev if drift else None)
        st.overrides = ov
        result = self._recluster(area, prev, ov, removed)
        result.stats.update(
            records=len(by_id),
            rescored_records=len(rescore),
            candidate_pairs=candidates,
            reclustered_records=len(area),
            removed=len(removed),
            mode="incremental",
        )
        return result

    def _previous_drift(self, previous: dict[str, str], expected: dict[str, str]) -> set[str]:
        """Records whose given previous cluster differs from this instance's last result."""
        drift = {i for i, c in previous.items() if expected.get(i) != c}
        drift |= {i for i in expected if i not in previous}
        return drift

    def _closure(
        self,
        seeds: set[str],
        ov: Overrides,
        by_id: dict[str, DedupRecord],
        old_assign: dict[str, str],
        old_members: dict[str, list[str]],
        prev: dict[str, str] | None,
    ) -> set[str]:
        """Every record connected to ``seeds`` by matches, operator merges or last run's
        clusters: the part of the graph whose clustering can differ from last run's."""
        st = self._state
        assert st is not None
        prev_members: dict[str, list[str]] | None = None
        if prev is not None:
            prev_members = {}
            for i, c in prev.items():
                prev_members.setdefault(c, []).append(i)
        must = ov.must_adjacency()
        area: set[str] = set()
        todo = [s for s in seeds if s in by_id]
        while todo:
            x = todo.pop()
            if x in area:
                continue
            area.add(x)
            near: list[str] = [*st.matches.get(x, ()), *must.get(x, ())]
            cid = old_assign.get(x)
            if cid is not None:
                near.extend(old_members.get(cid, ()))
            if prev_members is not None and prev is not None and x in prev:
                near.extend(prev_members.get(prev[x], ()))
            todo.extend(y for y in near if y not in area and y in by_id)
        return area

    # -- scoring ---------------------------------------------------------------------------
    def _forget(self, item_id: str) -> None:
        """Drop every stored pair and decision of a record (changed, left, or to re-score)."""
        st = self._state
        assert st is not None
        for other in st.adj.pop(item_id, ()):
            key = pair_key(item_id, other)
            st.pairs.pop(key, None)
            st.extra.pop(key, None)
            st.decisions.pop(key, None)
            partners = st.adj.get(other)
            if partners is not None:
                partners.discard(item_id)
        for other in st.matches.pop(item_id, ()):
            st.matches.get(other, set()).discard(item_id)
            st.n_matches -= 1

    def _remember(self, key: Pair, ps: PairScore, extra: bool = False) -> None:
        st = self._state
        assert st is not None
        (st.extra if extra else st.pairs)[key] = ps
        a, b = key
        st.adj.setdefault(a, set()).add(b)
        st.adj.setdefault(b, set()).add(a)
        if ps.match and not extra and b not in st.matches.get(a, ()):
            st.matches.setdefault(a, set()).add(b)
            st.matches.setdefault(b, set()).add(a)
            st.n_matches += 1

    def _score_blocks(self, blocks: dict[tuple, list[str]], probe: set[str] | None) -> int:
        """Fully score the candidate pairs of ``blocks`` (see ``candidates``) that are worth it:
        no cheap veto, and a title over the threshold or still a chance without one (a link, the
        same start and place, or English words whose translation may be the other title). With
        ``probe``, only pairs with a probe record. Keeps matches and near misses; returns the number
        of candidate pairs."""
        st = self._state
        assert st is not None
        feats = st.feats
        threshold = self.settings.title_threshold
        found = candidate_pairs(blocks, feats, self.scorer, self.settings, probe)
        scorer, keep = self.scorer, self.settings.explain_min_score
        for (a, b), title in found.items():
            fa, fb = feats[a], feats[b]
            if scorer.vetoed(fa, fb) or (title < threshold and not (fa.translated or fb.translated)
                                         and not scorer.worth_scoring(fa, fb)):
                continue
            ps = scorer.score(fa, fb, title)
            if ps.match or (ps.veto is None and ps.score >= keep):
                self._remember((a, b), ps)
        return len(found)

    def _pair(self, a: str, b: str) -> PairScore:
        """The stored score of a pair, or score it now (kept for later calls)."""
        st = self._state
        assert st is not None
        key = pair_key(a, b)
        ps = st.pairs.get(key) or st.extra.get(key)
        if ps is None:
            ps = self.scorer.score(st.feats[key[0]], st.feats[key[1]])
            self._remember(key, ps, extra=True)
        return ps

    # -- clustering ------------------------------------------------------------------------
    def _recluster(
        self, area: set[str], prev: dict[str, str], ov: Overrides, removed: Iterable[str] = ()
    ) -> ClusterResult:
        """Cluster the records of ``area`` (a union of whole match groups), give the clusters
        stable ids, and refresh the decisions touching them."""
        st = self._state
        assert st is not None
        edges = []
        for a in area:
            for b in st.matches.get(a, ()):
                if a < b:
                    edges.append((st.pairs[(a, b)].score, a, b))
        clustering = greedy_complete_linkage(
            sorted(area), edges, lambda x, y: self.scorer.compatible(self._pair(x, y)), ov
        )
        clusters = sorted(clustering.clusters, key=lambda m: m[0])
        taken = set(prev.values())
        ids = assign_ids(clusters, prev, taken)

        assign = st.assign
        for item_id in (*area, *removed):
            cid = assign.pop(item_id, None)
            if cid is not None:
                st.members.pop(cid, None)
        for cid, members in zip(ids, clusters):
            st.members[cid] = members
            for m in members:
                assign[m] = cid

        self._refresh_decisions(area, clusters, clustering, ov)
        stats = {"clusters": len(st.members), "kept_pairs": len(st.pairs), "matches": st.n_matches}
        return ClusterResult(dict(assign), list(st.decisions.values()), stats)

    def _refresh_decisions(
        self, area: set[str], clusters: list[list[str]], clustering, ov: Overrides
    ) -> None:
        st = self._state
        assert st is not None
        for a, b in (*ov.must, *ov.cannot):
            if a in st.records and b in st.records:
                self._pair(a, b)
        for members in clusters:
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    self._pair(a, b)
        must = set(ov.must)
        for a in area:
            for b in st.adj.get(a, ()):
                if b < a and b in area:
                    continue
                key = pair_key(a, b)
                in_pairs = key in st.pairs
                same = st.assign[a] == st.assign[b]
                if not in_pairs and not same and key not in must and key not in ov.cannot:
                    st.decisions.pop(key, None)
                    continue
                ps = st.pairs[key] if in_pairs else st.extra[key]
                st.decisions[key] = build_decision(
                    key, ps, same, clustering, ov, must, self.settings
                )
