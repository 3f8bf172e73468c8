"""Configuration: ``sources.toml`` loaded into validated models.

``load_config(path)`` returns a :class:`Config`; every problem is a ``ConfigError`` naming the
file and the line, or the source id and the key.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from pydantic import ValidationError

from tim.errors import ConfigError

from .base import ConfigModel
from .dedup import DedupSettings
from .geocoder import GeocoderSettings
from .http import HttpOverrides, HttpSettings
from .scheduler import SchedulerSettings
from .serve import ServeSettings
from .sources import Source

__all__ = [
    "Config", "ConfigError", "DedupSettings", "GeocoderSettings", "HttpOverrides", "HttpSettings",
    "SchedulerSettings", "ServeSettings", "Source", "load_config", "default_config_path",
]


class Config(ConfigModel):
    """The whole ``sources.toml``."""

    settings: HttpSettings = HttpSettings()
    """The one HTTP policy of every crawler."""
    geocoder: GeocoderSettings = GeocoderSettings()
    """Optional online geocoder fallback."""
    dedup: DedupSettings = DedupSettings()
    """Cross-source de-duplication thresholds."""
    serve: ServeSettings = ServeSettings()
    """The read-only HTTP API."""
    scheduler: SchedulerSettings = SchedulerSettings()
    """``tim run`` scheduling."""
    sources: list[Source] = []
    """The source platforms."""

    def source(self, source_id: str) -> Source:
        for src in self.sources:
            if src.id == source_id:
                return src
        raise ConfigError(f"no source with id {source_id!r}; known: {', '.join(s.id for s in self.sources)}")

    def http_for(self, source: Source) -> HttpSettings:
        """Effective HTTP settings of one source."""
        return source.http.apply(self.settings)


def default_config_path() -> Path:
    return Path(os.environ.get("TIM_CONFIG", "sources.toml"))


def _line_of_source(text: str, index: int) -> int | None:
    """1-based line of the ``[[sources]]`` header number ``index``."""
    count = -1
    for lineno, line in enumerate(text.splitlines(), 1):
        if re.match(r"^\s*\[\[\s*sources\s*\]\]", line):
            count += 1
            if count == index:
                return lineno
    return None


def _describe(err: dict, data: dict, text: str, path: Path) -> str:
    loc = list(err["loc"])
    where = f"{path}"
    if loc and loc[0] == "sources" and len(loc) > 1 and isinstance(loc[1], int):
        idx = loc[1]
        raw = data.get("sources", [])[idx] if idx < len(data.get("sources", [])) else {}
        sid = raw.get("id") if isinstance(raw, dict) else None
        line = _line_of_source(text, idx)
        where += f" line {line}" if line else ""
        where += f": source {sid!r}" if sid else f": source #{idx + 1}"
        key = ".".join(str(p) for p in loc[2:])
    else:
        key = ".".join(str(p) for p in loc)
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown key"
    elif err["type"] == "missing":
        msg = "required key is missing"
    return f"{where}: key {key!r}: {msg}" if key else f"{where}: {msg}"


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and validate ``sources.toml``; raise ``ConfigError`` naming the file and line/source/key."""
    path = Path(path) if path is not None else default_config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: config file not found (set --config or TIM_CONFIG)") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML: {exc}") from exc
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        lines = [_describe(e, data, text, path) for e in exc.errors()]
        raise ConfigError("invalid config:\n  " + "\n  ".join(lines)) from exc
    seen: dict[str, int] = {}
    for i, src in enumerate(config.sources):
        if src.id in seen:
            line = _line_of_source(text, i)
            raise ConfigError(f"{path} line {line}: source {src.id!r}: duplicate id (first at source #{seen[src.id] + 1})")
        seen[src.id] = i
    return config
