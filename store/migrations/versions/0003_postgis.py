"""postgis: geometry columns, GiST indexes and sync triggers when PostGIS is available

Revision ID: 0003_postgis
Revises: 0002_job_queue
Create Date: 2026-12-03 06:25:00

On PostgreSQL with the PostGIS extension available: ``geo_boundaries.geom`` (MultiPolygon) and
``items.geom`` (Point), WGS84, each with a GiST index, kept equal to ``geometry_wkb`` and
``lon``/``lat`` by triggers, existing rows filled (``tim.store.spatial.install``). On SQLite or
PostgreSQL without PostGIS nothing changes (``tim db upgrade`` adds them later once PostGIS is
installed).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003_postgis"
down_revision: str | Sequence[str] | None = "0002_job_queue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from tim.store import spatial

    spatial.install(op.get_bind())


def downgrade() -> None:
    from tim.store import spatial

    spatial.uninstall(op.get_bind())
