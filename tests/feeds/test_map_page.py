"""Issue 7 item 2: the map page, end to end in headless Chromium against the real app served by
uvicorn on 127.0.0.1: it loads offline, draws 44 buurten, a click lists the buurt's items with a
link to every source, the kind filter works, and hostile item text stays text. A screenshot is
written to ``screenshots/map.png`` (git-ignored) for review."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tim.config import Config
from tim.feeds import create_app
from tim.store.db import make_engine

from .browser import chromium, needs_chromium, serving
from .seed import standard_set

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real app on a seeded SQLite store, served by uvicorn in a thread."""
    db = tmp_path_factory.mktemp("map") / "tim.db"
    engine = make_engine(f"sqlite:///{db}")
    standard_set(engine)
    with serving(create_app(engine, Config())) as url:
        yield url
    engine.dispose()


class Dom(HTMLParser):
    """The few things the tests read from a dumped DOM."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.paths: list[dict] = []
        self.body: dict = {}
        self.panel: dict = {}
        self.items: list[dict] = []
        self.scripts: list[dict] = []
        self.handlers: list[str] = []
        self.hrefs: list[str] = []
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.handlers += [f"{tag}[{k}]" for k in a if k.startswith("on")]
        if tag == "path":
            self.paths.append(a)
        elif tag == "body":
            self.body = a
        elif tag == "section" and a.get("id") == "panel":
            self.panel = a
        elif tag == "li" and "data-id" in a:
            self.items.append({"id": a["data-id"], "links": [], "text": ""})
        elif tag == "script":
            self.scripts.append(a)
        elif tag == "a":
            self.hrefs.append(a.get("href") or "")
            if self.items:
                self.items[-1]["links"].append(a)

    def handle_data(self, data):
        if self.items:
            self.items[-1]["text"] += data


def test_page_draws_44_buurten(server, tmp_path):
    html = chromium(tmp_path, server + "/", "--dump-dom")
    dom = Dom(html)
    assert dom.body.get("data-state") == "ready"
    codes = {p.get("data-code") for p in dom.paths}
    assert len(dom.paths) == 44 and len(codes) == 44
    assert all(re.fullmatch(r"M[\d. LZM-]+", p["d"]) for p in dom.paths)
    fills = {p["data-code"]: p.get("fill") for p in dom.paths}
    assert fills["BU09350000"] != fills["BU09350100"]  # 2 items vs none: different colours
    assert [s.get("src") for s in dom.scripts] == ["/static/map.js"]  # nothing external
    # hover text of each buurt: its name and count
    assert "<title>Binnenstad: 2</title>" in html and "<title>Villapark: 0</title>" in html


def test_click_lists_items_with_every_source(server, tmp_path):
    dom = Dom(chromium(tmp_path, server + "/?select=BU09350001", "--dump-dom"))
    assert dom.panel.get("data-buurt") == "BU09350001" and dom.panel.get("data-state") == "loaded"
    repair = next(i for i in dom.items if "Repair café Jekerkwartier" in i["text"])
    sources = {a["href"] for a in repair["links"] if a.get("class") == "source"}
    assert sources == {"https://agenda.example.org/e2", "https://vacaturebank.example.org/repair"}
    assert len(dom.items) == 2


def test_kind_filter(server, tmp_path):
    dom = Dom(chromium(tmp_path, server + "/?kind=vacancy&select=BU09350006", "--dump-dom"))
    assert [i["text"].split("vrijwilligerswerk")[0] for i in dom.items] == ["Chauffeur buurtbus"]
    counts = {p["data-code"]: p.get("data-count") for p in dom.paths}
    assert counts["BU09350006"] == "1" and counts["BU09350001"] == "0"


def test_hostile_item_text_stays_text(server, tmp_path):
    html = chromium(tmp_path, server + "/?select=BU09350000", "--dump-dom")
    dom = Dom(html)
    assert any("Buurtfeest" in i["text"] for i in dom.items)
    assert dom.handlers == [] and [s.get("src") for s in dom.scripts] == ["/static/map.js"]
    assert not any(h.lower().lstrip().startswith(("javascript:", "data:")) for h in dom.hrefs)
    assert "alert(" not in html


def test_screenshot_for_review(server, tmp_path):
    SCREENSHOTS.mkdir(exist_ok=True)
    shot = SCREENSHOTS / "map.png"
    shot.unlink(missing_ok=True)
    chromium(tmp_path, server + "/?select=BU09350001", f"--screenshot={shot}", "--hide-scrollbars")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000


def test_static_script_never_inserts_html():
    js = (Path(__file__).resolve().parents[2] / "feeds" / "static" / "map.js").read_text(encoding="utf-8")
    assert "innerHTML" not in js and "outerHTML" not in js and "insertAdjacentHTML" not in js
    assert "document.write" not in js and "eval(" not in js
    urls = set(re.findall(r"https?://[^\"' )]+", js))
    assert urls <= {"http://www.w3.org/2000/svg"}, urls  # no external resources, only the SVG namespace
