"""URLs: only absolute http/https links leave the normaliser, and one canonical form per page.

- ``safe_http_url`` is for ``url`` and ``image``: resolved against the page it was found on,
  http/https only, no credentials, no tracking parameters, percent-encoded; else ``None``.
- ``canonical_url`` is for identity: ``safe_http_url`` plus w3lib's canonical form (sorted
  query, lower-case host, no fragment), so the same page reached through a newsletter link
  (``?utm_source=...``) is the same record.
- ``safe_link`` is the href check used inside sanitised HTML (http/https/mailto, or relative).

The tracking parameter list is part of item identity: changing it changes item ids of records
without their own id, so it is kept here, in code, and not in an operator-edited data file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

MAX_URL_CHARS = 2048

#: Query parameters that only track the visitor; dropped from every URL (any case).
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid",
     "_hsenc", "_hsmi", "mkt_tok"}
)
TRACKING_PREFIXES = ("utm_",)

_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# What a browser removes before it reads a URL: tab, LF, CR anywhere; C0 controls and space
# at both ends. We remove every C0 control and DEL anywhere.
_URL_JUNK_RE = re.compile(r"[\x00-\x1f\x7f]")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters no real link holds unencoded: markup that found its way into a URL field.
_MARKUP_RE = re.compile(r"[<>\"`]")
# "javascript:" inside an http URL's path or query is harmless, but it is encoded anyway
# ("%3A" means the same to the server) so no output ever carries the literal string.
_SCRIPT_SCHEME_RE = re.compile(r"(javascript|vbscript|livescript|data)\s*:", re.IGNORECASE)
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def _strip_junk(value: str) -> str:
    return _URL_JUNK_RE.sub("", value).strip(" \u00a0\u200b\ufeff")


def safe_link(value: Any) -> str | None:
    """``value`` as an href fit for sanitised HTML: a URL with an http, https or mailto scheme,
    or a relative reference (resolved or dropped by the sanitiser); else ``None``."""
    if not isinstance(value, str):
        return None
    link = _strip_junk(value)
    if not link or len(link) > MAX_URL_CHARS:
        return None
    match = _SCHEME_RE.match(link)
    if match and match.group(1).lower() not in _LINK_SCHEMES:
        return None
    return link


def strip_tracking(query: str) -> str:
    """``query`` without tracking parameters; the other parameters are kept verbatim."""
    kept = []
    for part in query.split("&"):
        if not part:
            continue
        name = unquote(part.split("=", 1)[0]).strip().lower()
        if name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES):
            continue
        kept.append(part)
    return "&".join(kept)


def safe_http_url(value: Any, base: str | None = None) -> str | None:
    """An absolute http/https URL from a raw value, or ``None``.

    Relative references are resolved against ``base`` (when ``base`` is http/https); a bare
    ``www.`` host gets ``https://``. Credentials, default ports and tracking parameters are
    removed, the fragment is kept, the result is percent-encoded (IDN hosts in punycode).
    """
    if not isinstance(value, str) or not (base is None or isinstance(base, str)):
        return None
    return _safe_http_url(value, base)


@lru_cache(maxsize=16384)
def _safe_http_url(value: str, base: str | None) -> str | None:
    """:func:`safe_http_url` of strings, remembered: every record of a feed resolves its links
    against the same document URL, and a pure function of two strings may be asked once."""
    url = _strip_junk(value)
    if not url or len(url) > MAX_URL_CHARS or _MARKUP_RE.search(url):
        return None
    if not _SCHEME_RE.match(url):
        if url.lower().startswith("www."):
            url = "https://" + url
        elif url.startswith("//"):  # protocol-relative: the host must be in the reference
            http_base = base and _is_http(base)
            scheme = _strip_junk(base).split(":", 1)[0].lower() if http_base else "https"
            url = f"{scheme}:{url}"
        elif base and _is_http(base):
            url = urljoin(_strip_junk(base), url)
        else:
            return None
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if scheme not in ("http", "https") or not host or re.search(r"[\s<>\"'`\\]", host):
        return None
    if host.startswith(".") or host.endswith("..") or ".." in host:
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    query = strip_tracking(parts.query)
    url = urlunsplit((scheme, netloc, parts.path or "/", query, parts.fragment))
    try:
        url = safe_url_string(url)
    except (ValueError, UnicodeError):
        return None
    head, sep, rest = url.partition("://")
    url = head + sep + _SCRIPT_SCHEME_RE.sub(lambda m: m.group(1) + "%3A", rest)
    return url if len(url) <= MAX_URL_CHARS else None


def canonical_url(value: Any, base: str | None = None) -> str | None:
    """The identity form of an http/https URL (see the module docstring), or ``None``."""
    url = safe_http_url(value, base)
    if url is None:
        return None
    try:
        return canonicalize_url(url, keep_fragments=False)
    except (ValueError, UnicodeError):
        return None


def _is_http(url: str) -> bool:
    return _strip_junk(url).lower().startswith(("http://", "https://"))
