"""Shared base for every configuration model: unknown keys are errors, docstrings document fields."""

from pydantic import BaseModel, ConfigDict


class ConfigModel(BaseModel):
    """A strict model: an operator's typo is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=False)
