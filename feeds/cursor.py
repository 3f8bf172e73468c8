"""Opaque tokens: the ``cursor`` of ``/items`` and the ``after`` of ``/changes``.

A token is URL-safe base64 of a small JSON list; decoding checks its shape strictly, so a forged
or damaged token is a ``ValueError`` (the API answers 422), never a query.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

_ID_RE = re.compile(r"^[A-Za-z0-9._:~-]{1,80}$")
_KEY_RE = re.compile(r"^[0-9TZ:.+~-]{1,40}$")
MAX_TOKEN_CHARS = 400


def _encode(parts: list) -> str:
    raw = json.dumps(parts, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str) -> list:
    if not token or len(token) > MAX_TOKEN_CHARS or not re.fullmatch(r"[A-Za-z0-9_-]+", token):
        raise ValueError("malformed token")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        parts = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("malformed token") from exc
    if not isinstance(parts, list):
        raise ValueError("malformed token")
    return parts


def encode_cursor(sort: str, key, item_id: str) -> str:
    """Cursor after the item with sort ``key`` and ``item_id`` in order ``sort``."""
    return _encode([sort, key, item_id])


def decode_cursor(token: str, sort: str) -> tuple:
    """(key, id) of a cursor made for ``sort``; ``ValueError`` when it is not one."""
    parts = _decode(token)
    if len(parts) != 3 or parts[0] != sort:
        raise ValueError("cursor does not belong to this sort order")
    _, key, item_id = parts
    if not isinstance(item_id, str) or not _ID_RE.match(item_id):
        raise ValueError("malformed cursor")
    # the key's type must be the one its sort order compares with (the change number for
    # -modified, a timestamp string for starts_at, the id for id): a key of another type or an
    # integer out of the database's range would otherwise reach the query
    if sort == "-modified":
        ok = _is_seq(key)
    elif sort == "starts_at":
        ok = isinstance(key, str) and bool(_KEY_RE.match(key))
    else:
        ok = isinstance(key, str) and bool(_ID_RE.match(key))
    if not ok:
        raise ValueError("malformed cursor")
    return key, item_id


#: Change numbers are BIGINT-sized at most.
MAX_SEQ = 2**62


def _is_seq(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_SEQ


def encode_after(seq: int, item_id: str) -> str:
    """``/changes`` position after the change (``seq``, ``item_id``)."""
    return _encode([int(seq), item_id])


def decode_after(token: str) -> tuple[int, str]:
    """(seq, id) of an ``after`` token; ``ValueError`` when it is not one."""
    parts = _decode(token)
    if len(parts) != 2 or not _is_seq(parts[0]):
        raise ValueError("malformed change token")
    if not isinstance(parts[1], str) or not _ID_RE.match(parts[1]):
        raise ValueError("malformed change token")
    return parts[0], parts[1]
