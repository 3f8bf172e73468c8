"""``tim db``: the database's schema version (Alembic migrations). No logic here: :mod:`tim.store.schema`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from tim.errors import TimError

from .common import DbOption, fail

app = typer.Typer(help="Schema migrations: upgrade a database in place, show its revision and the history.",
                  no_args_is_help=True)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _engine(db: str | None):
    from tim.store.db import make_engine

    try:
        return make_engine(db, create=False)
    except TimError as exc:
        fail(str(exc), code=2)


@app.command()
def upgrade(db: DbOption = None) -> None:
    """Upgrade the database to the newest schema, in place, in one transaction (a no-op when current).

    A database made before migrations existed is recognised (baseline) and upgraded; an empty one
    gets every table. Back up a SQLite file first if you may want to go back to older code."""
    from tim.store.schema import upgrade as do_upgrade

    engine = _engine(db)
    try:
        report = do_upgrade(engine)
    except TimError as exc:
        fail(str(exc))
    finally:
        engine.dispose()
    if not report.changed and report.state_before == "current":
        typer.echo(f"already at head {report.after}: nothing to do")
    elif report.state_before == "empty":
        typer.echo(f"created every table: now at {report.after}")
    else:
        before = report.before or "pre-migration database (baseline)"
        typer.echo(f"upgraded from {before} to {report.after}")


@app.command()
def current(db: DbOption = None, as_json: JsonFlag = False) -> None:
    """Show the database's schema revision and whether it is up to date (exit 1 when behind)."""
    from tim.store.schema import schema_state

    engine = _engine(db)
    try:
        with engine.connect() as conn:
            state = schema_state(conn)
    except Exception as exc:  # noqa: BLE001
        fail(f"cannot read the schema revision of {engine.url.render_as_string(hide_password=True)}: {exc}")
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps({"revision": state.revision, "head": state.head, "state": state.kind}))
    else:
        typer.echo(state.describe())
        if state.kind in ("behind", "unversioned"):
            typer.echo("run `tim db upgrade` to upgrade it", err=True)
    if state.kind in ("behind", "unversioned", "ahead"):
        raise typer.Exit(1)


@app.command()
def history(as_json: JsonFlag = False) -> None:
    """List the schema revisions this code knows, newest first."""
    from tim.store.schema import history as revisions

    revs = revisions()
    if as_json:
        typer.echo(json.dumps(revs))
        return
    for r in revs:
        typer.echo(f"{r['down_revision'] or '<base>'} -> {r['revision']}{' (head)' if r['head'] else ''}: {r['doc']}")
