"""site identity: the public address the site's DIDs and URLs are made with

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 07:00:00

Recorded on the first start after this upgrade; a later start that derives another address is
refused (``microcred.bootstrap``), so the CLI and the server never disagree on the site's DIDs.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from microcred.adapters.db.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_url", sa.String(length=300), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_identity")),
    )


def downgrade() -> None:
    op.drop_table("site_identity")
