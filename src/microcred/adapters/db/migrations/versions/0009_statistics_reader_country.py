"""statistics reader: an API key may carry the country whose uptake statistics it reads

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 07:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as table:
        table.add_column(sa.Column("country", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_keys") as table:
        table.drop_column("country")
