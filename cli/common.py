"""Options and helpers shared by the CLI commands (no business logic here)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from tim.errors import TimError

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="TIM_DB", help="Database URL (default sqlite:///tim.db; postgresql://... works too)."),
]
ConfigOption = Annotated[
    Path,
    typer.Option("--config", envvar="TIM_CONFIG", help="Path to sources.toml."),
]
DEFAULT_CONFIG = Path("sources.toml")


def load(config_path: Path):
    """Load the config or exit 2 with the error that names file, line, source and key."""
    from tim.config import load_config

    try:
        return load_config(config_path)
    except TimError as exc:
        fail(str(exc), code=2)


def engine_for(db: str | None):
    from tim.store.db import make_engine

    try:
        return make_engine(db)
    except TimError as exc:
        fail(str(exc), code=2)


def fail(message: str, code: int = 1):
    typer.secho(f"error: {message}", fg="red", err=True)
    raise typer.Exit(code)


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the moment, so that log lines written while rich's
    live progress display runs (it redirects stderr) appear above the display, not through it."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        handlers=[_CurrentStderr()],
    )
