"""Issue 15 item 4: ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) work with no internet.

The pages reference only this app's own URLs (the Swagger UI and ReDoc files come from the
``fastapi-offline`` package, served under ``/static/docs/``), carry a CSP of their own that allows
exactly their one inline start-up script by hash, and render the API's operations in headless
Chromium whose every non-local request goes to a dead proxy."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

from tim.config import Config
from tim.feeds import create_app
from tim.store.db import make_engine

from .browser import chromium, serving, skip_without_chromium
from .seed import standard_set


class Refs(HTMLParser):
    """Every URL a page loads (src, href) and its inline scripts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self._script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.urls += [a[k] for k in ("src", "href", "spec-url") if a.get(k)]
        self._script = tag == "script" and not a.get("src")
        if self._script:
            self.inline.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script:
            self.inline[-1] += data


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_reference_only_local_assets(client, page):
    resp = client.get(page)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    refs = Refs(resp.text)
    assert refs.urls and all(u.startswith("/") and not u.startswith("//") for u in refs.urls), refs.urls
    assert "http://" not in resp.text and "https://" not in resp.text
    for url in refs.urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 100, url
    csp = resp.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "connect-src 'self'" in csp
    script_src = re.search(r"script-src ([^;]+)", csp).group(1).split()
    expected = ["'self'"] + ["'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
                             for s in refs.inline]
    assert script_src == expected  # no 'unsafe-inline', no 'unsafe-eval', no other origin
    assert resp.headers["x-frame-options"] == "DENY"


def test_docs_assets(client):
    js = client.get("/static/docs/swagger-ui-bundle.js")
    assert js.headers["content-type"].startswith("text/javascript") and b"SwaggerUIBundle" in js.content
    assert client.get("/static/docs/swagger-ui-bundle.js", headers={"If-None-Match": js.headers["etag"]}).status_code == 304
    assert b"Redoc" in client.get("/static/docs/redoc.standalone.js").content
    assert client.get("/static/docs/swagger-ui.css").headers["content-type"].startswith("text/css")
    assert client.get("/static/docs/favicon.png").content.startswith(b"\x89PNG")
    for bad in ("/static/docs/..%2Fcore.py", "/static/docs/core.py", "/static/docs/", "/static/docs/LICENSE"):
        assert client.get(bad).status_code == 404, bad
    assert client.get("/static/swagger-ui-bundle.js").status_code == 404  # the map page's allow-list is separate


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("docs") / "tim.db"
    engine = make_engine(f"sqlite:///{db}")
    standard_set(engine)
    with serving(create_app(engine, Config())) as url:
        yield url
    engine.dispose()


@pytest.mark.browser
@skip_without_chromium
def test_swagger_ui_renders_operations_offline(server, tmp_path):
    html = chromium(tmp_path, server + "/docs", "--dump-dom")
    paths = set(re.findall(r'data-path="([^"]+)"', html))
    assert {"/buurten", "/items", "/buurten/{code}/items", "/changes", "/feed.atom"} <= paths, paths
    assert "Every buurt with its active item counts per kind" in html  # an operation's summary


@pytest.mark.browser
@skip_without_chromium
def test_redoc_renders_operations_offline(server, tmp_path):
    html = chromium(tmp_path, server + "/redoc", "--dump-dom")
    assert "Every buurt with its active item counts per kind" in html  # an operation's heading
    assert re.search(r">\s*/buurten\s*<", html) and re.search(r">\s*/changes\s*<", html)
    assert 'id="operation/' in html or "operation/" in html
