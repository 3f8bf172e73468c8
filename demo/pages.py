"""Shared HTML of the demo sites: a page layout, escaping and Dutch date formatting."""

from __future__ import annotations

import html
from datetime import date, datetime

from tim.demo.catalog import TZ

DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def dutch_date(d: date | datetime, weekday: bool = True) -> str:
    """``zaterdag 14 juni 2025`` (a datetime is shown in Europe/Amsterdam)."""
    if isinstance(d, datetime):
        d = d.astimezone(TZ).date()
    text = f"{d.day} {MAANDEN[d.month - 1]} {d.year}"
    return f"{DAGEN[d.weekday()]} {text}" if weekday else text


def dutch_when(start: datetime | date, end: datetime | date | None = None) -> str:
    """``zaterdag 14 juni 2025, 13.30 - 16.30 uur`` or a whole day."""
    if not isinstance(start, datetime):
        return f"{dutch_date(start)} (hele dag)"
    s = start.astimezone(TZ)
    text = f"{dutch_date(s)}, {s:%H.%M}"
    if isinstance(end, datetime):
        text += f" - {end.astimezone(TZ):%H.%M}"
    return text + " uur"


def layout(
    title: str,
    body: str,
    *,
    site: str,
    home: str,
    nav: list[tuple[str, str]] = (),
    head: str = "",
    canonical: str | None = None,
) -> str:
    """A complete HTML page with header, navigation and footer."""
    links = "".join(f'<a href="{esc(href)}">{esc(label)}</a>' for label, href in nav)
    canon = f'<link rel="canonical" href="{esc(canonical)}">' if canonical else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="nl"><head><meta charset="utf-8"><title>{esc(title)} | {esc(site)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{canon}{head}</head>\n<body>\n"
        f'<header class="site-header"><a class="logo" href="{esc(home)}">{esc(site)}</a>'
        f'<nav class="hoofdmenu">{links}</nav></header>\n'
        f"<main>\n{body}\n</main>\n"
        '<footer class="site-footer">'
        f"<p>{esc(site)} &middot; demonstratiesite van Thuis in Maastricht; "
        "de activiteiten en vacatures zijn verzonnen, de adressen zijn echt.</p>"
        '<p><a href="/">Alle demosites</a> &middot; <a href="/privacy">Privacy</a></p></footer>\n'
        "</body></html>\n"
    )
