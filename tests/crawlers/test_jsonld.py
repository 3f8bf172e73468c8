"""jsonld crawler: listing with next pages, detail pages, sitemap discovery (issues 2, 3)."""

from __future__ import annotations

from tim.demo.web import Response

from .conftest import crawl, make_source
from .sites import EVENTS, agenda_site, sitemap_site


def test_listing_with_next_pages_and_detail_jsonld(web):
    agenda_site(web)
    src = make_source(web.url("/agenda/"), "jsonld", item_kind="event", follow="a.event",
                      next="a.volgende")
    records, crawler = crawl(src)
    assert [r.fields["title"] for r in records] == [e["name"] for e in EVENTS]
    assert [r.arg("pagina") for r in web.requests_to("/agenda/")] == [None, "2", "3"]
    repair = records[0].fields
    assert repair["starts_at"] == "2025-04-12T14:00:00+02:00"  # raw, normalisers parse
    assert repair["ends_at"] == "2025-04-12T17:00:00+02:00"
    assert repair["location_name"] == "Buurthuis Wittevrouwenveld"
    assert (repair["street"], repair["postcode"], repair["city"]) == (
        "Burgemeester van Oppenstraat 107", "6224 ER", "Maastricht")
    assert (repair["lat"], repair["lon"]) == (50.8532668, 5.7127396)
    assert repair["organizer"] == "Buurtnetwerk Wittevrouwenveld"
    assert repair["categories"] == ["buurt", "ontmoeten"]
    assert repair["url"] == web.url("/agenda/repair-cafe-wittevrouwenveld")
    assert "lat" not in records[2].fields  # no geo on that page
    assert crawler.complete and not crawler.errors


def test_max_pages_stops_listing_and_marks_incomplete(web):
    agenda_site(web)
    src = make_source(web.url("/agenda/"), "jsonld", follow="a.event", next="a.volgende", max_pages=2)
    records, crawler = crawl(src)
    assert len(records) == 4 and not crawler.complete


def test_failing_detail_page_fails_alone(web):
    agenda_site(web)
    web.route("/agenda/taalcafe-ceramique", Response("weg", 404))
    records, crawler = crawl(make_source(web.url("/agenda/"), "jsonld", follow="a.event",
                                         next="a.volgende"))
    assert len(records) == 4 and len(crawler.errors) == 1
    assert "taalcafe-ceramique" in str(crawler.errors[0])


def test_sitemap_index_gzip_and_pattern(web):
    sitemap_site(web)
    src = make_source(None, "jsonld", sitemap=web.url("/sitemap.xml"), sitemap_pattern=r"/agenda/[a-z-]+$")
    records, crawler = crawl(src)
    assert sorted(r.fields["title"] for r in records) == sorted(e["name"] for e in EVENTS)
    assert web.requests_to("/over-ons") == [] and crawler.complete


def test_itemlist_and_graph_on_one_page(web):
    page = """<html><head><script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [
      {"@type": "WebPage", "name": "Vacatures"},
      {"@type": "ItemList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "item": {"@type": "JobPosting", "title": "Coördinator buurtkamer Mariaberg",
          "datePosted": "2025-03-03", "validThrough": "2025-04-30", "hiringOrganization": {"@type": "Organization", "name": "Trajekt"},
          "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "streetAddress": "Cannerplein 1", "postalCode": "6214 BA", "addressLocality": "Maastricht"}},
          "identifier": {"@type": "PropertyValue", "value": "TRJ-2025-17"}}},
        {"@type": "ListItem", "position": 2, "item": {"@type": "Organization", "name": "Buurtplatform Daalhof", "url": "https://www.daalhof.nl",
          "address": "Hermesweg 35, 6215 AK Maastricht"}}
      ]}]}
    </script></head><body></body></html>"""
    web.route("/vacatures", page)
    records, _ = crawl(make_source(web.url("/vacatures"), "jsonld"))
    job, org = (r.fields for r in records)
    assert job["title"] == "Coördinator buurtkamer Mariaberg" and job["id"] == "TRJ-2025-17"
    assert (job["published_at"], job["ends_at"], job["organizer"]) == ("2025-03-03", "2025-04-30", "Trajekt")
    assert (job["street"], job["postcode"]) == ("Cannerplein 1", "6214 BA")
    assert org["address"] == "Hermesweg 35, 6215 AK Maastricht" and org["url"] == "https://www.daalhof.nl"
