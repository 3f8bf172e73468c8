"""Clustering matched pairs without chaining, and the operator overrides.

Greedy complete-linkage: match edges are taken strongest first; an edge joins the clusters of its
two records only if every record of the one is *compatible* with every record of the other (no
veto, combined score >= ``compatible_threshold``). So A~B and B~C never pull A and C together when
A and C are not compatible: the cluster is checked as a whole, not pair by pair. Clusters only
grow, and a merge depends only on the two clusters involved, so the result for one connected
group of matches does not depend on any other group (what makes incremental runs exact).

Operator overrides (kept across runs by the caller, applied in their order):

* ``("split", item, None)``: the item stands alone; no automatic match joins it to anything.
* ``("split", a, b)``: ``a`` and ``b`` are never in one cluster automatically.
* ``("merge", a, b)``: the clusters of ``a`` and ``b`` become one, whatever the scores (also for
  records of the same source). A later split of either item cancels it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


@dataclass
class Overrides:
    """Operator decisions, resolved in their order."""

    alone: set[str] = field(default_factory=set)
    cannot: set[tuple[str, str]] = field(default_factory=set)
    must: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def parse(cls, overrides: Iterable[tuple[str, str, str | None]]) -> Overrides:
        """Resolve ``(action, item_a, item_b)`` tuples; ``ValueError`` on an unknown action."""
        out = cls()
        for action, a, b in overrides:
            if action == "split" and b is None:
                out.alone.add(a)
                out.must = [m for m in out.must if a not in m]
            elif action == "split":
                key = pair_key(a, b)
                out.cannot.add(key)
                out.must = [m for m in out.must if pair_key(*m) != key]
            elif action == "merge" and b is not None:
                out.must.append(pair_key(a, b))
                out.cannot.discard(pair_key(a, b))
            else:
                raise ValueError(
                    f"unknown dedup override {(action, a, b)!r}: use ('split', id, None), "
                    "('split', a, b) or ('merge', a, b)"
                )
        return out

    def items(self) -> set[str]:
        """Every item an override names."""
        out = set(self.alone)
        for a, b in (*self.cannot, *self.must):
            out.update((a, b))
        return out

    def must_adjacency(self) -> dict[str, set[str]]:
        adj: dict[str, set[str]] = {}
        for a, b in self.must:
            adj.setdefault(a, set()).add(b)
            adj.setdefault(b, set()).add(a)
        return adj


@dataclass
class Clustering:
    """Final clusters, the automatic clusters before operator merges, and the rejected matches."""

    clusters: list[list[str]]
    auto_root: dict[str, str]
    """item -> a representative of its automatic cluster (before operator merges); items
    alone in their automatic cluster are not listed."""
    rejected: dict[tuple[str, str], tuple[str, str]]
    """A match edge that could not join its clusters -> the first incompatible pair found."""


def greedy_complete_linkage(
    nodes: Iterable[str],
    edges: Iterable[tuple[float, str, str]],
    compatible: Callable[[str, str], bool],
    overrides: Overrides,
) -> Clustering:
    """Cluster ``nodes`` along match ``edges`` (score, a, b), strongest first (ties by ids)."""
    nodes = list(nodes)
    known = set(nodes)
    root: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    rejected: dict[tuple[str, str], tuple[str, str]] = {}

    def union(ra: str, rb: str) -> None:
        group_a = members.setdefault(ra, [ra])
        group_b = members.pop(rb, None) or [rb]
        for n in group_b:
            root[n] = ra
        group_a.extend(group_b)

    for _, a, b in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
        if a in overrides.alone or b in overrides.alone:
            continue
        ra, rb = root.get(a, a), root.get(b, b)
        if ra == rb:
            continue
        ma, mb = members.get(ra, [ra]), members.get(rb, [rb])
        conflict = _first_conflict(ma, mb, compatible, overrides.cannot)
        if conflict:
            rejected[pair_key(a, b)] = conflict
            continue
        if len(ma) < len(mb) or (len(ma) == len(mb) and rb < ra):
            ra, rb = rb, ra
        union(ra, rb)
    auto_root = dict(root)

    # operator merges: union whole clusters, in order
    for a, b in overrides.must:
        if a not in known or b not in known:
            continue
        ra, rb = root.get(a, a), root.get(b, b)
        if ra == rb:
            continue
        if rb < ra:
            ra, rb = rb, ra
        union(ra, rb)
    clusters = [sorted(m) for m in members.values()]
    clusters.extend([n] for n in nodes if n not in root and n not in members)
    return Clustering(clusters, auto_root, rejected)


def _first_conflict(
    xs: list[str],
    ys: list[str],
    compatible: Callable[[str, str], bool],
    cannot: set[tuple[str, str]],
) -> tuple[str, str] | None:
    ys = sorted(ys)
    for x in sorted(xs):
        for y in ys:
            key = pair_key(x, y)
            if key in cannot or not compatible(*key):
                return key
    return None
