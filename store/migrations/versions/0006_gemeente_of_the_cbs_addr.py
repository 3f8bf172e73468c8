"""gemeente of the CBS address table

``geo_address_buurten.gemeente_code`` (indexed): the CBS postcode + huisnummer table holds the rows of
several gemeenten (``tim geo import-postcodes --gemeente``); each gemeente's locator reads its own.
Existing rows were imported for Maastricht only; they get the gemeente of their buurt code.

Revision ID: 0006_gemeente_of_the_cbs_addr
Revises: 0005_organisations_and_online
Create Date: 2026-12-03 07:37:39.233957
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006_gemeente_of_the_cbs_addr'
down_revision: str | Sequence[str] | None = '0005_organisations_and_online'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('geo_address_buurten', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gemeente_code', sa.String(length=6), server_default='GM0935', nullable=False))
        batch_op.create_index(batch_op.f('ix_geo_address_buurten_gemeente_code'), ['gemeente_code'], unique=False)
    op.execute("UPDATE geo_address_buurten SET gemeente_code = 'GM' || substr(buurt_code, 3, 4) "
               "WHERE buurt_code LIKE 'BU%'")


def downgrade() -> None:
    with op.batch_alter_table('geo_address_buurten', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_geo_address_buurten_gemeente_code'))
        batch_op.drop_column('gemeente_code')
