"""``[dedup]``: named thresholds of cross-source de-duplication (see ``docs/dedup.md``).

Every number the matcher uses lives here, with what it does. Scores are on rapidfuzz's 0-100
scale. The defaults were tuned on ``benchmarks/dedup/labelled.jsonl``; ``python
benchmarks/dedup/run.py`` prints precision and recall for the values in effect.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from .base import ConfigModel
from .sources import ItemKind


class DedupSettings(ConfigModel):
    """Thresholds for matching the same initiative across sources."""

    # -- decision thresholds -------------------------------------------------------------------
    title_threshold: float = Field(default=60.0, ge=0, le=100)
    """Minimum title similarity (0-100: the better of rapidfuzz ``token_set_ratio`` on the
    normalised titles and ``ratio`` on their space-free forms) for two items to be one, unless
    one links to the other or the context is strong (``context_description_min``). Pairs from
    title-token blocks below it are not scored further."""
    merge_threshold: float = Field(default=75.0, ge=0, le=100)
    """Minimum combined score (0-100: weighted title, description, organizer, place and time,
    plus the linked-URL bonus) for a candidate pair to be a match."""
    compatible_threshold: float = Field(default=60.0, ge=0, le=100)
    """Minimum combined score of every pair inside one cluster (and no veto). A cluster grows
    only along a match, and only if each new member is compatible with every present one: this
    check of the cluster as a whole is what stops A~B, B~C from chaining A and C."""
    context_description_min: float = Field(default=85.0, ge=0, le=100)
    """Strong context: two dated items that start at the same time (``same_time_minutes``), at the
    same place (``near_distance_m``) and whose descriptions are at least this similar are one
    even when their titles are reworded beyond ``title_threshold`` (an agenda's own title)."""
    title_words_description_min: float = Field(default=60.0, ge=0, le=100)
    """When both titles have words the other lacks (``Repaircafé`` / ``Breicafé``), the title counts
    by the share of words that meet (``dedup/variants.py``) rather than rapidfuzz's character
    alignment, unless both descriptions are at least this similar (then the title was reworded)."""
    bilingual_same_context: bool = True
    """Two dated items in different languages (one title mostly English, the other Dutch) that start at the
    same time (``same_time_minutes``) at the same place are one when a telling word of the Dutch
    title meets the English one through the dictionaries (a word that is no compound head such as
    ``workshop`` or ``avond``), although other words meet nothing: a translation rarely meets word
    for word. Two different events at one venue at one time in two languages that share such a word
    would be merged: ``false`` turns the rule off."""
    organizer_veto_below: float = Field(default=50.0, ge=0, le=100)
    """For ``organizer_veto_kinds``: two items whose organizers (both given) are less similar
    than this are never one (a vacancy belongs to one organisation)."""
    organizer_veto_kinds: list[ItemKind] = ["vacancy"]
    """Kinds where a clearly different organizer is a veto rather than soft evidence."""
    explain_min_score: float = Field(default=60.0, ge=0, le=100)
    """Pairs kept apart are reported as decisions only from this combined score up (near misses a
    resident could question); merges are always reported."""

    # -- place and time ------------------------------------------------------------------------
    max_distance_m: float = Field(default=250.0, gt=0)
    """Two items that both have a point further apart than this are never one (veto)."""
    near_distance_m: float = Field(default=75.0, ge=0)
    """Points at most this far apart count as the same place (place score 1, falling linearly to
    0 at ``max_distance_m``)."""
    same_time_minutes: float = Field(default=15.0, ge=0)
    """Start times (both with a clock time) at most this far apart count as the same time."""
    max_start_gap_minutes: float = Field(default=90.0, ge=0)
    """Start times (both with a clock time) further apart than this are different occurrences
    (veto); in between, the time score falls linearly to 0. A date-only start is compatible with
    any time of that day."""
    timezone: str = "Europe/Amsterdam"
    """Time zone in which the event day is taken (``starts_at`` is UTC)."""
    day_kinds: list[ItemKind] = ["event"]
    """Kinds whose start day is part of the block key and must be equal for a match (recurring
    activities on different dates stay apart). Other kinds use dates only as soft evidence."""

    # -- weights of the combined score ---------------------------------------------------------
    weight_title: float = Field(default=0.45, ge=0)
    """Weight of the title similarity."""
    weight_description: float = Field(default=0.15, ge=0)
    """Weight of the description similarity (when both have one of ``min_description_chars``)."""
    weight_organizer: float = Field(default=0.10, ge=0)
    """Weight of the organizer similarity (when both name one)."""
    weight_place: float = Field(default=0.15, ge=0)
    """Weight of the place score: distance when both have a point, else equal buurt code."""
    weight_time: float = Field(default=0.15, ge=0)
    """Weight of the time score: start times (day kinds) or period overlap (other kinds)."""
    linked_url_bonus: float = Field(default=25.0, ge=0, le=100)
    """Added to the combined score when one item links to the other's URL (or both share it)."""
    description_chars: int = Field(default=400, ge=20)
    """Only the first characters of a description are compared (speed; the lead says enough)."""
    min_description_chars: int = Field(default=40, ge=0)
    """A description shorter than this (normalised) is not compared."""

    # -- blocking ------------------------------------------------------------------------------
    max_block_size: int = Field(default=150, ge=2)
    """A title-token block with more members than this is too common to pair on its own; its
    members are paired through two-token keys instead (and a two-token block over this size is
    skipped). Bounds the quadratic work per block."""
    max_pair_tokens: int = Field(default=4, ge=2)
    """How many of an item's too-common tokens form two-token keys (the longest ones)."""
    block_stem_length: int = Field(default=6, ge=3)
    """Title tokens are cut to this many characters for block keys (a cheap stemmer:
    "ouderen"/"oudere", "koffieochtend"/"koffie ochtend" share a key)."""
    geo_cell_m: float = Field(default=500.0, gt=0)
    """Size of the geo cells that block dated items by place; at least twice ``max_distance_m``
    so any two points within that distance share a cell key. Pairs from geo and URL blocks are
    scored whatever their title similarity."""

    @model_validator(mode="after")
    def _check(self) -> DedupSettings:
        if self.geo_cell_m < 2 * self.max_distance_m:
            raise ValueError("geo_cell_m must be at least twice max_distance_m")
        if self.near_distance_m > self.max_distance_m:
            raise ValueError("near_distance_m must not exceed max_distance_m")
        if self.same_time_minutes > self.max_start_gap_minutes:
            raise ValueError("same_time_minutes must not exceed max_start_gap_minutes")
        weights = (
            self.weight_title,
            self.weight_description,
            self.weight_organizer,
            self.weight_place,
            self.weight_time,
        )
        if self.weight_title <= 0 or sum(weights) <= 0:
            raise ValueError("weight_title must be positive")
        return self
