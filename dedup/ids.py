"""Stable cluster ids across runs.

A cluster inherits the id of the previous cluster it shares the most members with; each previous
id goes to one cluster at most (largest overlap first; ties go to the previous cluster that keeps
the larger share of its members, then the smaller id, then the new cluster with the smaller first
member). A cluster that inherits nothing gets ``"c-"`` + 16 hex of sha1 of its smallest member id,
salted (``"#1"``, ``"#2"``...) if that id was ever in ``previous`` or is already given out: a
retired or living id is never reused for another cluster.
"""

from __future__ import annotations

import hashlib
from collections import Counter


def new_cluster_id(first_member: str, salt: int = 0) -> str:
    """The deterministic id of a new cluster whose smallest member id is ``first_member``."""
    seed = first_member if salt == 0 else f"{first_member}#{salt}"
    return "c-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:16]


def assign_ids(clusters: list[list[str]], previous: dict[str, str], taken: set[str]) -> list[str]:
    """Ids for ``clusters`` (each a sorted member list), in the same order.

    ``previous`` maps item ids to last run's cluster ids (only members of ``clusters`` matter);
    ``taken`` holds every id that must not be minted anew (all of last run's ids).
    """
    prev_size = Counter(previous[m] for c in clusters for m in c if m in previous)
    candidates = []
    for i, members in enumerate(clusters):
        overlap = Counter(previous[m] for m in members if m in previous)
        for pid, n in overlap.items():
            candidates.append((-n, -n / prev_size[pid], pid, members[0], i))
    candidates.sort()
    ids: list[str | None] = [None] * len(clusters)
    used: set[str] = set()
    for _, _, pid, _, i in candidates:
        if ids[i] is None and pid not in used:
            ids[i] = pid
            used.add(pid)
    for i in sorted(range(len(clusters)), key=lambda k: clusters[k][0]):
        if ids[i] is None:
            salt = 0
            cid = new_cluster_id(clusters[i][0])
            while cid in taken or cid in used:
                salt += 1
                cid = new_cluster_id(clusters[i][0], salt)
            ids[i] = cid
            used.add(cid)
    return ids  # type: ignore[return-value]
