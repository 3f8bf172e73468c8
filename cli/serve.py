"""``tim serve`` (the read-only API, feeds and map page) and ``tim stats`` (items per buurt).

No logic here: the app is ``feeds.app``, the figures come from ``store.stats``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from .common import DEFAULT_CONFIG, ConfigOption, DbOption, engine_for, fail
from .tables import console


def _config(path: Path):
    """The config; a missing default ``sources.toml`` means default settings."""
    from tim.errors import TimError
    from tim.feeds.asgi import load_config_or_default

    try:
        return load_config_or_default(path, required=path != DEFAULT_CONFIG)
    except TimError as exc:
        fail(str(exc), code=2)


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int | None, typer.Option(help="uvicorn worker processes (default [serve] workers).", min=1)] = None,
    db: DbOption = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Serve the read-only API: /buurten, /items, Atom/JSON Feed/GeoJSON/iCal feeds, /changes,
    /stats, the map page at / and the OpenAPI page at /docs."""
    import uvicorn

    cfg = _config(config)
    engine = engine_for(db)
    n = workers or cfg.serve.workers
    typer.echo(f"serving http://{host}:{port}/ (map), /docs (API); {n} worker(s)", err=True)
    if n == 1:
        from tim.feeds.app import create_app

        uvicorn.run(create_app(engine, cfg), host=host, port=port, log_level="warning")
        return
    engine.dispose()
    os.environ["TIM_DB"] = str(engine.url.render_as_string(hide_password=False))
    os.environ["TIM_CONFIG"] = str(config)
    uvicorn.run("tim.feeds.asgi:app_from_env", factory=True, host=host, port=port, workers=n, log_level="warning")


def stats(
    fmt: Annotated[Literal["table", "csv", "json"], typer.Option("--format", "-f", help="table | csv | json")] = "table",
    db: DbOption = None,
) -> None:
    """Active items per buurt, wijk and kind, per 1,000 inhabitants where known, and the buurten
    without any item (the blind spots)."""
    from tim.feeds.areas import load_buurten, load_wijken
    from tim.store.stats import flat_rows, statistics

    engine = engine_for(db)
    buurten = load_buurten(engine)
    with engine.connect() as conn:
        data = statistics(conn, buurten, load_wijken(buurten))
    if fmt == "json":
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    rows = flat_rows(data)
    if fmt == "csv":
        from tim.feeds.routes.api import stats_csv

        sys.stdout.write(stats_csv(rows))
        return
    table = Table(title="Active bundled items per buurt and wijk")
    for col in ("level", "code", "name", "items", *data["kinds"], "inhabitants", "per 1,000"):
        table.add_column(col, justify="right" if col not in ("level", "code", "name") else "left")
    for r in rows:
        style = "yellow" if r["blind_spot"] == "yes" else None
        table.add_row(r["level"], r["code"], r["name"], str(r["items"]), *[str(r[k]) for k in data["kinds"]],
                      str(r["inhabitants"]), str(r["per_1000_inhabitants"]), style=style)
    console.print(table)
    blind = data["blind_spots"]
    console.print(f"{len(blind)} buurten without any active item (blind spots): "
                  + (", ".join(b["name"] for b in blind) or "none"))


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``stats`` to the ``tim`` app."""
    app.command("serve")(serve)
    app.command("stats")(stats)


__all__ = ["register", "serve", "stats"]
