"""Refuse dangerous XML before any XML parser that expands entities sees it.

defusedxml parses the document with entity declarations and external references forbidden, so a
billion-laughs or XXE document fails at its first declaration. A plain DOCTYPE without an
internal subset (the Netscape RSS 0.91 one) is harmless and allowed. A document that is not
well-formed XML is still refused if it declares entities or an internal subset anywhere, so the
forgiving parser behind it never meets them.
"""

from __future__ import annotations

import re

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

_DANGEROUS = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.IGNORECASE)


class UnsafeXml(ValueError):
    """Raised by :func:`check_xml` for entity declarations, internal subsets or external refs."""


def _as_utf8(data: bytes) -> bytes:
    for bom, enc in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"), (b"\x00<", "utf-16-be"),
                     (b"<\x00", "utf-16-le")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace").encode("utf-8")
    return data


def check_xml(data: bytes) -> bool:
    """Raise :class:`UnsafeXml` for a dangerous document; return whether it is well-formed."""
    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeXml(f"XML refused: {type(exc).__name__}: {exc}") from exc
    except ParseError:
        if _DANGEROUS.search(_as_utf8(data)):
            raise UnsafeXml("XML refused: malformed document declaring entities or a DTD subset")
        return False
    return True
