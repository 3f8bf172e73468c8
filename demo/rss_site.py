"""The gemeente's news: an RSS 2.0 feed (``/gemeente/nieuws.rss``) and an article page per item.

Descriptions are HTML in CDATA; items with a point carry ``georss:point``; guids are not
permalinks; pubDate is RFC 822 with the Amsterdam offset.
"""

from __future__ import annotations

from email.utils import format_datetime
from xml.sax.saxutils import escape

from tim.demo.catalog import Catalog, Entry
from tim.demo.httputil import conditional
from tim.demo.pages import dutch_date, esc, layout
from tim.demo.web import LocalWeb

FEED_PATH = "/gemeente/nieuws.rss"
SITE = "Gemeente Maastricht"


def _article_url(base: str, e: Entry) -> str:
    return f"{base}/gemeente/nieuws/{e.slug}"


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render_feed(cat: Catalog, base: str) -> str:
    """The RSS 2.0 document, newest first."""
    meta = cat.meta["nieuws"]["kanaal"]
    entries = sorted(cat.site("nieuws"), key=lambda e: e.published_at, reverse=True)
    items = []
    for e in entries:
        parts = [
            f"<title>{escape(e.title)}</title>",
            f"<link>{escape(_article_url(base, e))}</link>",
            f'<guid isPermaLink="false">{escape(e.key)}</guid>',
            f"<pubDate>{format_datetime(e.published_at)}</pubDate>",
            f"<category>{escape(e.data['categorie'])}</category>",
            "<dc:creator>Gemeente Maastricht</dc:creator>",
            f"<description>{_cdata(e.description_html())}</description>",
        ]
        if e.mode == "geo" and e.place:
            parts.append(f"<georss:point>{e.place.lat} {e.place.lon}</georss:point>")
        items.append("    <item>\n      " + "\n      ".join(parts) + "\n    </item>")
    newest = entries[0].published_at
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:georss="http://www.georss.org/georss">\n'
        "  <channel>\n"
        f"    <title>{escape(meta['titel'])}</title>\n"
        f"    <link>{base}/gemeente/nieuws</link>\n"
        f"    <description>{escape(meta['omschrijving'])}</description>\n"
        "    <language>nl-NL</language>\n"
        f"    <lastBuildDate>{format_datetime(newest)}</lastBuildDate>\n"
        f'    <atom:link href="{base}{FEED_PATH}" rel="self" type="application/rss+xml"/>\n'
        + "\n".join(items)
        + "\n  </channel>\n</rss>\n"
    )


def _article_page(e: Entry, base: str) -> str:
    body = (
        '<article class="nieuwsbericht"><p class="kruimelpad"><a href="/gemeente/nieuws">Nieuws'
        "</a></p>"
        f"<h1>{esc(e.title)}</h1>"
        '<p class="datum">'
        f'<time datetime="{e.published_at.isoformat()}">{dutch_date(e.published_at)}</time>'
        f" &middot; {esc(e.data['categorie'])}</p>"
        f'<div class="tekst">{e.description_html()}</div></article>'
    )
    return layout(
        e.title,
        body,
        site=SITE,
        home="/gemeente/nieuws",
        nav=[("Nieuws", "/gemeente/nieuws"), ("RSS", FEED_PATH)],
        canonical=_article_url(base, e),
    )


def register(web: LocalWeb, cat: Catalog, base: str) -> None:
    """Routes: the feed (conditional GET), the news index and one page per article."""
    feed = render_feed(cat, base)
    newest = max(e.published_at for e in cat.site("nieuws"))
    web.route(
        FEED_PATH, lambda req: conditional(req, feed, "application/rss+xml; charset=utf-8", newest)
    )
    lis = "".join(
        f'<li><a href="/gemeente/nieuws/{esc(e.slug)}">{esc(e.title)}</a> '
        f"<span>{dutch_date(e.published_at, weekday=False)}</span></li>"
        for e in sorted(cat.site("nieuws"), key=lambda e: e.published_at, reverse=True)
    )
    index = layout(
        "Nieuws",
        f'<h1>Nieuws</h1><p><a href="{FEED_PATH}">Abonneer via RSS</a></p><ul>{lis}</ul>',
        site=SITE,
        home="/gemeente/nieuws",
        head=f'<link rel="alternate" type="application/rss+xml" href="{FEED_PATH}">',
    )
    web.route("/gemeente/nieuws", index)
    for e in cat.site("nieuws"):
        web.route(f"/gemeente/nieuws/{e.slug}", _article_page(e, base))
