"""wordpress crawler against WordPress-shaped local sites (The Events Calendar + core posts)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tim.config import Source
from tim.demo import wordpress_site
from tim.demo.catalog import TZ, load_catalog
from tim.demo.web import Response
from tim.errors import SourceError
from tim.normalizers import normalize

from .conftest import crawl, make_source

TODAY = datetime(2026, 3, 20, tzinfo=TZ).date()  # the demo content spans the DST switch of 29 March


@pytest.fixture
def cat():
    return load_catalog(TODAY)


@pytest.fixture
def platform(web, cat):
    wordpress_site.register(web, cat, web.url(""), "wijkplatform", "/wp")
    return web.url("/wp/")


def _items(records, source):
    return {r.key: normalize(r, source) for r in records}


def test_events_and_posts_are_paged_and_normalised(web, cat, platform):
    source = make_source(platform, "wordpress", item_kind="event", page_size=4)
    records, crawler = crawl(source)
    items = _items(records, source)
    entries = cat.site("wijkplatform")
    assert len(records) == len(entries) == 15 and crawler.complete and not crawler.errors
    assert not crawler.notes
    # The Events Calendar: 9 events, pages of 4 followed through next_rest_url
    ev_pages = [r.query for r in web.requests_to("/wp/wp-json/tribe/events/v1/events")] + \
               [r.query for r in web.requests_to("/wp/wp-json/tribe/events/v1/events/")]
    assert sorted(q.get("page", ["1"])[0] for q in ev_pages) == ["1", "2", "3"]
    # core posts: 6 posts, pages of 4 up to X-WP-TotalPages, with _embed for the terms
    post_reqs = web.requests_to("/wp/wp-json/wp/v2/posts")
    assert [r.arg("page") for r in post_reqs] == ["1", "2"]
    assert all(r.arg("per_page") == "4" and r.arg("_embed") == "1" for r in post_reqs)

    koffie = items["event/2101"]
    assert koffie.kind == "event" and koffie.title == "Koffie & kaart in Manjefiek"  # &amp; decoded
    assert koffie.location_name == "Kindcentrum Manjefiek" and koffie.street == "Malbergsingel 68"
    assert koffie.postcode == "6218AV" and koffie.city == "Maastricht"
    manjefiek = cat.places["manjefiek"]
    assert (koffie.lat, koffie.lon) == (manjefiek.lat, manjefiek.lon)  # venue geo_lat / geo_lng
    assert koffie.organizer == "Buurtplatform Malberg" and koffie.categories
    assert koffie.url == web.url("/wp/evenement/koffie-en-kaart-manjefiek/")
    # times: utc_start_date is UTC without an offset; 14:00 in Maastricht
    entry = cat.entry("wijkplatform", "2101")
    assert koffie.starts_at == entry.starts_at.astimezone(UTC)
    assert koffie.starts_at.astimezone(TZ).hour == 14
    assert items["event/2102"].title == "Buurtwandeling \u2013 groen in de wijk"  # &#8211;
    assert items["event/2102"].location_name is None and items["event/2102"].street is None  # venue: []
    assert items["event/2105"].title == "Opschoondag"  # <strong> stripped
    # an all-day event: its local day, the end exclusive
    opschoon = items["event/2105"]
    day = cat.entry("wijkplatform", "2105").starts_at
    assert opschoon.starts_at.astimezone(TZ).date() == day and opschoon.starts_at.astimezone(TZ).hour == 0
    assert opschoon.ends_at.astimezone(TZ).date() == day + timedelta(days=1)

    post = items["post/3101"]
    assert post.kind == "news" and post.title == "Nieuwe bankjes op de singel \u2013 dankzij jullie stemmen"
    assert post.published_at == cat.entry("wijkplatform", "3101").published_at.astimezone(UTC)
    assert post.url.startswith(web.url("/wp/")) and post.url.endswith("/nieuwe-buurtbankjes/")
    assert "vier nieuwe bankjes" in post.description_text and post.categories
    assert items["post/3102"].title == "Vrijwilligers gezocht voor de buurtkrant"  # <em> stripped
    assert all("<" not in i.title and "&#" not in i.title for i in items.values())


def test_time_zones_across_the_dst_switch(web, cat, platform):
    source = make_source(platform, "wordpress", posts=False)
    records, _ = crawl(source)
    items = _items(records, source)
    for e in cat.site("wijkplatform"):
        if e.kind == "event" and not e.all_day:
            it = items[f"event/{e.key}"]
            assert it.starts_at == e.starts_at.astimezone(UTC), e.key
            assert it.starts_at.astimezone(TZ).strftime("%H:%M") == e.data["start"]
    offsets = {e.starts_at.utcoffset() for e in cat.site("wijkplatform") if e.kind == "event" and not e.all_day}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # CET and CEST both served
    assert not web.requests_to("/wp/wp-json/wp/v2/posts")  # posts = false: never asked


def test_a_missing_posts_endpoint_is_skipped_with_a_note(web, cat):
    wordpress_site.register(web, cat, web.url(""), "buurtcentrum", "/centrum", posts=False)
    records, crawler = crawl(make_source(web.url("/centrum"), "wordpress"))
    assert len(records) == 5 and crawler.complete
    assert {r.fields["kind"] for r in records} == {"event"}
    assert len(crawler.notes) == 1 and "posts" in crawler.notes[0] and "404" in crawler.notes[0]


def test_both_endpoints_missing_is_a_source_error(web):
    web.route("/", "<html>not WordPress</html>")
    with pytest.raises(SourceError, match="no WordPress REST endpoint"):
        crawl(make_source(web.url("/"), "wordpress"))


def test_posts_past_the_last_page_without_a_total(web):
    """A proxy that drops X-WP-TotalPages: a short page ends it; core's 400 past the end too."""
    def posts(req):
        page = int(req.arg("page"))
        if page > 2:
            return Response(json.dumps({"code": "rest_post_invalid_page_number", "data": {"status": 400}}),
                            status=400, content_type="application/json")
        return Response(json.dumps([{"id": page * 10 + i, "title": {"rendered": f"Bericht {page}.{i} &#8211; "
                                                                             "<script>alert(1)</script>"
                                                                             "<img src=x onerror=alert(2)>nieuw"},
                                     "link": f"http://x.example/{page}/{i}", "date_gmt": "2026-01-05T10:00:00",
                                     "content": {"rendered": "<p>tekst</p>"}} for i in range(2)]),
                        content_type="application/json")

    web.route("/wp-json/wp/v2/posts", posts)
    source = make_source(web.url("/"), "wordpress", events=False, page_size=2)
    records, crawler = crawl(source)
    assert len(records) == 4 and crawler.complete
    assert records[0].fields["published_at"] == "2026-01-05T10:00:00+00:00"
    assert normalize(records[0], source).title == "Bericht 1.0 \u2013 nieuw"  # no script, no handler


def test_max_pages_stops_and_marks_incomplete(platform):
    records, crawler = crawl(make_source(platform, "wordpress", page_size=4, max_pages=2))
    assert len(records) == 8 and not crawler.complete


def test_config_requires_a_part_and_a_known_area():
    with pytest.raises(ValueError, match="both false"):
        Source.model_validate({"id": "x", "kind": "wordpress", "url": "http://a/", "events": False, "posts": False})
    with pytest.raises(ValueError, match="unknown area 'Narnia'"):
        Source.model_validate({"id": "x", "kind": "wordpress", "url": "http://a/", "area": "Narnia"})
    for area in ("Malberg", "malberg", "BU09350207", "Maastricht-West", "Belvedere"):
        assert Source.model_validate({"id": "x", "kind": "wordpress", "url": "http://a/", "area": area}).area
    with pytest.raises(ValueError, match="online"):
        Source.model_validate({"id": "x", "kind": "rss", "url": "http://a/", "online": True, "area": "Malberg"})


def test_a_site_without_pretty_permalinks_is_found_through_its_api_link(web, cat):
    """No /wp-json/: the home page's Link header announces ?rest_route=, as WordPress core does."""
    site = wordpress_site.WordPressSite(cat, web.url(""), "wijkplatform", "", plain_permalinks=True)

    def home(req):
        route = req.arg("rest_route")
        if route == "/tribe/events/v1/events":
            return site.events_api(req)
        if route == "/wp/v2/posts":
            return site.posts_api(req)
        if route:
            return wordpress_site.wp_error("rest_no_route", "No route", 404)
        return Response("<html>Buurtplatform</html>",
                        headers={"Link": f'<{web.url("/")}?rest_route=/>; rel="https://api.w.org/"'})

    web.route("/", home)
    records, crawler = crawl(make_source(web.url("/"), "wordpress", page_size=4))
    assert len(records) == 15 and crawler.complete
    assert any("rest_route" in n for n in crawler.notes)
    routes = [r.arg("rest_route") for r in web.requests_to("/") if r.arg("rest_route")]
    assert routes.count("/wp/v2/posts") == 2  # both pages of posts through rest_route
