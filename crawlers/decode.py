"""Bounded content decoding: inflate gzip/deflate bodies a slice at a time.

httpx decodes a whole network chunk at once, so a 64 KiB chunk of a gzip bomb can become
~64 MiB before anyone counts it. Here every step yields at most ``STEP`` decoded bytes, so the
caller's byte cap stops a bomb after at most one step past the cap.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

STEP = 64 * 1024

#: What we send as Accept-Encoding; anything else the server uses is refused.
ACCEPT_ENCODING = "gzip, deflate"


class UnsupportedEncoding(ValueError):
    """Raised by :func:`decoded` for a Content-Encoding we did not ask for (br, zstd, ...)."""


def _inflate(chunks: Iterable[bytes], wbits: int) -> Iterator[bytes]:
    d = zlib.decompressobj(wbits)
    first = True
    for chunk in chunks:
        data = chunk
        while data:
            try:
                out = d.decompress(data, STEP)
            except zlib.error:
                if not (first and wbits == zlib.MAX_WBITS | 32):
                    raise
                d, wbits = zlib.decompressobj(-zlib.MAX_WBITS), -zlib.MAX_WBITS  # raw deflate
                continue
            first = False
            if out:
                yield out
            data = d.unconsumed_tail
            if d.eof:
                return
    tail = d.flush()
    if tail:
        yield tail


def decoded(chunks: Iterable[bytes], content_encoding: str | None) -> Iterator[bytes]:
    """Decode ``chunks`` by the (possibly layered) ``Content-Encoding``; raise
    :class:`UnsupportedEncoding` for codings other than identity/gzip/deflate."""
    stream: Iterable[bytes] = chunks
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):  # the last coding listed was applied last: undo it first
        if coding in ("identity", ""):
            continue
        if coding in ("gzip", "x-gzip"):
            stream = _inflate(stream, 16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            stream = _inflate(stream, zlib.MAX_WBITS | 32)
        else:
            raise UnsupportedEncoding(coding)
    return iter(stream)
