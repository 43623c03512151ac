"""seal certificates: a provider's X.509 eSeal chain and key (encrypted), for sealed EDCs

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 09:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import microcred.adapters.db.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, microcred.adapters.db.types.UTCDateTime(timezone=True),
                     nullable=nullable)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "seal_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=1000), nullable=False),
        sa.Column("issuer", sa.String(length=1000), nullable=False),
        sa.Column("serial", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        _when("not_before"),
        _when("not_after"),
        sa.Column("chain_pem", sa.Text(), nullable=False),
        sa.Column("private_encrypted", sa.Text(), nullable=False),
        _when("created_at"),
        _when("retired_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_seal_certificates_provider_id_providers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seal_certificates")),
    )
    with op.batch_alter_table("seal_certificates") as table:
        table.create_index(
            table.f("ix_seal_certificates_provider_id"), ["provider_id"], unique=False
        )
    with op.batch_alter_table("credentials") as table:
        table.add_column(sa.Column("seal_certificate_id", sa.Integer(), nullable=True))
        table.create_foreign_key(
            table.f("fk_credentials_seal_certificate_id_seal_certificates"),
            "seal_certificates", ["seal_certificate_id"], ["id"],
        )  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("credentials") as table:
        table.drop_constraint(
            table.f("fk_credentials_seal_certificate_id_seal_certificates"), type_="foreignkey"
        )
        table.drop_column("seal_certificate_id")
    op.drop_table("seal_certificates")
