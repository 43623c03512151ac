"""OpenID4VP transactions: the verifier's pending requests, answered once, with expiry

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 09:10:00

A request's ``state`` finds its transaction when the wallet POSTs to the response URI; the
transaction is spent by the first answer (``answered_at``), so a replay is refused.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from microcred.adapters.db.types import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oid4vp_transactions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=300), nullable=False),
        sa.Column("response_uri", sa.String(length=500), nullable=False),
        sa.Column("dcql_query", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_oid4vp_transactions"),
        sa.UniqueConstraint("state", name="uq_oid4vp_transactions_state"),
    )


def downgrade() -> None:
    op.drop_table("oid4vp_transactions")
