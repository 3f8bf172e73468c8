"""items remember their document and recipe; validators keep notes

``items.fetched_url`` (the document a record was read from) and ``items.normalised_as`` (hash of
raw record + document + recipe) let an unchanged page or record skip parsing and normalising;
``http_validators.meta`` keeps what a crawler noted of a page (next page, detail links) to walk
on when it comes back 304. Existing rows get NULL: their next run reads and normalises in full.

Revision ID: 0007_items_remember_their_doc
Revises: 0006_gemeente_of_the_cbs_addr
Create Date: 2026-12-03 10:54:19.080744
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007_items_remember_their_doc'
down_revision: str | Sequence[str] | None = '0006_gemeente_of_the_cbs_addr'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('http_validators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meta', sa.Text(), nullable=True))

    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fetched_url', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('normalised_as', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('normalised_as')
        batch_op.drop_column('fetched_url')

    with op.batch_alter_table('http_validators', schema=None) as batch_op:
        batch_op.drop_column('meta')
