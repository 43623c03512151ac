"""provider sector (public / private non-profit / private for-profit)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 10:00:00

Catalogue exports (CTDL's ``agentSectorType``) need it; nullable: unknown until recorded.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("providers") as batch:
        batch.add_column(sa.Column("sector", sa.String(length=30), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("providers") as batch:
        batch.drop_column("sector")
