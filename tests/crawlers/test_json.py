"""json crawler: next-URL, page-number and offset paging, field paths, header secrets (issues 2, 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tim.demo.web import Response
from tim.errors import SourceError

from .conftest import crawl, make_source

VACATURES = json.loads((Path(__file__).parent / "testdata" / "vacatures.json").read_text())
FIELDS = {
    "id": "id", "title": "titel", "description": "omschrijving", "url": "link",
    "starts_at": "periode.start", "ends_at": "periode.eind", "organizer": "organisatie.naam",
    "address": "locatie.adres", "postcode": "locatie.postcode", "lat": "locatie.lat",
    "lon": "locatie.lon", "categories": "tags.naam",
}
PER_PAGE = 3


def api(web, style: str, token: str | None = None):
    """A MaastrichtDoet-like vacancy API on ``/api/vacatures`` paged in ``style``."""

    def handler(req):
        if token and req.headers.get("authorization") != f"Bearer {token}":
            return Response('{"error": "unauthorised"}', 401, content_type="application/json")
        if style == "next":
            page = int(req.arg("page", "1"))
            start = (page - 1) * PER_PAGE
            nxt = f"/api/vacatures?page={page + 1}" if start + PER_PAGE < len(VACATURES) else None
            body = {"data": {"results": VACATURES[start:start + PER_PAGE], "next": nxt}}
        elif style == "page":
            page, size = int(req.arg("p", "0")), int(req.arg("per_page", "2"))
            body = {"data": {"results": VACATURES[page * size:(page + 1) * size]}}
        else:
            offset, limit = int(req.arg("offset", "0")), int(req.arg("limit", "10"))
            limit = min(limit, 2)  # the server caps the page size below what we ask
            body = {"data": {"results": VACATURES[offset:offset + limit], "total": len(VACATURES)}}
        return Response(json.dumps(body), content_type="application/json")

    web.route("/api/vacatures", handler)
    return web.url("/api/vacatures")


def test_next_url_paging_and_dotted_fields(web):
    url = api(web, "next")
    src = make_source(url + "?page=1", "json", item_kind="vacancy", items="data.results",
                      next="data.next", fields=FIELDS)
    records, crawler = crawl(src)
    assert [r.key for r in records] == [str(v["id"]) for v in VACATURES]
    first = records[0].fields
    assert first["organizer"] == "Trajekt" and first["lat"] == 50.8596798
    assert first["categories"] == ["Ouderen", "Ontmoeten"]
    assert first["starts_at"] == "2025-04-01" and "ends_at" not in first  # null left out
    assert first["description"].startswith("<p>")  # HTML stays raw
    assert len(web.requests_to("/api/vacatures")) == 3 and crawler.complete


def test_page_number_paging_stops_on_empty_page(web):
    url = api(web, "page")
    src = make_source(url, "json", items="data.results", paging="page", page_param="p",
                      page_start=0, limit_param="per_page", page_size=2, fields=FIELDS)
    records, crawler = crawl(src)
    assert len(records) == 7 and crawler.complete
    pages = [r.arg("p") for r in web.requests_to("/api/vacatures")]
    assert pages == ["0", "1", "2", "3", "4"]  # page 4 is empty
    assert {r.arg("per_page") for r in web.requests_to("/api/vacatures")} == {"2"}


def test_offset_paging_advances_by_what_came_back(web):
    url = api(web, "offset")
    src = make_source(url, "json", items="data.results", paging="offset", limit_param="limit",
                      page_size=5, fields=FIELDS)
    records, _ = crawl(src)
    assert [r.key for r in records] == [str(v["id"]) for v in VACATURES]  # none skipped
    assert [r.arg("offset") for r in web.requests_to("/api/vacatures")] == ["0", "2", "4", "6", "7"]


def test_max_pages_and_max_items_mark_incomplete(web):
    url = api(web, "page")
    src = make_source(url, "json", items="data.results", paging="page", page_param="p",
                      page_start=0, fields=FIELDS, max_pages=2)
    records, crawler = crawl(src)
    assert len(records) == 4 and not crawler.complete
    src = make_source(url, "json", items="data.results", paging="page", page_param="p",
                      page_start=0, fields=FIELDS, max_items=3)
    records, crawler = crawl(src)
    assert len(records) == 3 and not crawler.complete


def test_header_secret_from_environment(web, monkeypatch):
    url = api(web, "next", token="nlvoorelkaar-123")
    monkeypatch.setenv("NLVOORELKAAR_TOKEN", "Bearer nlvoorelkaar-123")
    src = make_source(url, "json", items="data.results", next="data.next", fields=FIELDS,
                      headers={"Authorization": "env:NLVOORELKAAR_TOKEN"})
    records, _ = crawl(src)
    assert len(records) == 7
    monkeypatch.delenv("NLVOORELKAAR_TOKEN")
    with pytest.raises(SourceError, match="NLVOORELKAAR_TOKEN") as err:
        crawl(src)
    assert "nlvoorelkaar-123" not in str(err.value)


def test_single_page_canonical_keys_and_conditional_get(web, store):
    body = json.dumps([{"id": "a1", "title": "Buurtpreventie Heer", "postcode": "6225 AX"}, "kapot"])
    web.route("/lijst.json", Response(body, content_type="application/json"))
    src = make_source(web.url("/lijst.json"), "json")
    records, crawler = crawl(src, validators=store)
    assert [r.fields for r in records] == [{"id": "a1", "title": "Buurtpreventie Heer", "postcode": "6225 AX"}]
    assert len(crawler.errors) == 1 and "not a JSON object" in str(crawler.errors[0])
    again, crawler = crawl(src, validators=store)
    assert again == [] and crawler.not_modified  # identical body: nothing parsed


def test_deeply_nested_json_is_refused(web):
    web.route("/diep.json", Response("[" * 100_000 + "]" * 100_000, content_type="application/json"))
    web.route("/diep2.json", Response("[" * 200 + "]" * 200, content_type="application/json"))
    for path in ("/diep.json", "/diep2.json"):
        with pytest.raises(SourceError, match="nested"):
            crawl(make_source(web.url(path), "json"))
