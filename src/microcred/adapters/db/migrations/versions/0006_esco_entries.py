"""imported ESCO data (skills, occupations with their skill links, broader links)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 07:00:00

Filled by ``microcred esco import``; empty means the packaged subset alone is used.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "esco_entries",
        sa.Column("uri", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("uri", "kind", name=op.f("pk_esco_entries")),
    )


def downgrade() -> None:
    op.drop_table("esco_entries")
