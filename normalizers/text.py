"""Text and HTML cleaning: plain-text fields, the sanitised description and length caps.

Every field a source gives us is hostile until cleaned here. Two outputs exist:

- plain text (``clean_text``): tags stripped (``script``/``style`` and similar *with* their
  content), entities unescaped (one extra round for double-escaped feeds), control and
  invisible format characters removed, whitespace collapsed, NFC, capped;
- sanitised HTML (``sanitize_html``): the nh3 allow-list below, links only to absolute
  http/https/mailto URLs with ``rel="nofollow noopener noreferrer"``, nothing else.

Input is capped *before* parsing (``RAW_TEXT_MAX_CHARS`` for short fields,
``DESCRIPTION_MAX_CHARS`` for descriptions) so a hostile 50 MB field costs no more than a normal
one.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import nh3

from .urls import safe_http_url, safe_link

#: Descriptions are cut to this many characters before they are parsed (~100 kB).
DESCRIPTION_MAX_CHARS = 100_000
#: Short text fields (title, organizer, ...) are cut to this many characters before parsing.
RAW_TEXT_MAX_CHARS = 20_000

#: Tags kept in ``description_html``; everything else is unwrapped (text kept) or dropped.
ALLOWED_TAGS = frozenset(
    {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a", "h2", "h3", "h4", "blockquote"}
)
#: Attributes kept, per tag. ``rel`` is set by the sanitiser itself.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
#: Link schemes kept in ``href``.
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
#: Tags dropped together with everything inside them.
DROP_CONTENT_TAGS = frozenset(
    {
        "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object",
        "embed", "applet", "svg", "math", "noembed", "noframes", "xmp", "textarea", "select",
        "title", "head", "canvas", "audio", "video", "picture", "map",
    }
)

# Block tags outside the allow-list become paragraphs (so "<div>a</div><div>b</div>" does not
# glue "ab"); table cells become a space. This runs on raw input, before nh3: it only ever adds
# or swaps tag names, and nh3 decides what survives.
_TO_P_TAGS = (
    "div|section|article|header|footer|main|aside|nav|figure|figcaption|address|dl|dt|dd|tr|"
    "table|thead|tbody|tfoot|caption|pre|center|fieldset|details|summary|form|hr"
)
_OPEN_BLOCK_RE = re.compile(rf"<(?:{_TO_P_TAGS})\b[^>]*>", re.IGNORECASE)
_CLOSE_BLOCK_RE = re.compile(rf"</(?:{_TO_P_TAGS})\s*>", re.IGNORECASE)
_HEADING_RE = re.compile(r"<(/?)h([1-6])\b[^>]*>", re.IGNORECASE)
_CELL_RE = re.compile(r"</?t[dh]\b[^>]*>", re.IGNORECASE)
_ANY_BLOCK_RE = re.compile(
    rf"</?(?:{_TO_P_TAGS}|p|br|li|ul|ol|blockquote|h[1-6]|td|th)\b", re.IGNORECASE
)

#: HTML nested deeper than this is pathological (html5ever's tree building is quadratic in depth:
#: 12,500 nested lists take seconds); it is reduced to plain text by ``_crude_text`` instead.
MAX_NESTING = 256
_TAG_TOKEN_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
# Void and auto-closing elements do not count towards depth.
_UNCOUNTED_TAGS = frozenset(
    {"br", "img", "hr", "input", "meta", "link", "area", "base", "col", "embed", "source",
     "track", "wbr", "param", "p", "li", "dt", "dd", "option", "tr", "td", "th"}
)
_RAW_BLOCK_RE = re.compile(r"<(script|style|template|textarea|xmp)\b.*?</\1\s*>", re.I | re.S)
_ANY_TAG_RE = re.compile(r"<[^<>]*>")
_CUT_TAG_RE = re.compile(r"<[^<>]{0,2000}$")

_TAG_RE = re.compile(r"<[a-zA-Z!/?][^<]*?>|<!--", re.DOTALL)
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")

# C0/C1 controls (not tab/newline/CR), soft hyphen, zero-width and bidi controls (text
# spoofing), BOM, interlinear annotations, lone surrogates, non-characters.
_INVISIBLE_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]"
)
_SPACE_RE = re.compile(r"\s+")
_EMPTY_P_RE = re.compile(r"<p>(?:\s|<br>)*</p>")


def as_text(value: Any) -> str | None:
    """The string in a raw value: str as is, numbers as digits, bytes as UTF-8, the first usable
    element of a list; anything else (dicts, booleans, None) is ``None``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value[: DESCRIPTION_MAX_CHARS * 4]).decode("utf-8", "replace")
    if isinstance(value, (list, tuple)):
        for element in value[:10]:
            if isinstance(element, (list, tuple)):
                continue
            text = as_text(element)
            if text and text.strip():
                return text
    return None


def _cut(text: str, max_chars: int) -> str:
    """``text`` cut to ``max_chars`` before parsing, without a half tag at the end."""
    if len(text) <= max_chars:
        return text
    return _CUT_TAG_RE.sub("", text[:max_chars])


def looks_like_html(text: str) -> bool:
    """True when ``text`` contains a tag, a comment or an entity."""
    return bool(_TAG_RE.search(text) or _ENTITY_RE.search(text))


def remove_invisible(text: str) -> str:
    """Drop control characters and invisible format characters (zero-width, bidi overrides)."""
    return _INVISIBLE_RE.sub("", text)


def cap(text: str, max_chars: int) -> str:
    """``text`` cut to at most ``max_chars`` characters, at a word boundary when one is near,
    ending in an ellipsis when anything was cut."""
    if max_chars <= 0:
        return ""
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    space = cut.rfind(" ")
    if not text[len(cut)].isspace() and space >= max_chars * 0.7:
        cut = cut[:space]  # do not end in half a word
    return cut.rstrip(" \t\n,;:-") + "…"


def clean_text(value: Any, max_chars: int = 500) -> str:
    """Plain text from any raw value: no tags, no entities, no control characters, single
    spaces, NFC, at most ``max_chars`` characters. ``""`` when nothing is left."""
    text = as_text(value)
    if not text:
        return ""
    text = remove_invisible(_cut(text, RAW_TEXT_MAX_CHARS))
    # Feeds double-escape ("&amp;lt;b&amp;gt;"): strip and unescape until no markup is left,
    # at most three rounds; entities that remain after that are plain text (escaped on output),
    # and a tag the last unescape made is cut out without decoding anything more.
    for _ in range(3):
        if not looks_like_html(text):
            break
        text = _strip_markup(text)
    text = _without_tags(text)
    text = unicodedata.normalize("NFC", remove_invisible(text))
    text = _SPACE_RE.sub(" ", text).strip()
    return cap(text, max_chars)


def too_deep(text: str, limit: int = MAX_NESTING) -> bool:
    """True when the tags in ``text`` nest deeper than ``limit`` (a cheap, approximate count)."""
    depth = 0
    for match in _TAG_TOKEN_RE.finditer(text):
        if match.group(2).lower() in _UNCOUNTED_TAGS:
            continue
        depth = max(depth + (-1 if match.group(1) else 1), 0)
        if depth > limit:
            return True
    return False


def _crude_text(text: str) -> str:
    """Plain text of pathological HTML without an HTML parser: raw-text blocks and tags cut out
    by pattern, entities decoded, no ``<`` left in front of a letter. Only the escaped text of
    this ever reaches output, so its crudeness costs looks, not safety."""
    text = _RAW_BLOCK_RE.sub(" ", text)
    for _ in range(5):
        stripped = _ANY_TAG_RE.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    text = html.unescape(text)
    return re.sub(r"<(?=[a-zA-Z!/?])", "", text)


def _without_tags(text: str) -> str:
    """``text`` with whatever still reads as a tag or comment cut out, decoding nothing (the last
    step after the strip-and-unescape rounds, which may have unescaped a tag into being)."""
    if not _TAG_RE.search(text):
        return text
    for _ in range(5):
        stripped = _ANY_TAG_RE.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    return re.sub(r"<(?=[a-zA-Z!/?])", "", text)


def _strip_markup(text: str) -> str:
    """One round of: tags out (dangerous ones with their content), entities decoded. A space
    goes where a block tag was, so "<p>a</p><p>b</p>" gives "a b", not "ab"."""
    if too_deep(text):
        return _crude_text(text)
    stripped = _cleaner(None, text_only=True).clean(_ANY_BLOCK_RE.sub(r" \g<0>", text))
    return html.unescape(stripped)


def _blocks_to_paragraphs(text: str) -> str:
    text = _HEADING_RE.sub(_heading_sub, text)
    text = _OPEN_BLOCK_RE.sub("<p>", text)
    text = _CLOSE_BLOCK_RE.sub("</p>", text)
    return _CELL_RE.sub(" ", text)


def _heading_sub(match: re.Match[str]) -> str:
    level = min(max(int(match.group(2)), 2), 4)
    return f"<{match.group(1)}h{level}>"


@lru_cache(maxsize=64)
def _cleaner(base_url: str | None, text_only: bool = False) -> nh3.Cleaner:
    """One nh3 cleaner per base URL (relative links are resolved against it, or dropped)."""
    if text_only:
        return nh3.Cleaner(
            tags=set(), clean_content_tags=set(DROP_CONTENT_TAGS), attributes={},
            strip_comments=True, link_rel=None,
        )
    url_relative: Any = ("rewrite_with_base", base_url) if base_url else "deny"
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_CONTENT_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter(base_url),
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        url_relative=url_relative,
        generic_attribute_prefixes=set(),
    )


def _attribute_filter(base_url: str | None) -> Callable[[str, str, str], str | None]:
    """Second line of defence after nh3's own URL check: an ``href`` with any scheme other than
    http/https/mailto (after the whitespace and control characters a browser ignores are
    removed) is dropped; an http/https one is made absolute against ``base_url`` and loses its
    tracking parameters (so a changed newsletter campaign is not an edit); without a base a
    relative one is dropped."""

    def check(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            link = safe_link(value)
            if link is None or link.lower().startswith("mailto:"):
                return link
            return safe_http_url(link, base_url)
        return value

    return check


def sanitize_html(value: Any, base_url: str | None = None) -> str:
    """Safe HTML for ``description_html``.

    Plain text (no tags) is escaped and its blank-line paragraphs and line breaks kept. HTML is
    cut to ``DESCRIPTION_MAX_CHARS`` characters, then cleaned by nh3 with the allow-list of this
    module; relative links are resolved against ``base_url`` (an http/https URL), else dropped.
    """
    text = as_text(value)
    if not text:
        return ""
    text = remove_invisible(_cut(text, DESCRIPTION_MAX_CHARS))
    if _TAG_RE.search(text) and too_deep(text):
        text = _crude_text(text)  # then handled as plain text
    if not _TAG_RE.search(text):
        text = _paragraphs(html.unescape(text) if _ENTITY_RE.search(text) else text, escape=True)
    elif "\n" in text.strip() and not _ANY_BLOCK_RE.search(text):
        # Text with only inline tags ("Regel 1\n\n<b>Alinea 2</b>"): its line breaks are meant.
        text = _paragraphs(text, escape=False)
    else:
        text = _blocks_to_paragraphs(text)
    base = base_url if base_url and base_url.startswith(("http://", "https://")) else None
    cleaned = _cleaner(base).clean(text)
    cleaned = unicodedata.normalize("NFC", cleaned)
    return _EMPTY_P_RE.sub("", cleaned).strip()


def _paragraphs(text: str, escape: bool) -> str:
    """Blank lines -> paragraphs, single newlines -> ``<br>``; escaped when ``text`` is plain."""
    quote = html.escape if escape else (lambda line: line)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [p.strip() for p in re.split(r"\n[ \t\f\v]*\n", text)]
    return "".join(
        "<p>" + "<br>".join(quote(line.strip()) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p
    )


def html_to_text(value: Any) -> str:
    """Plain text of any HTML: sanitised first, then blocks become line breaks (blank lines
    between paragraphs), inline whitespace collapses, entities are decoded."""
    return safe_html_to_text(sanitize_html(value))


def safe_html_to_text(safe_html: str) -> str:
    """Plain text of HTML that ``sanitize_html`` already produced (no second sanitising); markup
    that was escaped text in the HTML is stripped here, as ``clean_text`` strips it."""
    parser = _TextParser()
    parser.feed(safe_html)
    parser.close()
    raw = "".join(parser.parts)
    # Escaped markup ("&lt;script&gt;") is inert text in the HTML, but decoded it reads as a tag:
    # a plain-text field holds none (as in clean_text), so strip it, at most three rounds.
    for _ in range(3):
        if not looks_like_html(raw):
            break
        raw = _strip_markup(raw)
    raw = _without_tags(raw)
    lines = [_SPACE_RE.sub(" ", line).strip() for line in raw.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    text = "\n".join(out).strip()
    return unicodedata.normalize("NFC", remove_invisible(text))


class _TextParser(HTMLParser):
    _PARAGRAPH = frozenset({"p", "h2", "h3", "h4", "blockquote", "ul", "ol"})
    _LINE = frozenset({"br", "li"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._PARAGRAPH:
            self.parts.append("\n\n")
        elif tag in self._LINE:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._PARAGRAPH:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        # Source newlines inside a block are formatting, not breaks.
        self.parts.append(_SPACE_RE.sub(" ", data))
