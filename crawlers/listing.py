"""Walking listing pages with CSS selectors (``follow`` to detail pages, ``next`` to the next
listing page), shared by the crawlers that fetch through ``crawlers.http``."""

from __future__ import annotations

from urllib.parse import urljoin

from parsel import Selector


def links(html: str, base_url: str, selector: str | None) -> list[str]:
    """Absolute URLs of the elements ``selector`` picks (their ``href`` unless the selector
    says ``::attr(...)``/``::text``), in page order, without duplicates."""
    if not selector:
        return []
    sel = Selector(text=html, base_url=base_url)
    if selector.startswith("xpath:"):
        nodes = sel.xpath(selector[6:])
    else:
        nodes = sel.css(selector)
    explicit = "::" in selector or selector.startswith("xpath:")
    values = nodes.getall() if explicit else nodes.css("::attr(href)").getall()
    skip = ("#", "javascript:", "mailto:", "tel:", "data:")
    out = [urljoin(base_url, v.strip()) for v in values
           if v and v.strip() and not v.strip().lower().startswith(skip)]
    return list(dict.fromkeys(out))
