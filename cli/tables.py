"""Rendering of the CLI's tables (rich).

Error messages are never squeezed into a table cell: a table row shows the status, and the whole
message is printed under the table as a detail line, wrapped at the terminal's width
(:func:`with_errors`). Text from sources and the database is added as :class:`rich.text.Text`,
so brackets in it are never read as rich markup.
"""

from __future__ import annotations

import os
import shutil
import sys

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

#: Width used when output is piped and COLUMNS is unset: wide enough for the run table in a file.
PIPED_WIDTH = 140


def make_console(file=None) -> Console:
    """A console as wide as the terminal (or ``COLUMNS``); ``PIPED_WIDTH`` when piped."""
    stream = file or sys.stdout
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        width = int(columns)
    elif stream.isatty():
        width = shutil.get_terminal_size((80, 24)).columns
    else:
        width = PIPED_WIDTH
    return Console(file=file, width=width)


class _Console:
    """``console.print(...)`` on a console made for the current stdout and terminal width."""

    def print(self, *objects, **kwargs) -> None:
        make_console().print(*objects, **kwargs)


console = _Console()


def with_errors(table: Table, errors: list[tuple[str, str]], title: str = "Errors") -> RenderableType:
    """``table`` followed by one wrapped detail line per ``(label, message)``: the whole message."""
    if not errors:
        return table
    lines: list[RenderableType] = [table, Text(f"{title}:", style="bold")]
    for label, message in errors:
        lines.append(Padding(Text(label + ":", style="bold red"), (0, 0, 0, 2), expand=False))
        lines.append(Padding(Text(message), (0, 0, 0, 4), expand=False))
    return Group(*lines)


def run_summary(reports) -> RenderableType:
    """The per-source run table of ``tim crawl`` / ``tim demo``, with each error in full below it."""
    table = Table(title="Runs per source")
    for col in ("source", "status", "fetched", "inserted", "updated", "unchanged", "failed", "expired", "seconds"):
        if col in ("source", "status"):
            table.add_column(col, overflow="fold")  # a source id is wrapped, never cut
        else:
            table.add_column(col, justify="right")
    errors = []
    for r in reports:
        colour = {"ok": "green", "not_modified": "green", "suspect": "yellow", "failed": "red"}.get(r.status, "")
        table.add_row(
            Text(r.source_id), Text(r.status, style=colour), str(r.fetched), str(r.inserted),
            str(r.updated), str(r.unchanged), str(r.failed), str(r.expired), f"{r.seconds:.1f}",
        )
        if r.error:
            errors.append((f"{r.source_id} ({r.status})", r.error))
    return with_errors(table, errors)


def buurt_counts(rows, title: str = "Active bundled items per buurt") -> Table:
    table = Table(title=title)
    for col in ("buurt_code", "buurt", "wijk", "items"):
        table.add_column(col, justify="right" if col == "items" else "left", overflow="fold")
    for r in rows:
        table.add_row(r["buurt_code"] or "-", Text(r["buurt_name"] or "(city-wide / no buurt)"), r["wijk_code"] or "-",
                      str(r["items"]))
    return table
