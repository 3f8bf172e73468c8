"""baseline: the schema of commit a6a3a31, before migrations

Revision ID: 0001_baseline
Revises: 
Create Date: 2026-12-03 05:57:52.305450

The tables and indexes exactly as ``create_all`` made them at commit a6a3a31 (tim.store.tables,
tim.geo.tables): a database made by that code is at this revision (``tim db upgrade`` stamps it).
Plain SQLAlchemy types, so the script does not depend on SQLModel's type classes; UTC datetimes
are ``DateTime(timezone=True)`` as SQLModel declares them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001_baseline'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('clusters',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('buurt_code', sa.String(length=10), nullable=True),
    sa.Column('member_count', sa.Integer(), nullable=False),
    sa.Column('bundled', sa.Text(), nullable=False),
    sa.Column('bundled_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_clusters_buurt_code'), 'clusters', ['buurt_code'], unique=False)
    op.create_index('ix_clusters_change', 'clusters', ['change_seq', 'id'], unique=False)

    op.create_table('counters',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('dedup_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('item_a', sa.String(length=80), nullable=False),
    sa.Column('item_b', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('geo_address_buurten',
    sa.Column('postcode', sa.String(length=6), nullable=False),
    sa.Column('housenumber', sa.Integer(), nullable=False),
    sa.Column('buurt_code', sa.String(length=10), nullable=False),
    sa.Column('wijk_code', sa.String(length=8), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('postcode', 'housenumber')
    )
    op.create_table('geo_boundaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=80), nullable=False),
    sa.Column('buurt_code', sa.String(length=10), nullable=False),
    sa.Column('buurt_name', sa.String(length=120), nullable=False),
    sa.Column('wijk_code', sa.String(length=8), nullable=False),
    sa.Column('wijk_name', sa.String(length=120), nullable=True),
    sa.Column('geometry_wkb', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_geo_boundaries_version', 'geo_boundaries', ['version'], unique=False)

    op.create_table('geo_boundary_sets',
    sa.Column('version', sa.String(length=80), nullable=False),
    sa.Column('source_file', sa.Text(), nullable=False),
    sa.Column('source_crs', sa.String(length=40), nullable=False),
    sa.Column('feature_count', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('version')
    )
    op.create_table('geo_region_stats',
    sa.Column('region_code', sa.String(length=10), nullable=False),
    sa.Column('region_name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('inhabitants', sa.Integer(), nullable=True),
    sa.Column('households', sa.Integer(), nullable=True),
    sa.Column('area_ha', sa.Float(), nullable=True),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('region_code')
    )
    op.create_table('geocode_cache',
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('found', sa.Boolean(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('buurt_code', sa.String(length=10), nullable=True),
    sa.Column('wijk_code', sa.String(length=8), nullable=True),
    sa.Column('display', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('http_validators',
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('source_id', sa.String(length=64), nullable=False),
    sa.Column('etag', sa.Text(), nullable=True),
    sa.Column('last_modified', sa.Text(), nullable=True),
    sa.Column('body_hash', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('url')
    )
    op.create_index(op.f('ix_http_validators_source_id'), 'http_validators', ['source_id'], unique=False)

    op.create_table('items',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('source_id', sa.String(length=64), nullable=False),
    sa.Column('source_key', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('description_text', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('organizer', sa.Text(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('location_name', sa.Text(), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('street', sa.Text(), nullable=True),
    sa.Column('housenumber', sa.String(length=20), nullable=True),
    sa.Column('postcode', sa.String(length=7), nullable=True),
    sa.Column('city', sa.Text(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('source_lat', sa.Float(), nullable=True),
    sa.Column('source_lon', sa.Float(), nullable=True),
    sa.Column('categories', sa.Text(), nullable=False),
    sa.Column('image', sa.Text(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('buurt_code', sa.String(length=10), nullable=True),
    sa.Column('buurt_name', sa.String(length=80), nullable=True),
    sa.Column('wijk_code', sa.String(length=8), nullable=True),
    sa.Column('geo_method', sa.String(length=40), nullable=False),
    sa.Column('geo_confidence', sa.Float(), nullable=False),
    sa.Column('geo_matched', sa.Text(), nullable=True),
    sa.Column('geo_conflict', sa.Text(), nullable=True),
    sa.Column('boundary_version', sa.String(length=80), nullable=True),
    sa.Column('cluster_id', sa.String(length=40), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('raw_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('missing_runs', sa.Integer(), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_run_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_items_buurt_kind', 'items', ['buurt_code', 'kind'], unique=False)
    op.create_index(op.f('ix_items_cluster_id'), 'items', ['cluster_id'], unique=False)
    op.create_index(op.f('ix_items_source_id'), 'items', ['source_id'], unique=False)
    op.create_index('ix_items_source_status', 'items', ['source_id', 'status'], unique=False)
    op.create_index(op.f('ix_items_starts_at'), 'items', ['starts_at'], unique=False)

    op.create_table('merge_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_a', sa.String(length=80), nullable=False),
    sa.Column('item_b', sa.String(length=80), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_merge_decisions_item_a'), 'merge_decisions', ['item_a'], unique=False)
    op.create_index(op.f('ix_merge_decisions_item_b'), 'merge_decisions', ['item_b'], unique=False)

    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('fetched', sa.Integer(), nullable=False),
    sa.Column('inserted', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('expired', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_runs_source_id'), 'runs', ['source_id'], unique=False)

    op.create_table('source_states',
    sa.Column('source_id', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('last_run_id', sa.Integer(), nullable=True),
    sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_new_item_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('backoff_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('source_id')
    )
    op.create_table('status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('old_status', sa.String(length=12), nullable=True),
    sa.Column('new_status', sa.String(length=12), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_status_changes_item_id'), 'status_changes', ['item_id'], unique=False)



def downgrade() -> None:
    op.drop_index(op.f('ix_status_changes_item_id'), table_name='status_changes')

    op.drop_table('status_changes')
    op.drop_table('source_states')
    op.drop_index(op.f('ix_runs_source_id'), table_name='runs')

    op.drop_table('runs')
    op.drop_index(op.f('ix_merge_decisions_item_b'), table_name='merge_decisions')
    op.drop_index(op.f('ix_merge_decisions_item_a'), table_name='merge_decisions')

    op.drop_table('merge_decisions')
    op.drop_index(op.f('ix_items_starts_at'), table_name='items')
    op.drop_index('ix_items_source_status', table_name='items')
    op.drop_index(op.f('ix_items_source_id'), table_name='items')
    op.drop_index(op.f('ix_items_cluster_id'), table_name='items')
    op.drop_index('ix_items_buurt_kind', table_name='items')

    op.drop_table('items')
    op.drop_index(op.f('ix_http_validators_source_id'), table_name='http_validators')

    op.drop_table('http_validators')
    op.drop_table('geocode_cache')
    op.drop_table('geo_region_stats')
    op.drop_table('geo_boundary_sets')
    op.drop_index('ix_geo_boundaries_version', table_name='geo_boundaries')

    op.drop_table('geo_boundaries')
    op.drop_table('geo_address_buurten')
    op.drop_table('dedup_overrides')
    op.drop_table('counters')
    op.drop_index('ix_clusters_change', table_name='clusters')
    op.drop_index(op.f('ix_clusters_buurt_code'), table_name='clusters')

    op.drop_table('clusters')
