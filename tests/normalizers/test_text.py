"""Plain-text cleaning, sanitised HTML and length caps (issue 8: sanitisation, field caps)."""

from __future__ import annotations

import time

import pytest

from tim.normalizers import cap, clean_text, html_to_text, safe_html_to_text, sanitize_html
from tim.normalizers.text import DESCRIPTION_MAX_CHARS, RAW_TEXT_MAX_CHARS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<b>Buurtfeest</b> &amp; BBQ", "Buurtfeest & BBQ"),
        ("  Koffie\u00a0ochtend \n\t in   de wijk ", "Koffie ochtend in de wijk"),
        ("Caf&eacute; &#233; &#xE9;", "Café é é"),
        ("a&amp;amp;b", "a&b"),  # double-escaped feeds
        ("<p>Eén</p><p>Twee</p>", "Eén Twee"),
        ("<div>Een</div><div>Twee</div>", "Een Twee"),  # block tags never glue words
        ("Regel 1<br>Regel 2", "Regel 1 Regel 2"),
        ("Kinderen <12 jaar gratis", "Kinderen <12 jaar gratis"),  # not a tag
        ("Tom & Jerry", "Tom & Jerry"),
        ("\u202egnikeoh\u200b test\x00\x07", "gnikeoh test"),  # bidi override, zero-width, C0
        ("Cafe\u0301", "Café"),  # NFC
        ("<script>alert(1)</script>Buurtfeest", "Buurtfeest"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;Buurtfeest", "Buurtfeest"),
        ("<style>p{color:red}</style>Buurtfeest", "Buurtfeest"),
        (12345, "12345"),
        (["", "Eerste titel", "Tweede"], "Eerste titel"),
        (b"Caf\xc3\xa9", "Café"),
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "raw", [None, "", "   ", "<p> </p>", {"naam": "x"}, True, [], "\u200b\x00"]
)
def test_clean_text_empty(raw):
    assert clean_text(raw) == ""


def test_cap_cuts_at_word_with_ellipsis():
    text = "Vrijwilligers gezocht voor de voedselbank in Maastricht-Oost"
    out = cap(text, 30)
    assert len(out) <= 30 and out.endswith("…")
    assert out == "Vrijwilligers gezocht voor de…"
    assert cap("kort", 30) == "kort"
    assert len(cap("x" * 100, 10)) == 10  # no space: hard cut


def test_clean_text_respects_max_chars():
    assert len(clean_text("woord " * 200, 300)) <= 300


def test_huge_fields_are_capped_before_parsing():
    # A 50 MB title and description cost no more than their caps.
    huge = "<b>" + "a" * 50_000_000
    started = time.perf_counter()
    assert len(clean_text(huge, 300)) <= 300
    html = sanitize_html("<p>" + "<i>x</i>" * 5_000_000)
    assert time.perf_counter() - started < 5
    assert len(html) < DESCRIPTION_MAX_CHARS * 2
    assert RAW_TEXT_MAX_CHARS < 1_000_000


def test_sanitize_keeps_allowed_structure():
    raw = (
        '<h1>Kop</h1><h2 class="x" id="y">Wat</h2><p style="color:red">Kom naar het '
        '<strong>buurtfeest</strong> in <em>Malberg</em>.</p><ul><li>Eén</li><li>Twee</li></ul>'
        '<blockquote>Citaat</blockquote><table><tr><td>cel</td></tr></table>'
    )
    html = sanitize_html(raw)
    assert html.startswith("<h2>Kop</h2><h2>Wat</h2><p>Kom naar het <strong>buurtfeest</strong>")
    assert "<ul><li>Eén</li><li>Twee</li></ul><blockquote>Citaat</blockquote>" in html
    assert "style" not in html and "class" not in html and "id=" not in html
    assert "table" not in html and "cel" in html


def test_sanitize_links_absolute_with_rel_and_no_tracking():
    html = sanitize_html(
        '<a href="/agenda/12?utm_source=nb&amp;id=3" title="Agenda" target="_blank">agenda</a>'
        '<a href="mailto:info@trajekt.nl">mail</a><a href="tel:+31433500000">bel</a>',
        base_url="https://www.trajekt.nl/nieuws/",
    )
    assert (
        '<a href="https://www.trajekt.nl/agenda/12?id=3" title="Agenda" '
        'rel="nofollow noopener noreferrer">agenda</a>' in html
    )
    assert '<a href="mailto:info@trajekt.nl" rel="nofollow noopener noreferrer">mail</a>' in html
    assert "tel:" not in html and "target" not in html


def test_sanitize_relative_link_without_base_is_dropped():
    html = sanitize_html('<a href="/agenda/12">agenda</a>')
    assert "href" not in html and "agenda</a>" in html


def test_plain_text_description_keeps_paragraphs():
    html = sanitize_html("Regel 1\r\nRegel 2\n\nAlinea 2 & 3 < 4")
    assert html == "<p>Regel 1<br>Regel 2</p><p>Alinea 2 &amp; 3 &lt; 4</p>"
    assert safe_html_to_text(html) == "Regel 1\nRegel 2\n\nAlinea 2 & 3 < 4"


def test_inline_html_with_newlines_keeps_paragraphs():
    html = sanitize_html("Regel 1\n\n<b>Alinea 2</b> <span>met</span> <blink>tekst</blink>")
    assert html == "<p>Regel 1</p><p><b>Alinea 2</b> met tekst</p>"


def test_newlines_inside_block_html_are_formatting():
    html = sanitize_html("<p>Dit is\neen zin</p>\n\n<p>Twee</p>")
    assert safe_html_to_text(html) == "Dit is een zin\n\nTwee"


def test_html_to_text_blocks_and_entities():
    text = html_to_text(
        "<h2>Wat</h2><p>Samen\n   koken &amp; eten</p><ul><li>Soep</li><li>Brood</li></ul>"
        "<div>Locatie: Brusselsestraat 38</div><script>x()</script>"
    )
    assert text == "Wat\n\nSamen koken & eten\n\nSoep\nBrood\n\nLocatie: Brusselsestraat 38"


def test_sanitize_drops_empty_paragraphs_and_comments():
    assert sanitize_html("<p> </p><!-- verborgen --><p>Tekst</p><p><br></p>") == "<p>Tekst</p>"


@pytest.mark.parametrize(
    "unit", ["<ul><li>", "<div>", "<blockquote>", "<b><i>", "<table><tr><td>", "<svg><g>"]
)
def test_deep_nesting_is_cheap_and_safe(unit):
    # html5ever's tree building is quadratic in depth; 12,500 nested lists took seconds.
    started = time.perf_counter()
    html = sanitize_html(unit * 50_000 + "<script>alert(1)</script>Einde")
    text = clean_text(unit * 50_000 + "Einde")
    assert time.perf_counter() - started < 1
    assert "<script" not in html and "<" not in text


def test_ordinary_nesting_keeps_its_markup():
    html = sanitize_html("<ul>" + "<li><ul>" * 20 + "<li>diep</li>" + "</ul></li>" * 20 + "</ul>")
    assert html.count("<ul>") == 21 and "<li>diep</li>" in html


def test_cut_input_loses_its_half_tag():
    raw = "<p>" + "woord " * 20_000 + "<blockquote cite='x'>"
    assert "blockquote" not in sanitize_html(raw[: DESCRIPTION_MAX_CHARS + 10])
    assert clean_text("a " * 10_000 + "<blockq" + "x" * 50_000, 10**6).endswith("a")
