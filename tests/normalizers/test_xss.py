"""Hostile content (issue 8): no script, event handler, javascript:/data:/vbscript: URL, SVG or
CSS expression survives into any field of an item. The corpus is ``testdata/xss_payloads.txt``.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import re

import pytest

from tim.normalizers import clean_text, normalize, safe_http_url, sanitize_html

from tests.security.inert import html_problems

from .conftest import TESTDATA, FakeParts, make_raw, make_source


def _payloads() -> list[str]:
    lines = (TESTDATA / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
    return [
        codecs.decode(line, "unicode_escape") if "\\" in line else line
        for line in lines
        if line.strip() and not line.startswith("#")
    ]


PAYLOADS = _payloads()
FORBIDDEN = (
    "<script", "javascript:", "vbscript:", "data:", "<svg", "<math", "<iframe", "<object",
    "<embed", "<img", "<style", "<link", "<meta", "<base", "<form", "<input", "<video",
    "expression(", "srcdoc", "xlink", "style=",
)
HANDLER_RE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)


def assert_safe_html(html: str) -> None:
    lowered = html.lower()
    for needle in FORBIDDEN:
        assert needle not in lowered, f"{needle!r} survived in {html!r}"
    assert not HANDLER_RE.search(html), html
    problems = html_problems(html)
    assert problems == [], (problems, html)


def test_corpus_is_loaded():
    assert len(PAYLOADS) >= 50
    assert any("\t" in p for p in PAYLOADS) and any("\x01" in p for p in PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitize_html_neutralises(payload):
    assert_safe_html(sanitize_html(payload, base_url="https://www.maastrichtdoet.nl/vacatures/"))
    assert_safe_html(sanitize_html(f"<p>Buurtfeest</p>{payload}<p>Malberg</p>"))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_clean_text_has_no_markup(payload):
    text = clean_text(payload)
    assert not re.search(r"<[a-zA-Z!/?]", text), text
    for needle in ("javascript:", "vbscript:", "onerror", "onload", "expression("):
        assert needle not in text.lower(), text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_item_fields_carry_no_payload(payload, fake_address):
    # The address parser is made hostile too: whatever it returns is cleaned again.
    fake_address.answers[clean_text(payload)] = FakeParts(payload, payload, payload, payload)
    fields = {
        "id": "xss-1",
        "title": f"Buurtfeest {payload}",
        "description": payload,
        "organizer": payload,
        "location_name": payload,
        "address": payload,
        "url": payload,
        "image": payload,
        "categories": [payload, "Cultuur"],
    }
    item = normalize(make_raw(fields), make_source())
    assert item.title.startswith("Buurtfeest")
    assert_safe_html(item.description_html)
    dumped = json.dumps(dataclasses.asdict(item), default=str).lower()
    needles = ("<script", "javascript:", "vbscript:", "data:text", "<svg", "onerror=", "onload=")
    for needle in needles:
        assert needle not in dumped, needle
    assert item.postcode is None and (item.housenumber is None or item.housenumber.isalnum())
    for name in ("url", "image"):
        value = getattr(item, name)
        assert value is None or value.startswith(("https://", "http://")), value
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", c) for c in item.categories)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)",
        "jav\tascript:alert(1)", "\x01javascript:alert(1)", "java\nscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "data:image/png;base64,AAA",
        "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://ftp.example.org/x",
        "mailto:info@trajekt.nl", "//", "http://", "https:///pad", "http://exa mple.org/",
        "http://[::1", "http://example.org:99999/", "<script>alert(1)</script>", "", "   ",
    ],
)
def test_safe_http_url_refuses(url):
    assert safe_http_url(url, "https://www.maastrichtdoet.nl/") is None


def test_title_made_only_of_markup_is_an_error():
    from tim.errors import RecordError

    with pytest.raises(RecordError):
        normalize(make_raw({"id": "1", "title": "<script>alert(1)</script>"}), make_source())
