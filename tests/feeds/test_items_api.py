"""Issue 7: /buurten, /items and /buurten/{code}/items — counts, filters, cursor paging, sources;
issue 8 item 5: a strange parameter is a 422, never a 500 or SQL."""

from __future__ import annotations

import pytest

from tim.records import ITEM_KINDS

from .conftest import make_client
from .seed import bundle, make_item, store


def _all(client, url: str) -> list[dict]:
    """Every item of a list, following ``next`` links."""
    out, seen_urls = [], set()
    while url:
        assert url not in seen_urls, "a next link repeats"
        seen_urls.add(url)
        r = client.get(url)
        assert r.status_code == 200, r.text
        page = r.json()
        out.extend(page["items"])
        url = page["next"]
    return out


def test_buurten_lists_all_44_with_zero_counts(client):
    data = client.get("/buurten").json()
    assert len(data) == 44 and len({b["code"] for b in data}) == 44
    for b in data:
        assert set(b["per_kind"]) == set(ITEM_KINDS)
        assert b["items"] == sum(b["per_kind"].values())
        assert b["code"].startswith("BU0935") and b["name"] and b["wijk_code"].startswith("WK0935")
    by = {b["code"]: b for b in data}
    assert by["BU09350000"]["per_kind"] == {**dict.fromkeys(ITEM_KINDS, 0), "vacancy": 1, "event": 1}
    assert by["BU09350001"]["items"] == 2  # the repair café (two sources, one item) and the news
    assert by["BU09350006"]["items"] == 2
    assert sum(b["items"] for b in data) == 6  # the city-wide walk has no buurt
    assert by["BU09350100"]["items"] == 0


def test_items_list_every_source_of_a_bundled_item(client):
    items = client.get("/items").json()["items"]
    assert len(items) == 7
    repair = [i for i in items if i["title"] == "Repair café Jekerkwartier"]
    assert len(repair) == 1, "the two records of the repair café are one bundled item"
    sources = {(s["source_id"], s["url"]) for s in repair[0]["sources"]}
    assert sources == {("agenda", "https://agenda.example.org/e2"),
                       ("vacaturebank", "https://vacaturebank.example.org/repair")}
    assert repair[0]["member_count"] == 2 and repair[0]["buurt_code"] == "BU09350001"
    for i in items:
        assert i["id"].startswith("c-") and isinstance(i["modified"], int) and i["sources"]


def test_buurt_items_only_that_buurt(client):
    items = client.get("/buurten/BU09350006/items").json()["items"]
    assert {i["title"] for i in items} == {"Koffieochtend Wyck", "Chauffeur buurtbus"}
    assert client.get("/buurten/BU09350100/items").json() == {"items": [], "next": None}


@pytest.mark.parametrize("query, titles", [
    ("kind=vacancy", {"Voorlezer gezocht", "Chauffeur buurtbus"}),
    ("kind=news", {"Nieuwe speeltuin geopend"}),
    ("q=REPAIR", {"Repair café Jekerkwartier"}),
    ("q=repareren", {"Repair café Jekerkwartier"}),  # description text
    ("q=Buurthuis%20Wyck", {"Koffieochtend Wyck"}),  # place
    ("q=%25", set()),  # a LIKE wildcard is matched literally
    ("q=_", set()),
    ("source=vacaturebank&kind=event", {"Repair café Jekerkwartier"}),
    ("source=nobody", set()),
])
def test_filters(client, query, titles):
    assert {i["title"] for i in _all(client, f"/items?{query}")} == titles


def test_time_window(client):
    from .seed import future

    day = lambda d: future(d).strftime("%Y-%m-%d")
    titles = {i["title"] for i in _all(client, f"/items?from={day(4)}&to={day(6)}")}
    assert titles == {"Repair café Jekerkwartier"}
    # undated items (vacancies) are not in a time window; a window before everything is empty
    assert _all(client, "/items?to=2000-01-01") == []
    # an event running at 'from' counts (ends after it)
    start = future(3, 10).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "Koffieochtend Wyck" in {i["title"] for i in _all(client, f"/items?from={start}")}


@pytest.mark.parametrize("sort", ["-modified", "starts_at", "id"])
def test_cursor_paging_is_complete_and_stable(client, sort):
    everything = client.get(f"/items?sort={sort}&limit=100").json()["items"]
    paged = _all(client, f"/items?sort={sort}&limit=2")
    assert [i["id"] for i in paged] == [i["id"] for i in everything]
    assert len({i["id"] for i in paged}) == 7
    if sort == "starts_at":
        starts = [i["starts_at"] for i in paged if i["starts_at"]]
        assert starts == sorted(starts) and paged[-1]["starts_at"] is None  # undated last
    if sort == "-modified":
        mods = [i["modified"] for i in paged]
        assert mods == sorted(mods, reverse=True)


def test_cursor_survives_a_change_between_pages(seeded):
    """A page fetched after a new item arrived neither repeats nor skips older items."""
    with make_client(seeded) as c:
        before = {i["id"] for i in c.get("/items?sort=id&limit=100").json()["items"]}
        first = c.get("/items?sort=id&limit=3").json()
        store(seeded, "agenda", [make_item("agenda", "zz-new", title="Nieuw", buurt=None)])
        bundle(seeded)
        rest = _all(c, first["next"])
    ids = [i["id"] for i in first["items"] + rest]
    assert len(ids) == len(set(ids)) and ids == sorted(ids)
    assert before <= set(ids)  # the new item shows only if its id sorts after the cursor


@pytest.mark.parametrize("url", [
    "/items?kind=foo", "/items?kind=event%27%20OR%201=1--", "/items?sort=title", "/items?sort=id;drop",
    "/items?sort=-modified,id", "/items?limit=0", "/items?limit=-1", "/items?limit=abc", "/items?limit=100000",
    "/items?cursor=abc", "/items?cursor=" + "A" * 500, "/items?cursor=W10", "/items?cursor=WyJpZCIsMSwiJyBPUiAxPTEiXQ",
    "/items?from=2024-13-01", "/items?from=yesterday", "/items?to=0000-01-01", "/items?from=2025-01-02&to=2025-01-01",
    "/items?q=", "/items?q=%00", "/items?q=" + "x" * 101, "/items?source=../etc", "/items?source=A%25",
    "/buurten/BU1/items", "/buurten/BU0935000%27/items", "/buurten/bu09350000/feed.atom",
    "/changes?after=xx", "/changes?after=WzEsIiciXQ", "/changes?after=Wy0xLCJhIl0", "/stats?format=xml",
    "/feed.json?kind=%3Cscript%3E", "/events.ics?limit=99999999999999999999",
])
def test_strange_parameters_are_422(client, url):
    r = client.get(url)
    assert r.status_code == 422, (url, r.status_code, r.text)
    body = r.text.lower()
    assert "select" not in body and "sqlite" not in body and "traceback" not in body


def test_sort_and_cursor_must_agree(client):
    nxt = client.get("/items?sort=id&limit=2").json()["next"]
    cursor = nxt.split("cursor=")[1].split("&")[0]
    assert client.get(f"/items?sort=starts_at&cursor={cursor}").status_code == 422


def test_unknown_buurt_is_404(client):
    assert client.get("/buurten/BU09359999/items").status_code == 404
    assert client.get("/buurten/BU09359999/feed.atom").status_code == 404
