"""OpenID4VCI authorization code flow: codes bound to a claim, a learner, a client and a PKCE
challenge; a claim's issuer_state and its count of wrong transaction codes

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from microcred.adapters.db.types import UTCDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Idempotent: learner tables made from the models outside Alembic (see 0005) may already
    have these columns and this table."""
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("oid4vci_authorization_codes"):
        _create_codes()
    present = {column["name"] for column in inspector.get_columns("wallet_claims")}
    indexes = {index["name"] for index in inspector.get_indexes("wallet_claims")}
    with op.batch_alter_table("wallet_claims") as table:
        if "issuer_state_hash" not in present:
            table.add_column(sa.Column("issuer_state_hash", sa.String(length=64), nullable=True))
        if "tx_code_failures" not in present:
            table.add_column(sa.Column("tx_code_failures", sa.Integer(), nullable=False,
                                       server_default="0"))  # fmt: skip
        if "ix_wallet_claims_issuer_state_hash" not in indexes:
            table.create_index("ix_wallet_claims_issuer_state_hash", ["issuer_state_hash"],
                               unique=True)  # fmt: skip


def _create_codes() -> None:
    op.create_table(
        "oid4vci_authorization_codes",
        sa.Column("code_hash", sa.String(length=64), primary_key=True),
        sa.Column("claim_id", sa.String(length=36),
                  sa.ForeignKey("wallet_claims.id", ondelete="CASCADE"), nullable=True),
        sa.Column("account_id", sa.String(length=36),
                  sa.ForeignKey("web_accounts.id", ondelete="CASCADE"), nullable=True),
        sa.Column("client_id", sa.String(length=300), nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("code_challenge", sa.String(length=64), nullable=False),
        sa.Column("configuration_ids", sa.JSON(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
    )  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("wallet_claims") as table:
        table.drop_index("ix_wallet_claims_issuer_state_hash")
        table.drop_column("tx_code_failures")
        table.drop_column("issuer_state_hash")
    op.drop_table("oid4vci_authorization_codes")
