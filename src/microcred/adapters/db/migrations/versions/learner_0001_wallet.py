"""learner side: web accounts, sessions, wallet, claims, OpenID4VCI tokens, shares, challenges

Revision ID: learner_0001
Revises:
Create Date: 2026-11-23 11:35:00

A branch of its own (label ``learner``) that depends on the platform's first revision; since
``0005`` the branch is merged into the platform's history. A table that already exists (made
outside Alembic) is kept as it is.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from microcred.adapters.db.types import UTCDateTime

revision = "learner_0001"
down_revision = None
branch_labels = ("learner",)
depends_on = "0001"


def _create(name: str, *parts: Any) -> None:
    if not sa.inspect(op.get_bind()).has_table(name):
        op.create_table(name, *parts)


def upgrade() -> None:
    _create(
        "verifier_challenges",
        sa.Column("challenge", sa.String(length=64), nullable=False),
        sa.Column("domain", sa.String(length=300), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("challenge"),
    )
    _create(
        "wallet_claims",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("pre_auth_hash", sa.String(length=64), nullable=False),
        sa.Column("tx_code_hash", sa.String(length=64), nullable=True),
        sa.Column("credential_ref", sa.String(length=200), nullable=True),
        sa.Column("learner_email", sa.String(length=320), nullable=True),
        sa.Column("issuer_id", sa.String(length=300), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pre_auth_hash"),
        sa.UniqueConstraint("token_hash"),
    )
    _create(
        "web_accounts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("provider_ref", sa.String(length=200), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("holder_did", sa.String(length=200), nullable=True),
        sa.Column("holder_key", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    _create(
        "web_login_links",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    _create(
        "web_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _create(
        "oid4vci_access_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("claim_id", sa.String(length=36), nullable=True),
        sa.Column("c_nonce", sa.String(length=64), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["wallet_claims.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    _create(
        "wallet_credentials",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("sd_jwt", sa.Text(), nullable=True),
        sa.Column("credential_ref", sa.String(length=200), nullable=True),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("issuer_name", sa.JSON(), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["web_accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create(
        "wallet_shares",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["web_accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    _create(
        "web_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["web_accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    _create(
        "wallet_share_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("share_id", sa.String(length=36), nullable=True),
        sa.Column("credential_id", sa.String(length=36), nullable=True),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("presented", sa.Text(), nullable=False),
        sa.Column("elements", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["credential_id"], ["wallet_credentials.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["share_id"], ["wallet_shares.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("share_id", "credential_id"),
    )


def downgrade() -> None:
    op.drop_table("wallet_share_items")
    op.drop_table("web_sessions")
    op.drop_table("wallet_shares")
    op.drop_table("wallet_credentials")
    op.drop_table("oid4vci_access_tokens")
    op.drop_table("web_outbox")
    op.drop_table("web_login_links")
    op.drop_table("web_accounts")
    op.drop_table("wallet_claims")
    op.drop_table("verifier_challenges")
