"""The ``tim`` command line (typer). Commands call the pipeline, store and exports; no logic here."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tim.errors import TimError

from .common import DEFAULT_CONFIG, ConfigOption, DbOption, engine_for, fail, load, setup_logging
from .progress import progress_display
from .tables import buurt_counts, console, run_summary

app = typer.Typer(help="Thuis in Maastricht: crawl, normalise, geocode, de-duplicate and bundle items per buurt.",
                  no_args_is_help=True, add_completion=False)
sources_app = typer.Typer(help="Inspect and test the configured sources.", no_args_is_help=True)
dedup_app = typer.Typer(help="Operator overrides of cross-source de-duplication.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")
app.add_typer(dedup_app, name="dedup")

Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Log every run and failed record.")]


@app.command()
def crawl(
    source_ids: Annotated[list[str] | None, typer.Argument(help="Source ids to run (default: every enabled source).")] = None,
    db: DbOption = None,
    config: ConfigOption = DEFAULT_CONFIG,
    processes: Annotated[int | None, typer.Option(
        "--processes", "-p", min=1,
        help="Worker processes to crawl in (default: [settings] processes; use the number of cores for many sources).",
    )] = None,
    verbose: Verbose = False,
) -> None:
    """Run the whole pipeline once: crawl, normalise, geocode, store, de-duplicate.

    Shows progress on stderr (a live display on a terminal, logfmt lines otherwise); prints a
    summary per source; exits 1 if any source failed (the others are still stored).
    """
    from tim.pipeline import Pipeline

    setup_logging(verbose)
    cfg = load(config)
    if processes is not None:
        cfg.settings.processes = processes
    engine = engine_for(db)
    pipe = Pipeline(cfg, engine)
    try:
        with progress_display("crawl") as progress:
            reports = pipe.run(source_ids or None, progress=progress)
    except Exception as exc:  # noqa: BLE001
        fail(str(exc))
    finally:
        pipe.close()
    console.print(run_summary(reports))
    if any(r.status in ("failed", "suspect") for r in reports):
        raise typer.Exit(1)


@app.command("export")
def export_cmd(
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv | jsonl | geojson | parquet | hsds (organisations, a directory)")] = "csv",
    raw: Annotated[bool, typer.Option("--raw", help="One row per source record instead of per bundled item.")] = False,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default: stdout); a directory with --by-source.")] = None,
    buurt: Annotated[str | None, typer.Option(help="Only this buurt code (e.g. BU09350000).")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this item kind.")] = None,
    gemeente: Annotated[str | None, typer.Option(help="Only this gemeente (CBS code, e.g. GM0935).")] = None,
    since: Annotated[str | None, typer.Option(help="Only rows changed since this ISO date or date-time (UTC if no offset).")] = None,
    by_source: Annotated[bool, typer.Option("--by-source", help="One file per source in the directory -o.")] = False,
    db: DbOption = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Export the item dataset (bundled items, or source records with --raw).

    A file export also writes datapackage.json beside it (Frictionless Data Package: a Table
    Schema per column, licences and source attribution). Files are written to a temporary file
    and renamed, so a crash never leaves half a file. ``--format hsds -o DIR`` writes the
    organisation directory as Open Referral HSDS tables (organization, location, address, service,
    service_at_location) with a datapackage.json.
    """
    from datetime import UTC, datetime

    from tim.exports import FORMATS, export
    from tim.feeds.asgi import load_config_or_default

    if fmt == "hsds":
        from tim.exports.hsds import export_hsds

        if output is None:
            fail("--format hsds writes several files: give a directory with -o DIR", code=2)
        try:
            counts = export_hsds(engine_for(db), output,
                                 load_config_or_default(config, required=config != DEFAULT_CONFIG))
        except (ValueError, TimError) as exc:
            fail(str(exc), code=2)
        typer.echo(f"wrote {', '.join(f'{n} {t}' for t, n in counts.items())} to {output} "
                   "(HSDS, with datapackage.json)", err=True)
        return
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}, hsds", code=2)
    when = None
    if since:
        try:
            when = datetime.fromisoformat(since.replace("Z", "+00:00"))
        except ValueError:
            fail(f"--since {since!r} is not an ISO date or date-time", code=2)
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
    try:
        cfg = load_config_or_default(config, required=config != DEFAULT_CONFIG)
        with progress_display("export") as progress:
            n = export(engine_for(db), fmt, output, raw=raw, buurt=buurt, kind=kind, since=when,
                       by_source=by_source, config=cfg, gemeente=gemeente, progress=progress)
    except (ValueError, TimError) as exc:
        fail(str(exc), code=2)
    if output:
        typer.echo(f"wrote {n} rows to {output} (with datapackage.json)", err=True)


@sources_app.command("check")
def sources_check(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Validate sources.toml and list the sources."""
    from rich.table import Table

    cfg = load(config)
    table = Table(title=f"{config}: {len(cfg.sources)} sources")
    for col in ("id", "kind", "item_kind", "schedule", "enabled", "priority", "url"):
        table.add_column(col, overflow="fold")  # ids and URLs are wrapped, never cut
    for s in cfg.sources:
        table.add_row(s.id, s.kind, s.item_kind, s.schedule, "yes" if s.enabled else "no", str(s.priority),
                      s.url or s.sitemap or "")
    console.print(table)
    typer.echo("config OK")


@sources_app.command("test")
def sources_test(
    source_id: Annotated[str, typer.Argument(help="The source to try.")],
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="Stop after N records.")] = None,
    config: ConfigOption = DEFAULT_CONFIG,
    verbose: Verbose = False,
) -> None:
    """Dry run: fetch and normalise one source without storing; show items and missing fields."""
    from rich.table import Table

    from tim.errors import TimError
    from tim.pipeline import Pipeline

    setup_logging(verbose)
    cfg = load(config)
    try:
        source = cfg.source(source_id)
        outcome, missing = Pipeline(cfg, None).preview(source, limit=limit)
    except TimError as exc:
        fail(str(exc))
    table = Table(title=f"{source_id}: {len(outcome.items)} items ({outcome.failed} failed)")
    for col in ("title", "kind", "starts (Europe/Amsterdam)", "place", "buurt", "method"):
        table.add_column(col, overflow="fold")
    from zoneinfo import ZoneInfo

    ams = ZoneInfo("Europe/Amsterdam")
    for it in outcome.items:
        geo = it.geo
        place = it.address or it.location_name or it.postcode or ""
        table.add_row(it.title[:60], it.kind, it.starts_at.astimezone(ams).strftime("%Y-%m-%d %H:%M") if it.starts_at else "",
                      place[:50], (geo.buurt_name or "") if geo else "", geo.method if geo else "")
    console.print(table)
    mt = Table(title="Missing fields (items lacking each)")
    mt.add_column("field")
    mt.add_column("missing", justify="right")
    for f, n in missing.items():
        mt.add_row(f, f"{n}/{len(outcome.items)}")
    console.print(mt)
    for err in outcome.errors[:20]:
        typer.secho(err, fg="yellow", err=True)


@dedup_app.command("split")
def dedup_split(
    item_id: Annotated[str, typer.Argument(help="Item to take out of its cluster (kept apart on every re-run).")],
    db: DbOption = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Take one item out of its bundled item, for good."""
    _override("split", item_id, None, db, config)


@dedup_app.command("merge")
def dedup_merge(
    item_a: Annotated[str, typer.Argument(help="First item id.")],
    item_b: Annotated[str, typer.Argument(help="Second item id.")],
    db: DbOption = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Make two items one bundled item, for good."""
    _override("merge", item_a, item_b, db, config)


def _override(action: str, a: str, b: str | None, db, config) -> None:
    from sqlalchemy import select

    from tim.pipeline import Pipeline
    from tim.store.clusters import add_override
    from tim.store.tables import ItemRow

    cfg = load(config)
    engine = engine_for(db)
    with engine.begin() as conn:
        t = ItemRow.__table__
        for i in filter(None, (a, b)):
            if conn.execute(select(t.c.id).where(t.c.id == i)).first() is None:
                fail(f"no item with id {i!r}", code=2)
        add_override(conn, action, a, b)
    counts = Pipeline(cfg, engine).dedup()
    typer.echo(f"{action} recorded; re-clustered: {counts}")


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="Database URL for the demo.")] = "sqlite:///tim-demo.db",
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Keep the demo sites running afterwards.")] = False,
    port: Annotated[int, typer.Option("--port", help="Port of the demo sites on 127.0.0.1.")] = 8765,
    verbose: Verbose = False,
) -> None:
    """Serve the demo source sites on 127.0.0.1, crawl them into tim-demo.db, print the summary."""
    from tim.demo.run import run_demo

    setup_logging(verbose)
    try:
        with progress_display("demo") as progress:
            result = run_demo(db, port=port, keep_serving=serve, progress=progress)
    except OSError as exc:
        fail(f"cannot serve the demo sites on 127.0.0.1:{port}: {exc} (try --port)")
    console.print(run_summary(result.reports))
    console.print(buurt_counts(result.buurt_counts))
    typer.echo(f"{result.buurten} buurten with items; {result.clusters} bundled items from {result.records} "
               f"source records; database: {db}")


from . import db, geo, ops, serve, workers  # noqa: E402  (sub-commands in their own modules)

app.add_typer(geo.app, name="geo")
app.add_typer(db.app, name="db")
ops.register(app)
workers.register(app)
serve.register(app)
