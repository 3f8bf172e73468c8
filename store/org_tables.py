"""The tables of the organisation directory (``store.organisations`` fills them).

``organisations``: one row per organisation or initiative seen across all sources
(``dedup.organisations``); ``organisation_items``: which items name it, and how (``organizer``: the
item's organiser; ``self``: the item is the organisation's own record, e.g. a buurtnetwerk).
Both are rebuilt after every de-duplication pass.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel


class OrganisationRow(SQLModel, table=True):
    """One organisation or initiative."""

    __tablename__ = "organisations"

    id: str = Field(primary_key=True, max_length=36)
    """UUID (v5 of the organisation's name key): stable while its most used name stays."""
    name: str = Field(sa_column=Column(Text, nullable=False))
    alternate_names: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    """JSON list of the other spellings seen ("Stichting ..." and without)."""
    website: str | None = Field(default=None, sa_column=Column(Text))
    description: str | None = Field(default=None, sa_column=Column(Text))
    address: str | None = Field(default=None, sa_column=Column(Text))
    postcode: str | None = Field(default=None, max_length=7)
    city: str | None = Field(default=None, sa_column=Column(Text))
    lat: float | None = None
    lon: float | None = None
    buurt_code: str | None = Field(default=None, max_length=10, index=True)
    buurt_name: str | None = Field(default=None, max_length=80)
    wijk_code: str | None = Field(default=None, max_length=8)
    source_ids: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    """JSON list of the sources that name it."""
    item_count: int = 0
    first_seen: datetime
    updated_at: datetime


class OrganisationItemRow(SQLModel, table=True):
    """An item naming an organisation."""

    __tablename__ = "organisation_items"
    __table_args__ = (Index("ix_organisation_items_item", "item_id"),)

    organisation_id: str = Field(primary_key=True, max_length=36)
    item_id: str = Field(primary_key=True, max_length=80)
    role: str = Field(primary_key=True, max_length=12)
    """organizer | self"""
    name: str = Field(sa_column=Column(Text, nullable=False))
    """The name as this item gives it."""
