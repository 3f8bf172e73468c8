"""A Decidim-style participation platform ("Maastricht Denkt Mee") for the demo and the tests.

``register(web, prefix="/decidim")`` adds ``POST {prefix}/api``: a real GraphQL endpoint
(graphql-core) whose schema mirrors the public Decidim API as published in decidim/decidim
(``decidim-core``'s query extensions: one list field per participatory space manifest, here
``participatoryProcesses`` and ``assemblies``; ``ParticipatorySpaceInterface``, ``ComponentInterface``,
``TranslatedField``, ``Coordinates``; the ``Proposals`` and ``Meetings`` components with Relay
connections paged by ``first``/``after``; a meeting's ``url``, ``typeOfMeeting`` (``in_person``,
``online``, ``hybrid``) and ``withdrawn``, a proposal's ``withdrawn``). Like Decidim, the API lists
withdrawn meetings and proposals; clients skip them. Introspection is on, as on Decidim. Queries are validated against that schema, so a
wrong field name fails here as it would on a real Decidim. Content is Dutch, at real
Maastricht addresses; descriptions carry HTML as Decidim's rich-text fields do.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from graphql import build_schema, graphql_sync

from tim.demo.web import LocalWeb, Request, Response

SDL = """
scalar Date
scalar DateTime

type Query {
  participatoryProcesses: [ParticipatoryProcess]
  participatoryProcess(id: ID, slug: String): ParticipatoryProcess
  assemblies: [Assembly]
  assembly(id: ID!): Assembly
  component(id: ID!): ComponentInterface
}

type LocalizedString { locale: String! text: String machineTranslated: Boolean }

type TranslatedField {
  locales: [String]
  translations(locales: [String!]): [LocalizedString]!
  translation(locale: String!): String
}

type Coordinates { latitude: Float! longitude: Float! }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

interface ParticipatorySpaceInterface {
  id: ID!
  title: TranslatedField!
  type: String!
  components: [ComponentInterface]
}

type ParticipatoryProcess implements ParticipatorySpaceInterface {
  id: ID!
  slug: String!
  title: TranslatedField!
  subtitle: TranslatedField
  shortDescription: TranslatedField
  description: TranslatedField
  startDate: Date
  endDate: Date
  publishedAt: DateTime!
  type: String!
  components: [ComponentInterface]
}

type Assembly implements ParticipatorySpaceInterface {
  id: ID!
  slug: String!
  title: TranslatedField!
  subtitle: TranslatedField
  shortDescription: TranslatedField
  description: TranslatedField
  publishedAt: DateTime!
  url: String
  weight: Int!
  type: String!
  components: [ComponentInterface]
}

interface ComponentInterface {
  id: ID!
  name: TranslatedField!
  weight: Int!
  participatorySpace: ParticipatorySpace!
}

type ParticipatorySpace { id: ID! type: String! }

type Proposals implements ComponentInterface {
  id: ID! name: TranslatedField! weight: Int! participatorySpace: ParticipatorySpace!
  proposals(first: Int, after: String, last: Int, before: String): ProposalConnection
  proposal(id: ID!): Proposal
}

type Meetings implements ComponentInterface {
  id: ID! name: TranslatedField! weight: Int! participatorySpace: ParticipatorySpace!
  meetings(first: Int, after: String, last: Int, before: String): MeetingConnection
  meeting(id: ID!): Meeting
}

type Pages implements ComponentInterface {
  id: ID! name: TranslatedField! weight: Int! participatorySpace: ParticipatorySpace!
}

type ProposalConnection { edges: [ProposalEdge] nodes: [Proposal] pageInfo: PageInfo! }
type ProposalEdge { cursor: String! node: Proposal }
type MeetingConnection { edges: [MeetingEdge] nodes: [Meeting] pageInfo: PageInfo! }
type MeetingEdge { cursor: String! node: Meeting }

type Proposal {
  id: ID!
  title: TranslatedField
  body: TranslatedField
  address: String
  coordinates: Coordinates
  publishedAt: DateTime
  state: String
  reference: String
  voteCount: Int
  withdrawn: Boolean
  withdrawnAt: DateTime
}

type Meeting {
  id: ID!
  title: TranslatedField!
  description: TranslatedField
  startTime: DateTime!
  endTime: DateTime!
  address: String
  location: TranslatedField
  locationHints: TranslatedField
  coordinates: Coordinates
  typeOfMeeting: String!
  onlineMeetingUrl: String!
  reference: String!
  closed: Boolean!
  url: String!
  isWithdrawn: Boolean!
  withdrawn: Boolean
  withdrawnAt: DateTime
}
"""

#: graphql-ruby's default max page size, as Decidim configures it.
MAX_PAGE_SIZE = 50


def _t(nl: str, en: str | None = None) -> dict[str, str]:
    """A Decidim translated value (``{"nl": ..., "en": ...}``)."""
    return {"nl": nl, **({"en": en} if en else {})}


def _meeting(mid: int, title: str, start: str, end: str, address: str, location: str,
             coords: tuple[float, float] | None, body: str, *, type_of_meeting: str = "in_person",
             online_url: str = "", withdrawn_at: str | None = None) -> dict[str, Any]:
    return {"id": str(mid), "title": _t(title), "description": _t(body), "startTime": start,
            "endTime": end, "address": address, "location": _t(location) if location else None,
            "locationHints": None, "coordinates": list(coords) if coords else None,
            "typeOfMeeting": type_of_meeting, "onlineMeetingUrl": online_url,
            "reference": f"MDM-MEET-{mid}", "closed": False, "withdrawn": withdrawn_at is not None,
            "isWithdrawn": withdrawn_at is not None, "withdrawnAt": withdrawn_at}


def _proposal(pid: int, title: str, body: str, address: str | None,
              coords: tuple[float, float] | None, published: str, state: str | None = None,
              withdrawn_at: str | None = None) -> dict:
    return {"id": str(pid), "title": _t(title), "body": _t(body), "address": address,
            "coordinates": list(coords) if coords else None, "publishedAt": published,
            "state": state, "reference": f"MDM-PROP-{pid}", "voteCount": pid % 17,
            "withdrawn": withdrawn_at is not None, "withdrawnAt": withdrawn_at}


PROCESSES: list[dict[str, Any]] = [
    {
        "id": "7", "slug": "omgevingsvisie", "title": _t("Omgevingsvisie Maastricht 2040", "Environmental vision Maastricht 2040"),
        "subtitle": _t("Samen bouwen aan de stad van morgen"),
        "shortDescription": _t("<p>Denk mee over wonen, groen en mobiliteit in jouw buurt.</p>"),
        "description": _t("<p>De gemeente werkt aan de <strong>Omgevingsvisie</strong>. Deel je ideeën "
                          "op de kaart of kom naar een <a href=\"https://www.gemeentemaastricht.nl\">"
                          "bijeenkomst</a>.</p><script>alert('x')</script>"),
        "startDate": "2025-02-01", "endDate": "2025-11-30", "publishedAt": "2025-01-20T09:00:00+01:00",
        "components": [
            {"__typename": "Proposals", "id": "31", "name": _t("Ideeën op de kaart"), "weight": 1,
             "items": [
                 _proposal(501, "Meer bankjes langs de Maas bij het Bassin",
                           "<p>Het Bassin is populair, maar er is weinig plek om te zitten.</p>",
                           "Bassin 1, 6211 AK Maastricht", (50.8561, 5.6943), "2025-02-10T10:12:00+01:00"),
                 _proposal(502, "Veilige oversteek Brusselsestraat bij De Beyart",
                           "<p>Schoolkinderen steken hier over; graag een zebrapad.</p>",
                           "Brusselsestraat 38, 6211 PG Maastricht", (50.8496788, 5.6837187),
                           "2025-02-11T16:40:00+01:00", "evaluating"),
                 _proposal(503, "Groen schoolplein Basisschool Suringar",
                           "<p>Tegels eruit, bomen erin: een klimaatbestendig schoolplein in Heer.</p>",
                           "Ridder van Heerstraat 10, 6227 RS Maastricht", (50.8371361, 5.7211468),
                           "2025-02-14T08:05:00+01:00"),
                 _proposal(504, "Fietsenstalling Frankenstraat",
                           "<p>Overvolle stoepen door fietsen; een buurtstalling zou helpen.</p>",
                           "Frankenstraat 140B, 6224 GT Maastricht", (50.8506902, 5.7138559),
                           "2025-02-20T19:30:00+01:00", "accepted"),
                 _proposal(505, "Ontmoetingsplek Herculeshof",
                           "<p>Een overdekte plek om elkaar te ontmoeten in Daalhof.</p>",
                           "Herculeshof 27, 6215 BE Maastricht", None, "2025-03-01T12:00:00+01:00"),
             ]},
            {"__typename": "Meetings", "id": "32", "name": _t("Bijeenkomsten"), "weight": 2,
             "items": [
                 _meeting(801, "Startavond Omgevingsvisie", "2025-03-12T19:30:00+01:00",
                          "2025-03-12T21:30:00+01:00", "Markt 78, 6211 CL Maastricht", "Stadhuis Maastricht",
                          (50.851352, 5.6913736), "<p>Aftrap met de wethouder. <em>Inloop vanaf 19.00 uur.</em></p>"),
                 _meeting(802, "Wandeling: groen in Wyck", "2025-03-22T10:00:00+01:00",
                          "2025-03-22T12:00:00+01:00", "Avenue Céramique 50, 6221 KV Maastricht",
                          "Centre Céramique (ingang bibliotheek)", (50.8459909, 5.7010801),
                          "<p>We lopen langs plekken die groener kunnen.</p>"),
                 _meeting(803, "Buurtgesprek Mariaberg", "2025-04-02T19:00:00+02:00",
                          "2025-04-02T21:00:00+02:00", "Cannerplein 1, 6214 BA Maastricht", "De Tramhalte",
                          (50.8442991, 5.6793134), "<p>Wat is er nodig in Mariaberg?</p>"),
             ]},
            {"__typename": "Pages", "id": "33", "name": _t("Over dit proces"), "weight": 3, "items": []},
        ],
    },
    {
        "id": "9", "slug": "buurtbudget-malberg", "title": _t("Buurtbudget Malberg 2025"),
        "subtitle": _t("Jij beslist mee over € 50.000"),
        "shortDescription": _t("<p>Bewoners van Malberg bepalen samen waar het buurtbudget naartoe gaat.</p>"),
        "description": _t("<p>Dien tot 1 mei een idee in. In juni stemmen bewoners.</p>"
                          "<img src=\"x\" onerror=\"alert(1)\">"),
        "startDate": "2025-03-01", "endDate": "2025-06-30", "publishedAt": "2025-02-25T09:00:00+01:00",
        "components": [
            {"__typename": "Proposals", "id": "41", "name": _t("Ideeën voor Malberg"), "weight": 1,
             "items": [
                 _proposal(601, "Moestuin bij Kindcentrum Manjefiek",
                           "<p>Kinderen en ouderen samen aan het tuinieren.</p>",
                           "Malbergsingel 68, 6218 AV Maastricht", (50.8636847, 5.6539962), "2025-03-03T09:15:00+01:00"),
                 _proposal(602, "Buurtbarbecue op het Malbergplein",
                           "<p>Eén keer per jaar samen eten met de hele buurt.</p>",
                           "Malbergsingel 54, 6218 AV Maastricht", (50.8640771, 5.6551714), "2025-03-04T20:01:00+01:00"),
                 _proposal(603, "Extra verlichting wandelpad Malbergsingel",
                           "<p>In de winter is het pad te donker.</p>",
                           "Malbergsingel 40, 6218 AV Maastricht", (50.8644283, 5.6559725), "2025-03-05T07:45:00+01:00"),
                 _proposal(604, "Jeu-de-boulesbaan voor jong en oud",
                           "<p>Naast de Jumbo is ruimte voor een baan.</p>",
                           "Malbergsingel 74, 6218 AV Maastricht", (50.8634511, 5.6551054), "2025-03-06T14:22:00+01:00"),
                 _proposal(605, "Repair Café in de buurtkamer",
                           "<p>Maandelijks repareren in plaats van weggooien.</p>", None, None,
                           "2025-03-07T11:11:00+01:00"),
                 _proposal(606, "Bankjes bij de bakker",
                           "<p>Even zitten na de boodschappen bij Bakkerij Paulissen.</p>",
                           "Malbergsingel 58, 6218 AV Maastricht", (50.864, 5.6549673), "2025-03-08T10:30:00+01:00"),
                 _proposal(607, "Hondenuitlaatplek bij de singel",
                           "<p>Ingetrokken: de indiener doet mee met idee 602.</p>",
                           "Malbergsingel 30, 6218 AV Maastricht", None, "2025-03-09T09:00:00+01:00",
                           withdrawn_at="2025-03-12T18:00:00+01:00"),
             ]},
            {"__typename": "Meetings", "id": "42", "name": _t("Bijeenkomsten"), "weight": 2,
             "items": [
                 _meeting(901, "Ideeënavond Buurtbudget Malberg", "2025-03-19T19:00:00+01:00",
                          "2025-03-19T21:00:00+01:00", "Malbergsingel 68, 6218 AV Maastricht",
                          "Kindcentrum Manjefiek (aula)", (50.8636847, 5.6539962),
                          "<p>Kom je idee toelichten. Koffie en vlaai staan klaar.</p>"),
                 _meeting(902, "Stemavond Buurtbudget Malberg", "2025-06-11T19:00:00+02:00",
                          "2025-06-11T21:00:00+02:00", "Malbergsingel 68, 6218 AV Maastricht",
                          "Kindcentrum Manjefiek (aula)", None,
                          "<p>De ideeën worden gepresenteerd; daarna wordt gestemd.</p>"),
                 _meeting(903, "Extra ideeënavond (vervalt)", "2025-04-09T19:00:00+02:00",
                          "2025-04-09T21:00:00+02:00", "Malbergsingel 68, 6218 AV Maastricht",
                          "Kindcentrum Manjefiek (aula)", (50.8636847, 5.6539962),
                          "<p>Deze avond gaat niet door.</p>", withdrawn_at="2025-03-25T10:00:00+01:00"),
             ]},
        ],
    },
]

#: Assemblies: standing participatory bodies (here a wijkraad), the second space type of the API.
ASSEMBLIES: list[dict[str, Any]] = [
    {
        "id": "3", "slug": "wijkraad-west", "title": _t("Wijkraad Maastricht-West"),
        "subtitle": _t("Bewoners van Mariaberg, Malberg, Caberg en Pottenberg"),
        "shortDescription": _t("<p>De wijkraad adviseert de gemeente over de wijk.</p>"),
        "description": _t("<p>De wijkraad vergadert elke maand, afwisselend in de wijk en online.</p>"),
        "publishedAt": "2024-09-01T09:00:00+02:00", "weight": 1,
        "components": [
            {"__typename": "Meetings", "id": "51", "name": _t("Vergaderingen"), "weight": 1,
             "items": [
                 _meeting(1101, "Online spreekuur van de wijkraad", "2025-03-17T19:30:00+01:00",
                          "2025-03-17T20:30:00+01:00", "", "", None,
                          "<p>Stel je vraag aan de wijkraad via de videoverbinding.</p>",
                          type_of_meeting="online", online_url="https://meet.example.org/wijkraad-west"),
                 _meeting(1102, "Wijkraadvergadering maart", "2025-03-26T19:30:00+01:00",
                          "2025-03-26T21:30:00+01:00", "Cannerplein 1, 6214 BA Maastricht", "De Tramhalte",
                          (50.8442991, 5.6793134), "<p>Openbare vergadering; ook online te volgen.</p>",
                          type_of_meeting="hybrid", online_url="https://meet.example.org/wijkraad-west"),
                 _meeting(1103, "Schouw Caberg", "2025-04-05T10:00:00+02:00", "2025-04-05T12:00:00+02:00",
                          "Kastanjelaan 64, 6217 SB Maastricht", "Buurtcentrum Tragos", (50.857003, 5.676996),
                          "<p>Samen door de buurt lopen en zien wat beter kan.</p>"),
             ]},
            {"__typename": "Proposals", "id": "52", "name": _t("Adviezen"), "weight": 2,
             "items": [
                 _proposal(701, "Advies: speelplek Pottenberg opknappen",
                           "<p>De wijkraad adviseert de speelplek aan de Terra Cottaplein te vernieuwen.</p>",
                           "Terra cottaplein 20, 6216 BJ Maastricht", None, "2025-02-28T12:00:00+01:00"),
             ]},
        ],
    },
]


def _cursor(index: int) -> str:
    return base64.b64encode(str(index).encode()).decode().rstrip("=")


def _index(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        return int(base64.b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (ValueError, UnicodeDecodeError):
        raise ValueError(f"invalid cursor {cursor!r}") from None


def _connection(items: list[dict], first: int | None, after: str | None) -> dict[str, Any]:
    start = _index(after)
    size = min(first or MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    page = items[start:start + size]
    edges = [{"cursor": _cursor(start + i + 1), "node": node} for i, node in enumerate(page)]
    return {"edges": edges, "nodes": page, "pageInfo": {
        "hasNextPage": start + size < len(items), "hasPreviousPage": start > 0,
        "startCursor": edges[0]["cursor"] if edges else None,
        "endCursor": edges[-1]["cursor"] if edges else None}}


def build() -> Any:
    """The executable schema with resolvers attached to the SDL's fields."""
    schema = build_schema(SDL)
    q = schema.query_type.fields
    spaces = [(p, "Decidim::ParticipatoryProcess", "processes") for p in PROCESSES] + \
             [(a, "Decidim::Assembly", "assemblies") for a in ASSEMBLIES]
    components = {c["id"]: (p, c) for p, _kind, _path in spaces for c in p["components"]}

    def component_view(process: dict, comp: dict) -> dict:
        kind = "Decidim::Assembly" if any(process is a for a in ASSEMBLIES) else "Decidim::ParticipatoryProcess"
        return {**comp, "participatorySpace": {"id": process["id"], "type": kind}}

    def space_path(comp_id: str) -> str:
        space, _c = components[comp_id]
        path = "assemblies" if any(space is a for a in ASSEMBLIES) else "processes"
        return f"{path}/{space['slug']}"

    def base_of(info) -> str:
        return (info.context or {}).get("base", "")

    for comp_id, (_space, comp) in components.items():
        for item in comp["items"]:
            item["_component"] = comp_id

    q["participatoryProcesses"].resolve = lambda _root, _info: [
        {**p, "type": "Decidim::ParticipatoryProcess",
         "components": [component_view(p, c) for c in p["components"]]} for p in PROCESSES]
    q["participatoryProcess"].resolve = lambda _r, _i, id=None, slug=None: next(
        ({**p, "type": "Decidim::ParticipatoryProcess",
          "components": [component_view(p, c) for c in p["components"]]}
         for p in PROCESSES if p["id"] == id or p["slug"] == slug), None)
    q["component"].resolve = lambda _r, _i, id: (component_view(*components[id]) if id in components else None)
    q["assemblies"].resolve = lambda _root, info: [
        {**a, "type": "Decidim::Assembly", "url": f"{base_of(info)}/assemblies/{a['slug']}",
         "components": [component_view(a, c) for c in a["components"]]} for a in ASSEMBLIES]
    q["assembly"].resolve = lambda _r, info, id: next(
        ({**a, "type": "Decidim::Assembly", "url": f"{base_of(info)}/assemblies/{a['slug']}",
          "components": [component_view(a, c) for c in a["components"]]} for a in ASSEMBLIES if a["id"] == id), None)
    schema.type_map["Meeting"].fields["url"].resolve = (
        lambda m, info: f"{base_of(info)}/{space_path(m['_component'])}/f/{m['_component']}/meetings/{m['id']}")
    tf = schema.type_map["TranslatedField"].fields
    tf["translation"].resolve = lambda value, _i, locale: value.get(locale)
    tf["locales"].resolve = lambda value, _i: list(value)
    tf["translations"].resolve = lambda value, _i, locales=None: [
        {"locale": k, "text": v, "machineTranslated": False} for k, v in value.items()
        if not locales or k in locales]
    coords = schema.type_map["Coordinates"].fields
    coords["latitude"].resolve = lambda value, _i: value[0]
    coords["longitude"].resolve = lambda value, _i: value[1]
    for type_name, field in (("Proposals", "proposals"), ("Meetings", "meetings")):
        schema.type_map[type_name].fields[field].resolve = (
            lambda comp, _i, first=None, after=None, **_kw: _connection(comp["items"], first, after))
        schema.type_map[type_name].fields[field[:-1]].resolve = (
            lambda comp, _i, id: next((x for x in comp["items"] if x["id"] == id), None))
    return schema


def register(web: LocalWeb, prefix: str = "/decidim") -> None:
    """Add ``POST {prefix}/api`` (GraphQL; GET answers with a hint like Decidim's GraphiQL)."""
    schema = build()

    def api(req: Request) -> Response:
        if req.method != "POST":
            return Response("Use POST with a GraphQL query (see /api/graphiql on a real Decidim).",
                            content_type="text/plain")
        try:
            payload = json.loads(req.body or b"{}")
        except ValueError:
            return Response(json.dumps({"errors": [{"message": "invalid JSON body"}]}), 400,
                            content_type="application/json")
        host = req.headers.get("host", "127.0.0.1")
        result = graphql_sync(schema, payload.get("query") or "", variable_values=payload.get("variables"),
                              operation_name=payload.get("operationName"),
                              context_value={"base": f"http://{host}{prefix}"})
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [e.formatted for e in result.errors]
        return Response(json.dumps(body, ensure_ascii=False), content_type="application/json")

    web.route(f"{prefix}/api", api)
