"""ASGI factory for uvicorn worker processes: ``uvicorn feeds.asgi:app_from_env --factory``.

Reads the database URL from ``TIM_DB`` and the config from ``TIM_CONFIG`` (a missing default
``sources.toml`` means default settings), as ``tim serve --workers N`` sets them.
"""

from __future__ import annotations

import os
from pathlib import Path


def load_config_or_default(path: str | os.PathLike[str] | None, *, required: bool = False):
    """The config at ``path``; the defaults when the file is absent and not ``required``."""
    from tim.config import Config, load_config

    p = Path(path) if path else Path(os.environ.get("TIM_CONFIG", "sources.toml"))
    if not p.exists() and not required:
        return Config()
    return load_config(p)


def app_from_env():
    from tim.store.db import make_engine

    from .app import create_app

    return create_app(make_engine(os.environ.get("TIM_DB")), load_config_or_default(os.environ.get("TIM_CONFIG")))
