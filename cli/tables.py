"""Rendering of the CLI's tables (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

import shutil

# Wide enough for the run table even when output is piped (rich assumes 80 columns then).
console = Console(width=max(shutil.get_terminal_size((140, 40)).columns, 140))


def run_summary(reports) -> Table:
    table = Table(title="Runs per source")
    for col in ("source", "status", "fetched", "inserted", "updated", "unchanged", "failed", "expired", "seconds", "error"):
        table.add_column(col, justify="right" if col not in ("source", "status", "error") else "left")
    for r in reports:
        colour = {"ok": "green", "not_modified": "green", "suspect": "yellow", "failed": "red"}.get(r.status, "")
        table.add_row(
            r.source_id, f"[{colour}]{r.status}[/]" if colour else r.status, str(r.fetched), str(r.inserted),
            str(r.updated), str(r.unchanged), str(r.failed), str(r.expired), f"{r.seconds:.1f}",
            (r.error or "")[:80],
        )
    return table


def buurt_counts(rows, title: str = "Active bundled items per buurt") -> Table:
    table = Table(title=title)
    for col in ("buurt_code", "buurt", "wijk", "items"):
        table.add_column(col, justify="right" if col == "items" else "left")
    for r in rows:
        table.add_row(r["buurt_code"] or "-", r["buurt_name"] or "(city-wide / no buurt)", r["wijk_code"] or "-", str(r["items"]))
    return table
