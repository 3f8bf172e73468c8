"""gemeente codes on items and boundary sets

Many municipalities: ``items.gemeente_code`` (indexed; filled from the buurt code, else GM0935) and
``geo_boundary_sets.gemeente_code`` (existing sets are Maastricht's).

Revision ID: 0004_gemeente
Revises: 0003_postgis
Create Date: 2026-12-03 06:26:47.584422
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004_gemeente'
down_revision: str | Sequence[str] | None = '0003_postgis'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('geo_boundary_sets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gemeente_code', sa.String(length=6), server_default='GM0935', nullable=False))

    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gemeente_code', sa.String(length=6), nullable=True))
        batch_op.create_index(batch_op.f('ix_items_gemeente_code'), ['gemeente_code'], unique=False)

    # Before this revision every source covered Maastricht: an item's gemeente is its buurt's
    # (the CBS code's digits 3-6), else GM0935.
    op.execute("UPDATE items SET gemeente_code = CASE WHEN buurt_code IS NOT NULL AND buurt_code LIKE 'BU%' "
               "THEN 'GM' || substr(buurt_code, 3, 4) ELSE 'GM0935' END")


def downgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_gemeente_code'))
        batch_op.drop_column('gemeente_code')

    with op.batch_alter_table('geo_boundary_sets', schema=None) as batch_op:
        batch_op.drop_column('gemeente_code')

