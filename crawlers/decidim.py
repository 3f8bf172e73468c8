"""``decidim``: a Decidim participation platform through its public GraphQL API (``url`` is the
``/api`` endpoint).

Follows the schema published in decidim/decidim: ``participatoryProcesses`` with their
``components``; per ``Proposals``/``Meetings`` component, ``component(id:)`` paged by Relay
``first``/``after`` until ``pageInfo.hasNextPage`` is false. Only fields present since Decidim
0.27 are asked, so older instances answer too. Processes and proposals become ``participation``
records, meetings ``event`` records (raw field ``kind``). Rich-text fields come back as HTML and
are passed on raw in ``description``; normalisers sanitise.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from tim.errors import SourceError
from tim.records import RawRecord

from .base import Crawler
from .paths import MAX_DEPTH, depth

log = logging.getLogger(__name__)

LOCALE = "nl"
#: Fallback order when the Dutch text is missing.
FALLBACK_LOCALES = ("nl", "en")
PAGE_SIZE = 50

_T = "fragment T on TranslatedField { translation(locale: $locale) translations { locale text } }"

PROCESSES_QUERY = """query TimProcesses($locale: String!) {
  participatoryProcesses {
    id slug title { ...T } shortDescription { ...T } description { ...T } startDate endDate
    components { id __typename name { ...T } }
  }
}
""" + _T

COMPONENT_QUERY = """query TimComponent($id: ID!, $first: Int!, $after: String, $locale: String!) {
  component(id: $id) {
    id __typename
    ... on Proposals {
      proposals(first: $first, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { node { id title { ...T } body { ...T } address coordinates { latitude longitude }
                       publishedAt state } }
      }
    }
    ... on Meetings {
      meetings(first: $first, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { node { id title { ...T } description { ...T } startTime endTime address
                       location { ...T } coordinates { latitude longitude } } }
      }
    }
  }
}
""" + _T


def text(field: dict | None) -> str | None:
    """The Dutch text of a TranslatedField, else English, else any non-empty translation."""
    if not field:
        return None
    if field.get("translation"):
        return field["translation"]
    found = {t.get("locale"): t.get("text") for t in field.get("translations") or [] if t and t.get("text")}
    for locale in FALLBACK_LOCALES:
        if found.get(locale):
            return found[locale]
    return next(iter(found.values()), None)


def _coords(fields: dict, coords: dict | None) -> None:
    if coords and coords.get("latitude") is not None and coords.get("longitude") is not None:
        fields["lat"], fields["lon"] = coords["latitude"], coords["longitude"]


def _clean(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if v not in (None, "", [])}


class DecidimCrawler(Crawler):
    """Processes, then each proposals/meetings component page by page."""

    kind = "decidim"

    def __init__(self, source, http):
        super().__init__(source, http)
        self.base = source.url.rstrip("/").removesuffix("/api")
        self.requests = 0
        self.taken = 0

    def query(self, query: str, variables: dict[str, Any]) -> dict:
        """POST one GraphQL query; ``data`` or a SourceError with the API's messages."""
        if self.requests >= self.source.max_pages:
            raise _Stop
        self.requests += 1
        resp = self.http.fetch(self.source.url, method="POST",
                               json={"query": query, "variables": variables},
                               headers={"Accept": "application/json"})
        try:
            body = resp.json()
        except RecursionError as exc:
            raise SourceError(self.source.id, f"{resp.url}: GraphQL answer nested too deeply") from exc
        except ValueError as exc:
            raise SourceError(self.source.id, f"{resp.url}: GraphQL answer is not JSON") from exc
        if depth(body) > MAX_DEPTH:
            raise SourceError(self.source.id, f"{resp.url}: GraphQL answer nested deeper than {MAX_DEPTH}")
        errors = body.get("errors") if isinstance(body, dict) else None
        data = body.get("data") if isinstance(body, dict) else None
        if errors:
            errors = errors if isinstance(errors, list) else [errors]
            messages = "; ".join(str(e.get("message", e) if isinstance(e, dict) else e) for e in errors[:3])
            if not data:
                raise SourceError(self.source.id, f"{resp.url}: GraphQL errors: {messages}")
            log.warning("partial GraphQL answer source=%s: %s", self.source.id, messages)
        return data or {}

    def crawl(self) -> Iterator[RawRecord]:
        try:
            yield from self._crawl()
        except _Stop:
            self.complete = False

    def _take(self) -> bool:
        if self.taken >= self.source.max_items:
            self.complete = False
            raise _Stop
        self.taken += 1
        return True

    def _crawl(self) -> Iterator[RawRecord]:
        data = self.query(PROCESSES_QUERY, {"locale": LOCALE})
        processes = data.get("participatoryProcesses")
        if not isinstance(processes, list):
            raise SourceError(self.source.id, f"{self.source.url}: no participatoryProcesses in answer")
        for proc in filter(None, processes):
            url = f"{self.base}/processes/{proc['slug']}"
            self._take()
            fields = _clean({
                "id": f"process/{proc['id']}", "kind": "participation", "title": text(proc.get("title")),
                "description": text(proc.get("description")) or text(proc.get("shortDescription")),
                "url": url, "starts_at": proc.get("startDate"), "ends_at": proc.get("endDate"),
            })
            yield self.record(fields["id"], fields, self.source.url, proc)
            for comp in filter(None, proc.get("components") or []):
                if comp.get("__typename") in ("Proposals", "Meetings"):
                    yield from self._component(comp, url)

    def _component(self, comp: dict, process_url: str) -> Iterator[RawRecord]:
        typename = comp["__typename"]
        field, after = typename.lower(), None
        while True:
            data = self.query(COMPONENT_QUERY, {"id": comp["id"], "first": PAGE_SIZE,
                                                "after": after, "locale": LOCALE})
            conn = (data.get("component") or {}).get(field) or {}
            for edge in conn.get("edges") or []:
                node = (edge or {}).get("node")
                if node:
                    self._take()
                    fields = self._node(typename, node, f"{process_url}/f/{comp['id']}/{field}/{node['id']}")
                    yield self.record(fields["id"], fields, self.source.url, node)
            info = conn.get("pageInfo") or {}
            if not info.get("hasNextPage") or not info.get("endCursor") or info["endCursor"] == after:
                return
            after = info["endCursor"]

    @staticmethod
    def _node(typename: str, node: dict, url: str) -> dict:
        if typename == "Proposals":
            fields = {"id": f"proposal/{node['id']}", "kind": "participation",
                      "title": text(node.get("title")), "description": text(node.get("body")),
                      "url": url, "address": node.get("address"), "published_at": node.get("publishedAt")}
        else:
            fields = {"id": f"meeting/{node['id']}", "kind": "event", "title": text(node.get("title")),
                      "description": text(node.get("description")), "url": url,
                      "starts_at": node.get("startTime"), "ends_at": node.get("endTime"),
                      "address": node.get("address"), "location_name": text(node.get("location"))}
        _coords(fields, node.get("coordinates"))
        return _clean(fields)


class _Stop(Exception):
    """Internal: ``max_pages`` or ``max_items`` reached."""
