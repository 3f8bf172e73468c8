"""URLs: absolute http/https only, and one canonical form per page for identity."""

from __future__ import annotations

import pytest

from tim.normalizers import canonical_url, safe_http_url, safe_link

BASE = "https://www.maastrichtdoet.nl/vacatures/?page=2"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.maastrichtdoet.nl/vacatures/1", "https://www.maastrichtdoet.nl/vacatures/1"),
        ("/vacatures/10482", "https://www.maastrichtdoet.nl/vacatures/10482"),
        ("10482-taalmaatje", "https://www.maastrichtdoet.nl/vacatures/10482-taalmaatje"),
        ("//cdn.maastrichtdoet.nl/a.jpg", "https://cdn.maastrichtdoet.nl/a.jpg"),
        ("www.trajekt.nl/agenda", "https://www.trajekt.nl/agenda"),
        ("  https://www.trajekt.nl/agenda \n", "https://www.trajekt.nl/agenda"),
        ("HTTPS://WWW.Trajekt.NL:443/Agenda", "https://www.trajekt.nl/Agenda"),
        ("http://localhost:8080/x", "http://localhost:8080/x"),
        ("https://user:geheim@www.trajekt.nl/x", "https://www.trajekt.nl/x"),
        ("https://www.trajekt.nl/x?utm_source=nb&id=3&UTM_Medium=e&fbclid=1&gclid=2&mc_cid=3"
         "&mc_eid=4#top",
         "https://www.trajekt.nl/x?id=3#top"),
        ("https://www.trajekt.nl/Verslag 2025.pdf", "https://www.trajekt.nl/Verslag%202025.pdf"),
        ("https://www.maastricht.nl/straße?q=é", "https://www.maastricht.nl/stra%C3%9Fe?q=%C3%A9"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
    ],
)
def test_safe_http_url(raw, expected):
    assert safe_http_url(raw, BASE) == expected


def test_relative_without_base_is_none():
    assert safe_http_url("/vacatures/1") is None
    assert safe_http_url("/vacatures/1", "file:///tmp/x") is None


def test_non_string_is_none():
    assert safe_http_url(None) is None and safe_http_url(123, BASE) is None
    assert safe_http_url({"url": "https://x.nl"}) is None


def test_too_long_is_none():
    assert safe_http_url("https://x.nl/" + "a" * 3000) is None


def test_canonical_url_ignores_tracking_order_fragment_and_case():
    a = canonical_url("https://WWW.Trajekt.nl/agenda/koffie?b=2&a=1&utm_source=nb#aanmelden")
    b = canonical_url("https://www.trajekt.nl:443/agenda/koffie?a=1&b=2&fbclid=IwAR")
    assert a == b == "https://www.trajekt.nl/agenda/koffie?a=1&b=2"


def test_canonical_url_keeps_path_case_and_meaningful_params():
    site = "https://www.trajekt.nl"
    assert canonical_url(f"{site}/Agenda?id=1") != canonical_url(f"{site}/agenda?id=1")
    assert canonical_url(f"{site}/a?id=1") != canonical_url(f"{site}/a?id=2")


def test_script_scheme_text_inside_http_url_is_encoded():
    url = safe_http_url("https://ok.nl/?q=javascript:alert(1)")
    assert url == "https://ok.nl/?q=javascript%3Aalert(1)"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("https://x.nl", "https://x.nl"), ("mailto:a@b.nl", "mailto:a@b.nl"), ("/rel", "/rel"),
     ("javascript:alert(1)", None), ("jav\tascript:x", None), ("data:x", None), ("tel:123", None),
     (None, None)],
)
def test_safe_link(raw, expected):
    assert safe_link(raw) == expected
