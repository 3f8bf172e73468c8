"""decidim crawler against the Decidim-shaped GraphQL demo (issue 3)."""

from __future__ import annotations

import json

import pytest

from tim.demo import decidim as demo_decidim
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
    assert (len(processes), len(proposals), len(meetings)) == (2, 11, 5)
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
    assert meeting["url"] == web.url("/denkmee/processes/omgevingsvisie/f/32/meetings/801")
    assert "lat" not in by_key["meeting/902"]  # no coordinates published
    prop = by_key["proposal/603"]
    assert prop["title"] == "Extra verlichting wandelpad Malbergsingel"
    assert prop["description"].startswith("<p>") and prop["address"] == "Malbergsingel 40, 6218 AV Maastricht"
    assert "lat" not in by_key["proposal/605"]  # a proposal without a place
    # Relay paging: Malberg's 6 proposals in pages of 2 -> cursors passed on
    posts = [json.loads(r.body) for r in web.requests_to("/denkmee/api")]
    afters = [p["variables"].get("after") for p in posts if p["variables"].get("id") == "41"]
    assert afters == [None, "Mg", "NA"]


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

    from tim.crawlers.decidim import COMPONENT_QUERY, PROCESSES_QUERY

    schema = demo_decidim.build()
    for query in (PROCESSES_QUERY, COMPONENT_QUERY):
        assert validate(schema, parse(query)) == []
    assert validate(schema, parse("{ participatoryProcesses { id nonsense } }")) != []
