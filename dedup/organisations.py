"""Organisations and initiatives across all sources: one record per organisation, however named.

Input is a list of :class:`Mention`: an item's ``organizer`` (role ``organizer``), or an item that
*is* an organisation (a buurtnetwerk or initiative record: role ``self``, with its website and
address). :func:`cluster_organisations` groups mentions that name the same organisation:

- the same name once legal forms and filler words are dropped (``dedup.text.normalize_organizer``:
  "Stichting Buurtplatform Malberg" = "Buurtplatform Malberg"; accents, case, "&" folded);
- the same website (host without ``www.``, path without trailing slash; a shared platform host
  such as a Facebook page needs the same path);
- a near-identical name (rapidfuzz ``token_sort_ratio`` >= ``NAME_RATIO``), or a similar one
  (>= ``ADDRESS_RATIO``) at the same address (postcode + house number);

never when the two names name different buurten or wijk places ("Buurtnetwerk Malberg" is not
"Buurtnetwerk Caberg") or carry different numbers, and a similar (not the same) name never joins
an organisation with another website. An organisation's id is a UUID (v5) of its canonical key, stable across runs while its
most used name stays the same; its name is the one its own record uses, else the most used
spelling (ties: the longest, which keeps "Stichting").
"""

from __future__ import annotations

import re
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from .text import fold, normalize_organizer, place_mask, vocabulary

NAME_RATIO = 92
"""Names this similar (token sort ratio, 0-100) are one organisation."""
ADDRESS_RATIO = 80
"""Names this similar at the same address are one organisation."""
NAMESPACE = uuid.UUID("6f1c2d1e-54b1-4b7b-9a43-7d0a2b0c1313")
"""UUID namespace of organisation ids (HSDS wants UUIDs)."""
#: Hosts on which many organisations have a page: the path tells them apart, the host does not.
SHARED_HOSTS = frozenset({"facebook.com", "instagram.com", "linkedin.com", "twitter.com", "x.com",
                          "youtube.com", "linktr.ee", "sites.google.com", "wordpress.com"})
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Mention:
    """One item naming an organisation."""

    name: str
    item_id: str
    source_id: str
    role: str = "organizer"
    """``organizer`` (the item's organiser) or ``self`` (the item is the organisation's own record)."""
    website: str | None = None
    address: str | None = None
    postcode: str | None = None
    housenumber: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    buurt_code: str | None = None
    buurt_name: str | None = None
    wijk_code: str | None = None
    description: str | None = None


@dataclass(slots=True)
class Organisation:
    """One organisation or initiative, with every mention of it."""

    id: str
    key: str
    name: str
    alternate_names: list[str]
    website: str | None
    description: str | None
    address: str | None
    postcode: str | None
    city: str | None
    lat: float | None
    lon: float | None
    buurt_code: str | None
    buurt_name: str | None
    wijk_code: str | None
    source_ids: list[str]
    mentions: list[Mention] = field(default_factory=list)


def name_key(name: str) -> str:
    """The matching key of an organisation name (legal forms and filler words dropped)."""
    return normalize_organizer(name)


def website_key(url: str | None) -> str | None:
    """``https://www.Buurtplatform-Malberg.nl/`` -> ``buurtplatform-malberg.nl``; a page on an
    umbrella site keeps its path (``trajekt.nl/buurtnetwerk-malberg``); a shared platform's bare
    home page (``facebook.com``) and anything not http(s) is None."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    rest = url.split("://", 1)[1].split("#", 1)[0].split("?", 1)[0]
    host, _, path = rest.partition("/")
    host = host.lower().rsplit("@", 1)[-1].split(":", 1)[0].removeprefix("www.")
    if not host:
        return None
    path = path.strip("/").lower()
    if host in SHARED_HOSTS and not path:
        return None
    return f"{host}/{path}" if path else host


def address_key(m: Mention) -> str | None:
    if m.postcode and m.housenumber:
        return f"{m.postcode.replace(' ', '').upper()} {m.housenumber.upper()}"
    return None


class _Union:
    """Union-find whose groups carry their websites: two groups with different sites never join."""

    def __init__(self, sites: list[set[str]]):
        self.parent = list(range(len(sites)))
        self.sites = [set(s) for s in sites]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.sites[ra] and self.sites[rb] and not (self.sites[ra] & self.sites[rb]):
            return False  # two organisations with their own, different websites
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        self.sites[keep] |= self.sites[gone]
        return True


def _compatible(a: str, b: str, ma: int | None = None, mb: int | None = None) -> bool:
    """Names that may be one organisation: no different places, no different numbers."""
    vocab = vocabulary()
    ma = place_mask(a.split(), vocab) if ma is None else ma
    mb = place_mask(b.split(), vocab) if mb is None else mb
    if ma and mb and ma != mb:
        return False
    if (ma or mb) and not (ma and mb):
        return False  # "Buurtnetwerk" alone is not "Buurtnetwerk Malberg"
    return set(_NUMBER.findall(a)) == set(_NUMBER.findall(b))


def cluster_organisations(mentions: list[Mention]) -> list[Organisation]:
    """Group mentions into organisations (see the module docstring); sorted by name."""
    mentions = [m for m in mentions if m.name and name_key(m.name)]
    # one group per distinct name key first: most mentions share their spelling
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_key[name_key(m.name)].append(m)
    keys = sorted(by_key)
    idx = {k: i for i, k in enumerate(keys)}
    sites: list[set[str]] = [set() for _ in keys]
    addrs: list[set[str]] = [set() for _ in keys]
    for k in keys:
        for m in by_key[k]:
            w = website_key(m.website)
            if w:
                sites[idx[k]].add(w)
            a = address_key(m)
            if a:
                addrs[idx[k]].add(a)
    uf = _Union(sites)
    # the same website: one organisation, unless the names name different places
    owner: dict[str, int] = {}
    for i in range(len(keys)):
        for w in sorted(sites[i]):
            if w in owner and _compatible(keys[i], keys[owner[w]]):
                uf.union(i, owner[w])
            owner.setdefault(w, i)
    # similar names (a blocking key on the first letters keeps this cheap on large directories)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        blocks[k[:2]].append(i)
        if " " in k:
            blocks[k.split()[-1][:4] + "$"].append(i)
    masks = [place_mask(k.split(), vocabulary()) for k in keys]
    for members in blocks.values():
        if len(members) < 2:
            continue
        block = [keys[i] for i in members]
        # one rapidfuzz matrix per block; scores under ADDRESS_RATIO come back as 0
        scores = process.cdist(block, block, scorer=fuzz.token_sort_ratio, score_cutoff=ADDRESS_RATIO,
                               dtype=np.uint8)
        for x, y in zip(*np.nonzero(np.triu(scores, k=1))):
            i, j = members[x], members[y]
            ratio = int(scores[x, y])
            if not (ratio >= NAME_RATIO or addrs[i] & addrs[j]):
                continue
            if uf.find(i) == uf.find(j) or not _compatible(keys[i], keys[j], masks[i], masks[j]):
                continue
            uf.union(i, j)
    groups: dict[int, list[Mention]] = defaultdict(list)
    for k in keys:
        groups[uf.find(idx[k])].extend(by_key[k])
    orgs = [_organisation(ms) for ms in groups.values()]
    return sorted(orgs, key=lambda o: (fold(o.name), o.id))


def _organisation(ms: list[Mention]) -> Organisation:
    spellings = Counter(" ".join(m.name.split()) for m in ms)
    own_names = {" ".join(m.name.split()) for m in ms if m.role == "self"}
    name = max(spellings, key=lambda s: (s in own_names, spellings[s], len(s), s))
    key_counts = Counter(name_key(m.name) for m in ms)
    key = max(key_counts, key=lambda k: (key_counts[k], len(k), k))
    own = [m for m in ms if m.role == "self"]
    placed = sorted(own, key=lambda m: (m.postcode is None, m.lat is None, m.item_id))
    site = next((m.website for m in sorted(ms, key=lambda m: (m.role != "self", m.item_id)) if website_key(m.website)), None)
    where = placed[0] if placed and (placed[0].address or placed[0].postcode or placed[0].buurt_code) else None
    description = next((m.description for m in sorted(own, key=lambda m: m.item_id) if m.description), None)
    alternates = sorted(s for s in spellings if s != name)
    return Organisation(
        id=str(uuid.uuid5(NAMESPACE, key)), key=key, name=name, alternate_names=alternates, website=site,
        description=description,
        address=where.address if where else None, postcode=where.postcode if where else None,
        city=where.city if where else None, lat=where.lat if where else None, lon=where.lon if where else None,
        buurt_code=where.buurt_code if where else None, buurt_name=where.buurt_name if where else None,
        wijk_code=where.wijk_code if where else None,
        source_ids=sorted({m.source_id for m in ms}), mentions=sorted(ms, key=lambda m: (m.item_id, m.role)),
    )
