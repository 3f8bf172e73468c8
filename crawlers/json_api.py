"""``json``: a JSON API, paged by a next-URL path, a page number or an offset.

``items`` is the dotted path to each response's list of records; ``fields`` maps canonical
field -> dotted path inside one record (unset: record keys that already are canonical names).
Paging stops on a missing next URL or an empty page; ``max_pages``/``max_items`` stop it early
and mark the crawl incomplete. A single-page source is fetched conditionally.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from w3lib.url import add_or_replace_parameter

from tim.errors import RecordError, SourceError
from tim.records import RAW_FIELDS, RawRecord

from .base import Crawler
from .paths import MAX_DEPTH, depth, get_path


def _raw(value: Any) -> Any:
    """Keep scalars and lists of scalars; nested objects are not raw field values."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, list):
        flat = [v for v in value if isinstance(v, (str, int, float))]
        return flat or None
    return None


class JsonCrawler(Crawler):
    """Walks the pages of a JSON API and yields one record per element of ``items``."""

    kind = "json"

    def parse(self, content: bytes, url: str) -> Any:
        try:
            data = json.loads(content)
        except RecursionError as exc:
            raise SourceError(self.source.id, f"{url}: JSON nested too deeply") from exc
        except ValueError as exc:
            raise SourceError(self.source.id, f"{url}: not JSON: {exc}") from exc
        if depth(data) > MAX_DEPTH:
            raise SourceError(self.source.id, f"{url}: JSON nested deeper than {MAX_DEPTH}")
        return data

    def fields_of(self, record: dict) -> dict:
        mapping = self.source.fields or {f: f for f in RAW_FIELDS}
        out = {}
        for name, path in mapping.items():
            value = _raw(get_path(record, path))
            if value not in (None, "", []):
                out[name] = value
        return out

    def pages(self) -> Iterator[tuple[str, Any]]:
        """(url, parsed body) per page, following the configured paging style."""
        src = self.source
        style = src.paging or ("next" if src.next else None)
        url, number, offset = src.url, src.page_start, 0
        seen: set[str] = {src.url}
        for n in range(src.max_pages):
            if style == "page":
                url = add_or_replace_parameter(src.url, src.page_param, str(number))
            elif style == "offset":
                url = add_or_replace_parameter(src.url, src.offset_param, str(offset))
            if style in ("page", "offset") and src.limit_param and src.page_size:
                url = add_or_replace_parameter(url, src.limit_param, str(src.page_size))
            resp = self.http.fetch(url, conditional=style is None)
            if resp.not_modified:
                self.not_modified = True
                return
            data = self.parse(resp.content, resp.url)
            yield resp.url, data
            items = get_path(data, src.items)
            count = len(items) if isinstance(items, list) else 0
            if style is None:
                return
            if style == "next":
                nxt = get_path(data, src.next)
                if not isinstance(nxt, str) or not nxt.strip():
                    return
                url = urljoin(resp.url, nxt.strip())
                if url in seen:
                    return
                seen.add(url)
            elif count == 0:
                return
            number += 1
            offset += count
        self.complete = False  # max_pages reached with pages left

    def crawl(self) -> Iterator[RawRecord]:
        taken = 0
        for url, data in self.pages():
            items = get_path(data, self.source.items)
            if isinstance(items, dict) and not self.source.items:
                items = [items]
            if not isinstance(items, list):
                raise SourceError(self.source.id, f"{url}: no list at items path "
                                                  f"{self.source.items or '(response)'!r}")
            for record in items:
                if taken >= self.source.max_items:
                    self.complete = False
                    return
                if not isinstance(record, dict):
                    self.errors.append(RecordError(self.source.id, None, RawRecord.hash_payload(record),
                                                   f"{url}: record is not a JSON object"))
                    continue
                fields = self.fields_of(record)
                taken += 1
                yield self.record(fields.get("id"), fields, url, record)
