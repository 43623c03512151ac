"""learner declarations for the uptake statistics: an optional age band and gender

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 12:40:00

A learner may declare an age band (15-24 ... 65-plus, never a birth date) and a gender (F, M,
other) for the anonymous uptake counts; one row per account, deleted when withdrawn or when the
account is erased. The statistics find a credential's holder by the wallet's
``credential_ref``, which gets an index here. A table or index made outside Alembic (a
harness creating the learner tables from the models) is kept as it is.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from microcred.adapters.db.types import UTCDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("learner_declarations"):  # made outside Alembic: kept
        _create_table()
    indexed = {i["name"] for i in sa.inspect(bind).get_indexes("wallet_credentials")}
    if "ix_wallet_credentials_credential_ref" not in indexed:
        op.create_index(
            "ix_wallet_credentials_credential_ref", "wallet_credentials", ["credential_ref"]
        )


def _create_table() -> None:
    op.create_table(
        "learner_declarations",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("age_band", sa.String(length=16), nullable=True),
        sa.Column("gender", sa.String(length=16), nullable=True),
        sa.Column("declared_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["web_accounts.id"],
            name="fk_learner_declarations_account_id_web_accounts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name="pk_learner_declarations"),
    )


def downgrade() -> None:
    op.drop_index("ix_wallet_credentials_credential_ref", table_name="wallet_credentials")
    op.drop_table("learner_declarations")
