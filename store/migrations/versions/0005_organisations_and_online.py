"""the organisation directory and online items

``organisations`` and ``organisation_items`` (the directory of organisations and initiatives,
rebuilt after every de-duplication pass: ``tim.store.organisations``) and ``items.online`` (the
record says it happens online; geo never places it). Existing items are not online; the directory
fills at the next de-duplication pass.

Revision ID: 0005_organisations_and_online
Revises: 0004_gemeente
Create Date: 2026-12-03 07:16:31.960579
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005_organisations_and_online'
down_revision: str | Sequence[str] | None = '0004_gemeente'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('organisation_items',
    sa.Column('organisation_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('organisation_id', 'item_id', 'role')
    )
    with op.batch_alter_table('organisation_items', schema=None) as batch_op:
        batch_op.create_index('ix_organisation_items_item', ['item_id'], unique=False)

    op.create_table('organisations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('alternate_names', sa.Text(), nullable=False),
    sa.Column('website', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('postcode', sa.String(length=7), nullable=True),
    sa.Column('city', sa.Text(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('buurt_code', sa.String(length=10), nullable=True),
    sa.Column('buurt_name', sa.String(length=80), nullable=True),
    sa.Column('wijk_code', sa.String(length=8), nullable=True),
    sa.Column('source_ids', sa.Text(), nullable=False),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_buurt_code'), ['buurt_code'], unique=False)

    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('online', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('online')

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_buurt_code'))

    op.drop_table('organisations')
    with op.batch_alter_table('organisation_items', schema=None) as batch_op:
        batch_op.drop_index('ix_organisation_items_item')

    op.drop_table('organisation_items')
