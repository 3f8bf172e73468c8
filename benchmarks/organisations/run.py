"""Organisation directory: clustering speed and accuracy on synthetic mentions with known truth.

    python -m tim.benchmarks.organisations.run [--orgs 2000] [--seed 13]

Builds ``--orgs`` organisations from Maastricht-like name parts (a type word, a buurt or a theme,
sometimes a number), then mentions of each from up to five sources with the variants real sources
produce: a "Stichting"/"Vereniging" prefix, case, accents dropped, "&" for "en", a one-letter
typo, a website on some self records. Look-alikes share words but differ in buurt or number, so
merging them is an error. Prints the pairwise precision and recall against the truth and the time
of ``cluster_organisations`` against a baseline measured in the same run (grouping by the exact
normalised name only).
"""

from __future__ import annotations

import argparse
import random
import time
import unicodedata
from collections import defaultdict
from itertools import combinations

from tim.dedup.organisations import Mention, cluster_organisations, name_key

TYPES = ["Buurtnetwerk", "Bewonersplatform", "Buurtcentrum", "Repair Café", "Taalcafé", "Speeltuinvereniging",
         "Harmonie", "Wijkraad", "Buurtmoestuin", "Voedselbank", "Scouting", "Zangkoor", "Seniorenclub"]
PLACES = ["Malberg", "Caberg", "Mariaberg", "Wyck", "Heer", "Amby", "Scharn", "Belfort", "Daalhof", "Limmel",
          "Nazareth", "Wittevrouwenveld", "Borgharen", "Itteren", "Heugem", "Randwyck", "Pottenberg", "Biesland",
          "Jekerkwartier", "Boschpoort"]
THEMES = ["De Zonnebloem", "Sint-Cecilia", "Het Anker", "De Toekomst", "Samen Sterk", "Groen Doen", "De Brug"]


def make_world(n: int, rng: random.Random) -> tuple[list[Mention], dict[str, int]]:
    names: list[str] = []
    seen = set()
    while len(names) < n:
        t = rng.choice(TYPES)
        tail = rng.choice(PLACES) if rng.random() < 0.7 else rng.choice(THEMES)
        name = f"{t} {tail}" + (f" {rng.randint(1, 40)}" if rng.random() < 0.15 else "")
        if name_key(name) not in seen:
            seen.add(name_key(name))
            names.append(name)
    mentions, truth = [], {}
    for org, name in enumerate(names):
        for k in range(rng.randint(1, 6)):
            variant = name
            r = rng.random()
            if r < 0.2:
                variant = "Stichting " + variant
            elif r < 0.3:
                variant = variant.upper()
            elif r < 0.4:
                variant = "".join(c for c in unicodedata.normalize("NFKD", variant) if not unicodedata.combining(c))
            elif r < 0.45 and len(variant) > 12:  # a typo: one letter doubled
                i = rng.randint(4, len(variant) - 2)
                variant = variant[:i] + variant[i] + variant[i:]
            item = f"i{org}-{k}"
            self_record = k == 0 and rng.random() < 0.4
            site = f"https://www.org{org}.example/" if self_record and rng.random() < 0.7 else None
            mentions.append(Mention(variant, item, f"s{k % 5}", role="self" if self_record else "organizer",
                                    website=site))
            truth[item] = org
    rng.shuffle(mentions)
    return mentions, truth


def pairs(groups: list[list[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in combinations(g, 2)}


def baseline(mentions: list[Mention]) -> list[list[str]]:
    by: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        by[name_key(m.name)].append(m.item_id)
    return list(by.values())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orgs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    mentions, truth = make_world(args.orgs, rng)
    by_org: dict[int, list[str]] = defaultdict(list)
    for item, org in truth.items():
        by_org[org].append(item)
    true_pairs = pairs(list(by_org.values()))

    t0 = time.perf_counter()
    base = baseline(mentions)
    t_base = time.perf_counter() - t0
    t0 = time.perf_counter()
    orgs = cluster_organisations(mentions)
    t_full = time.perf_counter() - t0
    found = pairs([[m.item_id for m in o.mentions] for o in orgs])
    base_pairs = pairs(base)

    def pr(p: set) -> tuple[float, float]:
        tp = len(p & true_pairs)
        return (tp / len(p) if p else 1.0), (tp / len(true_pairs) if true_pairs else 1.0)

    p_full, r_full = pr(found)
    p_base, r_base = pr(base_pairs)
    print(f"mentions: {len(mentions)}  true organisations: {args.orgs}")
    print(f"baseline (exact normalised name): {len(base)} groups, precision {p_base:.3f}, recall {r_base:.3f}, "
          f"{t_base * 1000:.1f} ms")
    print(f"cluster_organisations:            {len(orgs)} groups, precision {p_full:.3f}, recall {r_full:.3f}, "
          f"{t_full * 1000:.1f} ms ({t_full / max(t_base, 1e-9):.0f}x the baseline, "
          f"{len(mentions) / t_full:.0f} mentions/s)")


if __name__ == "__main__":
    main()
