"""``tim geo``: explain the place -> buurt chain, import official CBS data, reassign buurten.

No logic here: commands call :mod:`geo` and :mod:`geo.imports`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from tim.errors import TimError

from .common import ConfigOption, DbOption, engine_for, fail
from .progress import progress_display

app = typer.Typer(help="Place -> point -> buurt: explain the chain, import CBS boundaries, postcodes and figures.",
                  no_args_is_help=True)

JSON_KEYS = ("buurt_code", "buurt_name", "wijk_code", "method", "confidence", "lat", "lon", "matched",
             "conflict", "boundary_version")


def _settings(config: Path | None):
    """The ``[geocoder]`` settings of the config file when one is given or found, else defaults."""
    from tim.config import GeocoderSettings, load_config

    if config is None or not Path(config).exists():
        return GeocoderSettings()
    try:
        return load_config(config).geocoder
    except TimError as exc:
        fail(str(exc), code=2)


def _locator(db: str | None, config: Path | None, use_db: bool):
    from tim.geo import Locator

    try:
        return Locator.load(engine=engine_for(db) if use_db else None, settings=_settings(config))
    except TimError as exc:
        fail(str(exc))


def _as_json(text: str, res) -> str:
    out = {"input": text}
    d = res.to_dict()
    out.update({k: d.get(k) for k in JSON_KEYS})
    return json.dumps(out, ensure_ascii=False)


def _human(text: str, res) -> str:
    lines = [f"input: {text}"]
    if not res.steps:
        lines.append("  no place found in the text")
    for i, step in enumerate(res.steps, 1):
        target = step["target"] or "no buurt"
        extra = f"  [{step['note']}]" if step.get("note") else ""
        point = f" @ {step['lat']:.5f},{step['lon']:.5f}" if step.get("lat") is not None else ""
        lines.append(f"  {i}. {step['method']:<18} {step['matched']!r} -> {target} "
                     f"(confidence {step['confidence']:.2f}){point}{extra}")
    if res.buurt_code:
        lines.append(f"=> buurt {res.buurt_code} {res.buurt_name} (wijk {res.wijk_code}) by {res.method}, "
                     f"confidence {res.confidence:.2f}")
    elif res.wijk_code:
        lines.append(f"=> wijk {res.wijk_code} only (no single buurt) by {res.method}, confidence {res.confidence:.2f}")
    elif res.matched and "outside" in res.matched:
        lines.append(f"=> no buurt: {res.matched} (confidence {res.confidence:.2f})")
    else:
        lines.append("=> no buurt: city-wide (no place in Maastricht found)")
    if res.conflict:
        lines.append(f"   conflict (lost): {res.conflict}")
    lines.append(f"   boundaries: {res.boundary_version}")
    return "\n".join(lines)


@app.command()
def explain(
    text: Annotated[str, typer.Argument(help='Text or address to locate; "-" reads one input per line from stdin.')],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per input.")] = False,
    db: DbOption = None,
    config: ConfigOption = Path("sources.toml"),
) -> None:
    """Show the chain's reasoning for one input: each step, its confidence, the winner and any conflict.

    With --json prints one object with buurt_code, buurt_name, wijk_code, method, confidence, lat, lon
    (null where unknown); with "-" reads stdin and prints one line per input, in order. With --db (or
    TIM_DB) the imported boundaries, CBS address table and geocode cache of that database are used;
    without, the bundled data only.
    """
    locator = _locator(db, config, db is not None)
    inputs = [line.rstrip("\r\n") for line in sys.stdin] if text == "-" else [text]
    for item in inputs:
        res = locator.explain(item)
        typer.echo(_as_json(item, res) if as_json else _human(item, res))


@app.command("import-buurten")
def import_buurten_cmd(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CBS wijk- en buurtkaart: GeoJSON or GeoPackage.")],
    version: Annotated[str | None, typer.Option(help="Version label stored per item (default: the file name).")] = None,
    activate: Annotated[bool, typer.Option("--activate/--no-activate", help="Use these boundaries from now on.")] = True,
    gemeente: Annotated[str, typer.Option("--gemeente", help="CBS code of the gemeente to keep (GM + 4 digits).")] = "GM0935",
    db: DbOption = None,
) -> None:
    """Import official CBS buurt polygons (RD New or WGS84) of one gemeente (default Maastricht, GM0935).

    The whole CBS wijk- en buurtkaart can be given: only the gemeente's buurten are kept, as a
    boundary version of that gemeente (activating it replaces only that gemeente's active set)."""
    from tim.geo.imports import import_buurten

    try:
        with progress_display("import-buurten") as progress:
            report = import_buurten(engine_for(db), file, version, activate=activate,
                                    gemeente=gemeente.strip().upper(), progress=progress)
    except TimError as exc:
        fail(str(exc))
    typer.echo(f"imported {report['buurten']} buurten of {report['gemeente']} as version {report['version']!r}"
               f"{' (active)' if report['active'] else ''}; run `tim geo reassign` to recompute items")


@app.command("import-postcodes")
def import_postcodes_cmd(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CBS postcode + huisnummer -> buurt CSV.")],
    label: Annotated[str | None, typer.Option(help="Label of the CBS file (default: the file name).")] = None,
    gemeente: Annotated[str, typer.Option("--gemeente", help="CBS code of the gemeente to keep (GM + 4 digits).")] = "GM0935",
    db: DbOption = None,
) -> None:
    """Import CBS's postcode + huisnummer -> buurt table for one gemeente (default Maastricht, GM0935).

    The national file can be given: only the gemeente's rows are kept, replacing its earlier ones;
    other gemeenten's rows stay. The gemeente's locator uses them (and its PC6s, from them)."""
    from tim.geo.imports import import_postcodes

    try:
        with progress_display("import-postcodes") as progress:
            report = import_postcodes(engine_for(db), file, label, gemeente=gemeente.strip().upper(),
                                      progress=progress)
    except TimError as exc:
        fail(str(exc))
    typer.echo(f"imported {report['addresses']} addresses of {report['gemeente']} ({report['label']}); "
               f"skipped {report['skipped_other_municipalities']} other rows")


@app.command("import-stats")
def import_stats_cmd(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CBS Kerncijfers wijken en buurten CSV.")],
    label: Annotated[str | None, typer.Option(help="Label of the CBS table (default: the file name).")] = None,
    db: DbOption = None,
) -> None:
    """Import CBS Kerncijfers (inhabitants, households, area) per buurt and wijk of Maastricht."""
    from tim.geo.imports import import_stats

    try:
        with progress_display("import-stats") as progress:
            report = import_stats(engine_for(db), file, label, progress=progress)
    except TimError as exc:
        fail(str(exc))
    typer.echo(f"imported figures of {report['regions']} Maastricht regions ({report['label']})")


@app.command()
def reassign(db: DbOption = None, config: ConfigOption = Path("sources.toml")) -> None:
    """Recompute every stored item's buurt with the current boundaries and postcode table."""
    from tim import pipeline
    from tim.config import load_config

    engine = engine_for(db)
    from tim.geo import Locator

    try:
        locator = Locator.load(engine=engine, settings=_settings(config))
        sources = load_config(config).sources if config is not None and Path(config).exists() else None
        with progress_display("reassign") as progress:
            changed = pipeline.reassign(engine, locator, sources, progress=progress)
    except TimError as exc:
        fail(str(exc))
    typer.echo(f"reassigned: {changed} items changed (boundaries {locator.boundary_version})")


@app.command()
def buurten(
    db: DbOption = None,
    gemeente: Annotated[str | None, typer.Option("--gemeente", help="Another gemeente's imported buurten (needs --db).")] = None,
) -> None:
    """List the buurten in use: code, name, wijk, inhabitants (when imported; needs --db/TIM_DB)."""
    if gemeente and gemeente.strip().upper() != "GM0935":
        from tim.geo.store_io import load_active_boundaries

        if db is None:
            fail("--gemeente needs --db (or TIM_DB): other gemeenten's buurten are imported ones", code=2)
        bset = load_active_boundaries(engine_for(db), gemeente.strip().upper())
        if bset is None:
            fail(f"no active boundary set of {gemeente} in the database: `tim geo import-buurten FILE "
                 f"--gemeente {gemeente}` first", code=1)
        for b in bset.buurten:
            typer.echo(f"{b.code}\t{b.name}\t{b.wijk_code}\t{b.wijk_name or ''}")
        typer.echo(f"# boundaries: {bset.version}", err=True)
        return
    locator = _locator(db, None, db is not None)
    for b in locator.buurten():
        inh = "" if b.inhabitants is None else f"\t{b.inhabitants}"
        typer.echo(f"{b.code}\t{b.name}\t{b.wijk_code}\t{b.wijk_name or ''}{inh}")
    typer.echo(f"# boundaries: {locator.boundary_version}", err=True)
