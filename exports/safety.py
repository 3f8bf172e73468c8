"""Output safety: what leaves the feeds, the map page and the exports is inert.

The normalisers already clean every field; this is the second wall, so a row that reached the
store some other way (an old version, a hand edit, a bug) still cannot carry script anywhere:

- ``safe_url``: only absolute http/https URLs (no credentials, no markup characters; a literal
  ``javascript:`` inside the path or query is percent-encoded), else ``None``;
- ``sanitize_html``: the nh3 allow-list, links only to http/https/mailto;
- ``plain_text``: a text field holds no markup: tags are stripped (``script``/``style`` with
  their content) and entities unescaped;
- ``clean_value``: all three applied to a bundled item by key, recursively;
- ``json_bytes``: JSON whose ``<``, ``>``, ``&`` and line separators are ``\\u`` escapes, so a
  JSON body never contains a literal tag, whatever its strings say.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a", "h2", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
DROP_CONTENT_TAGS = {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math",
                     "textarea", "title"}
URL_KEYS = frozenset({"url", "image", "link", "href", "feed_url", "home_page_url"})
HTML_KEYS = frozenset({"description_html", "content_html"})

_MARKUP = re.compile(r"[<>\"`\s\\\x00-\x1f\x7f]")
_SCRIPT_SCHEME = re.compile(r"(javascript|vbscript|livescript|data)\s*:", re.IGNORECASE)
_TAGLIKE = re.compile(r"[<&]")


_PLAIN_URL = re.compile(r"https?://[a-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][a-z0-9/?#%&=+._~!$'()*,;:@\[\]-]*)?", re.IGNORECASE)


def safe_url(value: Any) -> str | None:
    """``value`` if it is an absolute http(s) URL fit for an href, else ``None``."""
    if not isinstance(value, str) or not value or len(value) > 2048:
        return None
    if _PLAIN_URL.fullmatch(value) and _SCRIPT_SCHEME.search(value) is None:
        return value  # the common case, decided without parsing
    if _MARKUP.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return None
    return _SCRIPT_SCHEME.sub(lambda m: m.group(1) + "%3A", value)


def sanitize_html(value: Any) -> str:
    """``value`` through the allow-list: no script, no event handler, no javascript: link."""
    if not isinstance(value, str) or not value:
        return ""
    return nh3.clean(
        value, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, clean_content_tags=DROP_CONTENT_TAGS,
        url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


def plain_text(value: Any) -> Any:
    """A text field without markup (non-strings are returned unchanged)."""
    if not isinstance(value, str) or not _TAGLIKE.search(value):
        return value
    stripped = nh3.clean(value, tags=set(), clean_content_tags=DROP_CONTENT_TAGS, strip_comments=True)
    text = html.unescape(stripped)
    # Unescaping may have produced a tag again (double-escaped input): strip once more.
    if "<" in text and text != value:
        text = html.unescape(nh3.clean(text, tags=set(), clean_content_tags=DROP_CONTENT_TAGS))
    return text


def clean_value(value: Any, key: str | None = None) -> Any:
    """A bundled item (or any JSON value) made inert: URL keys through ``safe_url``, HTML keys
    through ``sanitize_html``, every other string through ``plain_text``."""
    kind = type(value)
    if kind is str:
        if key in URL_KEYS:
            return safe_url(value)
        if key in HTML_KEYS:
            return _sanitize_cached(value)
        return value if _TAGLIKE.search(value) is None else plain_text(value)
    if kind is dict:
        return {(k if _TAGLIKE.search(k) is None else plain_text(k)) if type(k) is str else str(k): clean_value(v, k)
                for k, v in value.items()}
    if kind is list:
        return [clean_value(v, key) for v in value]
    return value


@lru_cache(maxsize=8192)
def _sanitize_cached(value: str) -> str:
    return sanitize_html(value)


_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def json_text(value: Any, *, indent: int | None = None) -> str:
    """JSON text with HTML-significant characters escaped (still the same JSON value)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=None if indent else (",", ":"))
    return _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


def json_bytes(value: Any, *, indent: int | None = None) -> bytes:
    return json_text(value, indent=indent).encode("utf-8", "replace")
