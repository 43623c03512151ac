"""credential uptake index: the statistics read an index, not the signed documents

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 07:20:00

Uptake statistics group every credential by provider, opportunity version, issue month and
state (``adapters.db.stats_sql``). With this covering index the database scans the index only;
without it, it reads every row, signed document included (kilobytes each).
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_credentials_uptake",
        "credentials",
        ["provider_id", "opportunity_version_id", "issued_at", "state"],
    )


def downgrade() -> None:
    op.drop_index("ix_credentials_uptake", table_name="credentials")
