"""``json``: a JSON API, paged by a next-URL path, a page number or an offset.

``items`` is the dotted path to each response's list of records; ``fields`` maps canonical
field -> dotted path inside one record (unset: record keys that already are canonical names).
Paging stops on a missing next URL or an empty page; ``max_pages``/``max_items`` stop it early
and mark the crawl incomplete. Every page is fetched conditionally: a single-page source that
comes back unchanged is ``not_modified``; an unchanged page of a paged source is a ``Replay``
(its stored items, unread) and its notes (next URL, record count) give the way on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from w3lib.url import add_or_replace_parameter

from tim.errors import RecordError, SourceError
from tim.records import RAW_FIELDS, RawRecord, Replay

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
        """(url, parsed body) per page, following the configured paging style; (url, ``Replay``)
        for a page of a paged source that came back unchanged (its notes give the way on)."""
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
            resp = self.http.fetch(url, conditional=True, notes=style is not None)
            if resp.not_modified and style is None:
                self.not_modified = True
                return
            if resp.not_modified:
                count, nxt = int(resp.meta.get("count", 0)), resp.meta.get("next")
                yield resp.url, Replay(resp.url, count, int(resp.meta.get("failed", 0)))
            else:
                data = self.parse(resp.content, resp.url)
                items = get_path(data, src.items)
                count = len(items) if isinstance(items, list) else 0
                nxt = get_path(data, src.next) if style == "next" else None
                nxt = nxt.strip() if isinstance(nxt, str) and nxt.strip() else None
                if style is not None:
                    self.http.note(url, {"count": count, "next": nxt})
                yield resp.url, data
            if style is None:
                return
            if style == "next":
                if not nxt:
                    return
                url = urljoin(resp.url, nxt)
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
            if isinstance(data, Replay):
                if taken + data.count > self.source.max_items:
                    self.complete = False
                    return
                taken += data.count
                yield data  # type: ignore[misc]  (the pipeline takes the page's stored items)
                continue
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
                    self.http.note_failure(url)
                    continue
                fields = self.fields_of(record)
                taken += 1
                yield self.record(fields.get("id"), fields, url, record)
