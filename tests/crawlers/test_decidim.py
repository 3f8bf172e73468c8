"""decidim crawler against the Decidim-shaped GraphQL demo (issue 3)."""

from __future__ import annotations

import json

import pytest

from tim.demo import decidim as demo_decidim
from tim.demo.web import Response
from tim.errors import SourceError

from .conftest import crawl, make_source


@pytest.fixture
def api(web):
    demo_decidim.register(web, "/denkmee")
    return web.url("/denkmee/api")


def test_processes_proposals_and_meetings(web, api, monkeypatch):
    monkeypatch.setattr("tim.crawlers.decidim.PAGE_SIZE", 2)  # several pages per component
    records, crawler = crawl(make_source(api, "decidim", item_kind="participation"))
    by_key = {r.key: r.fields for r in records}
    processes = [k for k in by_key if k.startswith("process/")]
    proposals = [k for k in by_key if k.startswith("proposal/")]
    meetings = [k for k in by_key if k.startswith("meeting/")]
    assemblies = [k for k in by_key if k.startswith("assembly/")]
    # withdrawn proposal 607 and withdrawn meeting 903 are listed by the API and skipped
    assert (len(processes), len(assemblies), len(proposals), len(meetings)) == (2, 1, 12, 8)
    assert "proposal/607" not in by_key and "meeting/903" not in by_key
    assert crawler.complete and not crawler.errors
    omgeving = by_key["process/7"]
    assert omgeving["title"] == "Omgevingsvisie Maastricht 2040" and omgeving["kind"] == "participation"
    assert omgeving["url"] == web.url("/denkmee/processes/omgevingsvisie")
    assert "<script>" in omgeving["description"]  # raw HTML: the normaliser sanitises
    meeting = by_key["meeting/801"]
    assert meeting["kind"] == "event" and meeting["starts_at"] == "2025-03-12T19:30:00+01:00"
    assert meeting["address"] == "Markt 78, 6211 CL Maastricht"
    assert meeting["location_name"] == "Stadhuis Maastricht"
    assert (meeting["lat"], meeting["lon"]) == (50.851352, 5.6913736)
    assert meeting["url"] == web.url("/denkmee/processes/omgevingsvisie/f/32/meetings/801")  # its own url
    assert "lat" not in by_key["meeting/902"]  # no coordinates published
    prop = by_key["proposal/603"]
    assert prop["title"] == "Extra verlichting wandelpad Malbergsingel"
    assert prop["description"].startswith("<p>") and prop["address"] == "Malbergsingel 40, 6218 AV Maastricht"
    assert "lat" not in by_key["proposal/605"]  # a proposal without a place
    # Relay paging: Malberg's 6 proposals in pages of 2 -> cursors passed on
    posts = [json.loads(r.body) for r in web.requests_to("/denkmee/api")]
    afters = [p["variables"].get("after") for p in posts if p["variables"].get("id") == "41"]
    assert afters == [None, "Mg", "NA", "Ng"]


def test_max_items_stops_and_marks_incomplete(api):
    records, crawler = crawl(make_source(api, "decidim", max_items=4))
    assert len(records) == 4 and not crawler.complete


def test_graphql_errors_are_a_source_error(web):
    web.route("/api", json.dumps({"errors": [{"message": "Field 'participatoryProcesses' doesn't exist on type 'Query'"}]}),
              content_type="application/json")
    with pytest.raises(SourceError, match="participatoryProcesses"):
        crawl(make_source(web.url("/api"), "decidim"))


def test_demo_schema_rejects_unknown_fields(web, api):
    """The demo validates like Decidim does, so the crawler's queries are checked for real."""
    from graphql import parse, validate

    from tim.crawlers.decidim import (
        COMPONENT_QUERY,
        MEETING_OPTIONAL,
        PROCESSES_QUERY,
        PROPOSAL_OPTIONAL,
        SHAPE_QUERY,
        SPACE_FIELDS,
        component_query,
        spaces_query,
    )

    schema = demo_decidim.build()
    for query in (PROCESSES_QUERY, COMPONENT_QUERY, SHAPE_QUERY, component_query(MEETING_OPTIONAL, PROPOSAL_OPTIONAL),
                  spaces_query("assemblies", tuple(f for f in SPACE_FIELDS if f not in ("startDate", "endDate")))):
        assert validate(schema, parse(query)) == []
    assert validate(schema, parse("{ participatoryProcesses { id nonsense } }")) != []


def test_assemblies_and_online_and_hybrid_meetings(web, api):
    records, crawler = crawl(make_source(api, "decidim", item_kind="participation"))
    by_key = {r.key: r.fields for r in records}
    wijkraad = by_key["assembly/3"]
    assert wijkraad["title"] == "Wijkraad Maastricht-West" and wijkraad["kind"] == "participation"
    assert wijkraad["url"] == web.url("/denkmee/assemblies/wijkraad-west")
    online = by_key["meeting/1101"]
    assert online["online"] is True and "address" not in online and "lat" not in online
    assert online["url"] == web.url("/denkmee/assemblies/wijkraad-west/f/51/meetings/1101")
    hybrid = by_key["meeting/1102"]
    assert "online" not in hybrid and hybrid["address"] == "Cannerplein 1, 6214 BA Maastricht"
    assert by_key["proposal/701"]["url"].startswith(web.url("/denkmee/assemblies/wijkraad-west/f/52/"))


def test_online_meetings_are_never_placed_and_hybrid_keep_their_buurt(api):
    from tim.geo import Locator
    from tim.normalizers import normalize

    source = make_source(api, "decidim", item_kind="participation")
    records, _ = crawl(source)
    locator = Locator.load()
    items = {r.key: normalize(r, source) for r in records}
    online, hybrid = items["meeting/1101"], items["meeting/1102"]
    assert online.online and locator.locate(online).method == "online"
    assert locator.locate(online).buurt_code is None
    assert not hybrid.online and locator.locate(hybrid).buurt_name == "Mariaberg"


def test_an_instance_without_introspection_is_read_by_its_processes(web):
    """A Decidim with introspection turned off: the processes with the fields of every version."""
    from graphql import graphql_sync

    schema = demo_decidim.build()

    def api(req):
        payload = json.loads(req.body)
        if "__type(" in payload["query"]:
            return Response(json.dumps({"errors": [{"message": "introspection is disabled"}]}),
                            content_type="application/json")
        result = graphql_sync(schema, payload["query"], variable_values=payload.get("variables"),
                              context_value={"base": web.url("/old")})
        body = {"data": result.data, **({"errors": [e.formatted for e in result.errors]} if result.errors else {})}
        return Response(json.dumps(body), content_type="application/json")

    web.route("/old/api", api)
    records, crawler = crawl(make_source(web.url("/old/api"), "decidim"))
    keys = {r.key for r in records}
    assert not any(k.startswith("assembly/") for k in keys) and "process/7" in keys
    assert crawler.complete
    # without the optional fields the meeting URL is the component path
    meeting = next(r.fields for r in records if r.key == "meeting/801")
    assert meeting["url"] == web.url("/old/processes/omgevingsvisie/f/32/meetings/801")
    # a 0.27 instance without `withdrawn` still answers; its withdrawn proposal is not asked about
    assert all("withdrawn" not in json.loads(r.body)["query"] for r in web.requests_to("/old/api")
               if "TimComponent" in json.loads(r.body)["query"])
