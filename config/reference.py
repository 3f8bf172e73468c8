"""The configuration reference, generated from the models' field docstrings.

``python -m tim.config.reference > docs/config-reference.md`` rewrites the reference; a test fails
when the file in docs/ differs from what the models say.
"""

from __future__ import annotations

from pydantic import BaseModel


def _default(field) -> str:
    if field.is_required():
        return "(required)"
    value = field.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return "{}"
    return f"`{value!r}`"


def table(model: type[BaseModel]) -> str:
    lines = ["| key | default | meaning |", "| --- | --- | --- |"]
    for name, field in model.model_fields.items():
        text = " ".join((field.description or "").split()).replace("|", "/")
        lines.append(f"| `{name}` | {_default(field)} | {text} |")
    return "\n".join(lines)


def markdown_reference() -> str:
    from . import Config, DedupSettings, GeocoderSettings, HttpOverrides, HttpSettings, SchedulerSettings, ServeSettings, Source

    sections = [
        ("`[[sources]]`", Source, "One table per source platform."),
        ("`[sources.http]`", HttpOverrides, "Per-source overrides of `[settings]`; unset keys inherit."),
        ("`[settings]`", HttpSettings, "The one HTTP policy every crawler uses."),
        ("`[geocoder]`", GeocoderSettings, "The optional online geocoder fallback (off by default)."),
        ("`[dedup]`", DedupSettings, "Named thresholds of cross-source de-duplication."),
        ("`[scheduler]`", SchedulerSettings, "How `tim run` schedules sources."),
        ("`[serve]`", ServeSettings, "The read-only HTTP API and feeds."),
    ]
    out = [
        "# sources.toml reference",
        "",
        "Generated from the configuration models by `python -m tim.config.reference`; do not edit by hand.",
        "Unknown keys are errors. Top-level tables: "
        + ", ".join(f"`{k}`" for k in Config.model_fields) + ".",
        "",
    ]
    for title, model, intro in sections:
        out += [f"## {title}", "", intro, "", table(model), ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown_reference(), end="")
