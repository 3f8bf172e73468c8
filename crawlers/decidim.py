"""``decidim``: a Decidim participation platform through its public GraphQL API (``url`` is the
``/api`` endpoint).

Follows the schema published in decidim/decidim. The Query type has one list field per
participatory space manifest (``participatoryProcesses``, ``assemblies``, and where installed
``conferences``, ``initiatives``); the crawler asks the schema (introspection) which of them this
instance lists and which optional fields its space, meeting and proposal types have, so a 0.27
instance and a current one both answer. Without introspection it reads ``participatoryProcesses``
with the fields every version has. Per space, each ``Proposals``/``Meetings`` component is read with
``component(id:)``, paged by Relay ``first``/``after`` until ``pageInfo.hasNextPage`` is false.

Spaces and proposals become ``participation`` records, meetings ``event`` records (raw field
``kind``). A meeting's own ``url`` is used where the type has it (else the component path). Withdrawn
meetings and proposals (``withdrawn``, or a 0.27 proposal's ``state`` ``"withdrawn"``) are skipped. A
meeting whose ``typeOfMeeting`` is ``online`` is an online record (raw field ``online``: never
placed); a ``hybrid`` one keeps its address. Rich-text fields come back as HTML and are passed on
raw in ``description``; normalisers sanitise.
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

#: Space list field -> (record id prefix, URL path) when the schema cannot be asked.
SPACE_PATHS = {
    "ParticipatoryProcess": ("process", "processes"),
    "Assembly": ("assembly", "assemblies"),
    "Conference": ("conference", "conferences"),
    "Initiative": ("initiative", "initiatives"),
}
#: Fields asked of a space when its type has them (``id``, ``title`` and ``components`` always).
SPACE_FIELDS = ("slug", "url", "shortDescription", "description", "startDate", "endDate", "publishedAt")
_TRANSLATED = frozenset({"title", "shortDescription", "description", "body", "location"})
#: Fields asked of a meeting / proposal when the type has them, besides those of every version.
MEETING_OPTIONAL = ("url", "typeOfMeeting", "withdrawn")
PROPOSAL_OPTIONAL = ("withdrawn",)

SHAPE_QUERY = """query TimShape {
  query: __type(name: "Query") { fields { name type { kind name ofType { kind name } } } }
  spaces: __type(name: "ParticipatorySpaceInterface") { possibleTypes { name } }
  meeting: __type(name: "Meeting") { fields { name } }
  proposal: __type(name: "Proposal") { fields { name } }
}"""


def _field_list(names) -> str:
    return " ".join(f"{n} {{ ...T }}" if n in _TRANSLATED else n for n in names)


def spaces_query(field: str, fields: tuple[str, ...]) -> str:
    """The query of one space list field, asking ``fields`` besides id, title and components."""
    return (f"query TimSpaces($locale: String!) {{\n  {field} {{\n    id title {{ ...T }} {_field_list(fields)}\n"
            "    components { id __typename name { ...T } }\n  }\n}\n" + _T)


def component_query(meeting_extra: tuple[str, ...] = (), proposal_extra: tuple[str, ...] = ()) -> str:
    """The component query, with the optional meeting/proposal fields the instance has."""
    return ("""query TimComponent($id: ID!, $first: Int!, $after: String, $locale: String!) {
  component(id: $id) {
    id __typename
    ... on Proposals {
      proposals(first: $first, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { node { id title { ...T } body { ...T } address coordinates { latitude longitude }
                       publishedAt state """ + " ".join(proposal_extra) + """ } }
      }
    }
    ... on Meetings {
      meetings(first: $first, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { node { id title { ...T } description { ...T } startTime endTime address
                       location { ...T } coordinates { latitude longitude } """ + " ".join(meeting_extra) + """ } }
      }
    }
  }
}
""" + _T)


PROCESSES_QUERY = spaces_query("participatoryProcesses", ("slug", "shortDescription", "description",
                                                          "startDate", "endDate"))
COMPONENT_QUERY = component_query()


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
    """Each participatory space the API lists, then its proposals/meetings components page by page."""

    kind = "decidim"

    def __init__(self, source, http):
        super().__init__(source, http)
        self.base = source.url.rstrip("/").removesuffix("/api")
        self.requests = 0
        self.taken = 0

    def query(self, query: str, variables: dict[str, Any], *, soft: bool = False) -> dict:
        """POST one GraphQL query; ``data`` or a SourceError with the API's messages (``soft``:
        ``_GraphQLErrors`` instead, for a question the instance may refuse)."""
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
                if soft:
                    raise _GraphQLErrors(messages)
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

    def shape(self) -> dict | None:
        """What this instance's schema offers (introspection), or None when it does not answer."""
        try:
            data = self.query(SHAPE_QUERY, {}, soft=True)
        except _GraphQLErrors:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("query"), dict):
            return None
        space_types = {t.get("name") for t in (data.get("spaces") or {}).get("possibleTypes") or [] if t}
        lists: list[tuple[str, str]] = []
        for f in data["query"].get("fields") or []:
            t = (f or {}).get("type") or {}
            inner = t.get("ofType") or {}
            if t.get("kind") == "LIST" and inner.get("name") in space_types:
                lists.append((f["name"], inner["name"]))
        if not lists:
            return None
        lists.sort(key=lambda x: (x[0] != "participatoryProcesses", x[0]))  # processes first, as before

        def names(key: str) -> set[str]:
            return {f.get("name") for f in (data.get(key) or {}).get("fields") or [] if f}

        # which optional fields each space type has: one more (aliased) introspection query
        aliases = " ".join(f't{i}: __type(name: "{tn}") {{ fields {{ name }} }}' for i, (_f, tn) in enumerate(lists))
        try:
            types = self.query(f"query TimSpaceTypes {{ {aliases} }}", {}, soft=True)
        except _GraphQLErrors:
            types = {}
        spaces = []
        for i, (field, typename) in enumerate(lists):
            have = {f.get("name") for f in ((types or {}).get(f"t{i}") or {}).get("fields") or [] if f}
            spaces.append((field, typename, tuple(n for n in SPACE_FIELDS if n in have) if have else ("slug",)))
        return {"spaces": spaces,
                "meeting": tuple(n for n in MEETING_OPTIONAL if n in names("meeting")),
                "proposal": tuple(n for n in PROPOSAL_OPTIONAL if n in names("proposal"))}

    def _crawl(self) -> Iterator[RawRecord]:
        shape = self.shape()
        if shape is None:
            shape = {"spaces": [("participatoryProcesses", "ParticipatoryProcess",
                                 ("slug", "shortDescription", "description", "startDate", "endDate"))],
                     "meeting": (), "proposal": ()}
        self.component_query = component_query(shape["meeting"], shape["proposal"])
        for field, typename, fields in shape["spaces"]:
            data = self.query(spaces_query(field, fields), {"locale": LOCALE})
            spaces = data.get(field)
            if not isinstance(spaces, list):
                raise SourceError(self.source.id, f"{self.source.url}: no {field} in answer")
            prefix, path = SPACE_PATHS.get(typename, (typename.lower(), field.lower()))
            for space in filter(None, spaces):
                url = space.get("url") or (f"{self.base}/{path}/{space['slug']}" if space.get("slug")
                                           else f"{self.base}/{path}/{space['id']}")
                self._take()
                fields_ = _clean({
                    "id": f"{prefix}/{space['id']}", "kind": "participation", "title": text(space.get("title")),
                    "description": text(space.get("description")) or text(space.get("shortDescription")),
                    "url": url, "starts_at": space.get("startDate"), "ends_at": space.get("endDate"),
                    "published_at": space.get("publishedAt"),
                })
                yield self.record(fields_["id"], fields_, self.source.url, space)
                for comp in filter(None, space.get("components") or []):
                    if comp.get("__typename") in ("Proposals", "Meetings"):
                        yield from self._component(comp, url)

    def _component(self, comp: dict, space_url: str) -> Iterator[RawRecord]:
        typename = comp["__typename"]
        field, after = typename.lower(), None
        while True:
            data = self.query(self.component_query, {"id": comp["id"], "first": PAGE_SIZE,
                                                     "after": after, "locale": LOCALE})
            conn = (data.get("component") or {}).get(field) or {}
            for edge in conn.get("edges") or []:
                node = (edge or {}).get("node")
                if not node or _withdrawn(node):
                    continue
                self._take()
                fields = self._node(typename, node, f"{space_url}/f/{comp['id']}/{field}/{node['id']}")
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
                      "description": text(node.get("description")),
                      "url": node.get("url") if isinstance(node.get("url"), str) and node.get("url") else url,
                      "starts_at": node.get("startTime"), "ends_at": node.get("endTime")}
            if (node.get("typeOfMeeting") or "").strip().lower() == "online":
                fields["online"] = True  # online only: no place, whatever an address field holds
                return _clean(fields)
            # in_person, or hybrid: a hybrid meeting keeps its address
            fields.update(address=node.get("address"), location_name=text(node.get("location")))
        _coords(fields, node.get("coordinates"))
        return _clean(fields)


def _withdrawn(node: dict) -> bool:
    """A withdrawn meeting or proposal (``withdrawn``; a 0.27 proposal says it in ``state``)."""
    return node.get("withdrawn") is True or (node.get("state") or "") == "withdrawn"


class _GraphQLErrors(Exception):
    """Internal: a soft query answered with errors and no data (e.g. introspection turned off)."""


class _Stop(Exception):
    """Internal: ``max_pages`` or ``max_items`` reached."""
