"""The database schema (SQLModel). Datetimes are aware and stored in UTC.

One row per source record in ``items``; one row per bundled item in ``clusters``; every run in
``runs``; every decision a resident could question is kept with its reason (geo columns on
``items``, ``merge_decisions``, ``status_changes``, ``source_states.reason``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, false, text
from sqlmodel import Field, SQLModel


class ItemRow(SQLModel, table=True):
    """One source record, normalised and geocoded."""

    __tablename__ = "items"
    __table_args__ = (
        Index("ix_items_source_status", "source_id", "status"),
        Index("ix_items_buurt_kind", "buurt_code", "kind"),
    )

    id: str = Field(primary_key=True, max_length=80)
    source_id: str = Field(index=True, max_length=64)
    source_key: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(max_length=20)
    title: str = Field(sa_column=Column(Text, nullable=False))
    description_html: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    description_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    url: str | None = Field(default=None, sa_column=Column(Text))
    organizer: str | None = Field(default=None, sa_column=Column(Text))
    starts_at: datetime | None = Field(default=None, index=True)
    ends_at: datetime | None = None
    location_name: str | None = Field(default=None, sa_column=Column(Text))
    address: str | None = Field(default=None, sa_column=Column(Text))
    street: str | None = Field(default=None, sa_column=Column(Text))
    housenumber: str | None = Field(default=None, max_length=20)
    postcode: str | None = Field(default=None, max_length=7)
    city: str | None = Field(default=None, sa_column=Column(Text))
    lat: float | None = None
    """The decided point (from the geo chain, or the source's own coordinates)."""
    lon: float | None = None
    source_lat: float | None = None
    """Coordinates as the source gave them (kept so ``tim geo reassign`` can weigh them again)."""
    source_lon: float | None = None
    categories: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    """JSON list of category slugs."""
    image: str | None = Field(default=None, sa_column=Column(Text))
    published_at: datetime | None = None
    online: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    """The record itself says it happens online (geo then never places it)."""

    buurt_code: str | None = Field(default=None, max_length=10)
    buurt_name: str | None = Field(default=None, max_length=80)
    wijk_code: str | None = Field(default=None, max_length=8)
    geo_method: str = Field(default="none", max_length=40)
    geo_confidence: float = 0.0
    geo_matched: str | None = Field(default=None, sa_column=Column(Text))
    geo_conflict: str | None = Field(default=None, sa_column=Column(Text))
    boundary_version: str | None = Field(default=None, max_length=80)
    gemeente_code: str | None = Field(default=None, index=True, max_length=6)
    """CBS gemeente (``GM0935``): of the item's buurt when it has one, else its source's ``gemeente``."""

    cluster_id: str | None = Field(default=None, index=True, max_length=40)
    content_hash: str = Field(max_length=64)
    raw_hash: str = Field(default="", max_length=64)
    fetched_url: str | None = Field(default=None, sa_column=Column(Text))
    """The document the record was read from (feed, API page, detail page); a page that comes back
    unchanged (304) stands for the items read from it last time."""
    normalised_as: str | None = Field(default=None, max_length=64)
    """Hash of what the row was made from: the raw record, its document and the recipe (code,
    source settings, boundaries). The same value again means the same item: not normalised again."""
    status: str = Field(default="active", max_length=12)
    """active | expired"""
    missing_runs: int = 0
    """Consecutive complete runs of its source that did not contain this record."""
    first_seen: datetime
    last_seen: datetime
    updated_at: datetime
    """Last time the stored content (not last_seen) changed."""
    status_changed_at: datetime
    last_run_id: int | None = None


class RunRow(SQLModel, table=True):
    """One run of one source, with its counts."""

    __tablename__ = "runs"
    __table_args__ = (
        # a source's runs newest first (recent_fetch_counts, the last run): read in index order
        Index("ix_runs_source_recent", "source_id", "id"),
        # the runs still marked running (a crash's, marked interrupted when the source starts
        # again): a few rows, not the source's whole history
        Index("ix_runs_running", "source_id", sqlite_where=text("status = 'running'"),
              postgresql_where=text("status = 'running'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(max_length=64)
    started_at: datetime
    finished_at: datetime | None = None
    status: str = Field(default="running", max_length=16)
    """running | ok | not_modified | failed | suspect | interrupted"""
    complete: bool = False
    """True when the crawl read the whole source (may expire missing items)."""
    fetched: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    expired: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text))
    dry_run: bool = False
    job_id: str | None = Field(default=None, index=True, max_length=40)
    """The queued job this run executes (``tim worker``); ``None`` for runs of ``tim crawl`` / ``tim run``."""
    attempt: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    """1 for a job's first run; n+1 for the run that retried attempt n (its worker died)."""
    retry_of: int | None = None
    """The run this one retried (attempt - 1), when its worker died mid-run."""
    worker: str | None = Field(default=None, max_length=120)
    """``host:pid`` of the process that ran it."""


class SourceStateRow(SQLModel, table=True):
    """Health of one source, updated after each run."""

    __tablename__ = "source_states"

    source_id: str = Field(primary_key=True, max_length=64)
    state: str = Field(default="new", max_length=12)
    """new | ok | failing | suspect | stale | disabled"""
    reason: str | None = Field(default=None, sa_column=Column(Text))
    consecutive_failures: int = 0
    last_run_id: int | None = None
    last_success_at: datetime | None = None
    last_new_item_at: datetime | None = None
    backoff_until: datetime | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))


class HttpValidatorRow(SQLModel, table=True):
    """Conditional-GET state of one URL: ETag, Last-Modified and the last body's hash."""

    __tablename__ = "http_validators"

    url: str = Field(sa_column=Column(Text, primary_key=True))
    source_id: str = Field(index=True, max_length=64)
    etag: str | None = Field(default=None, sa_column=Column(Text))
    last_modified: str | None = Field(default=None, sa_column=Column(Text))
    body_hash: str | None = Field(default=None, max_length=64)
    meta: str | None = Field(default=None, sa_column=Column(Text))
    """JSON the crawler noted of the body to walk on when it comes back unchanged (next page,
    detail links)."""
    updated_at: datetime


class StatusChangeRow(SQLModel, table=True):
    """Every status change of an item, with its time and reason."""

    __tablename__ = "status_changes"

    id: int | None = Field(default=None, primary_key=True)
    item_id: str = Field(index=True, max_length=80)
    old_status: str | None = Field(default=None, max_length=12)
    new_status: str = Field(max_length=12)
    at: datetime
    reason: str = Field(sa_column=Column(Text, nullable=False))
    run_id: int | None = None


class ClusterRow(SQLModel, table=True):
    """One bundled item: a cluster of source records that are the same initiative."""

    __tablename__ = "clusters"
    __table_args__ = (Index("ix_clusters_change", "change_seq", "id"),)

    id: str = Field(primary_key=True, max_length=40)
    kind: str = Field(max_length=20)
    status: str = Field(default="active", max_length=12)
    """active | deleted (all members expired, or merged away)"""
    buurt_code: str | None = Field(default=None, index=True, max_length=10)
    member_count: int = 0
    bundled: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    """JSON of the bundled item: chosen fields, per-field provenance, all member sources/URLs."""
    bundled_hash: str = Field(default="", max_length=64)
    created_at: datetime
    modified_at: datetime
    change_seq: int = Field(default=0)
    """Monotonic change counter: the RPDE ``modified`` value of the change feed."""


class MergeDecisionRow(SQLModel, table=True):
    """Why two records are (or are not) one initiative."""

    __tablename__ = "merge_decisions"

    id: int | None = Field(default=None, primary_key=True)
    item_a: str = Field(index=True, max_length=80)
    item_b: str = Field(index=True, max_length=80)
    score: float
    decision: str = Field(max_length=16)
    """merge | apart | override_merge | override_split"""
    reasons: str = Field(sa_column=Column(Text, nullable=False))
    """JSON object of the component scores and rules that decided."""
    decided_at: datetime


class DedupOverrideRow(SQLModel, table=True):
    """An operator's ``tim dedup split`` / ``tim dedup merge``, kept across re-runs."""

    __tablename__ = "dedup_overrides"

    id: int | None = Field(default=None, primary_key=True)
    action: str = Field(max_length=8)
    """split | merge"""
    item_a: str = Field(max_length=80)
    item_b: str | None = Field(default=None, max_length=80)
    created_at: datetime
    note: str | None = Field(default=None, sa_column=Column(Text))


class CounterRow(SQLModel, table=True):
    """Named monotonic counters (the change-feed sequence)."""

    __tablename__ = "counters"

    name: str = Field(primary_key=True, max_length=40)
    value: int = 0


class SourceLeaseRow(SQLModel, table=True):
    """Who runs a source right now, across every ``tim worker``: at most one holder per source.

    A holder renews ``expires_at`` while its run lasts; a lease past ``expires_at`` belongs to a
    dead worker and may be taken over. The key ``__dedup__`` serialises re-clustering passes.
    """

    __tablename__ = "source_leases"

    key: str = Field(primary_key=True, max_length=64)
    """A source id, or ``__dedup__``."""
    holder: str = Field(max_length=120)
    """``host:pid`` of the worker process."""
    job_id: str | None = Field(default=None, max_length=40)
    acquired_at: datetime
    expires_at: datetime
