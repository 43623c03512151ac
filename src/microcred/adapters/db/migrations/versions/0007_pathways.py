"""pathways and recognition: published stacking rules, evaluations, recognition cases

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 07:20:00

Issue 11: a provider publishes versioned stacking rules; submitted credentials are evaluated
against them (verifier reports and the engine's trace kept); an officer decides and the larger
credential is issued. Recognition cases keep their documents, reports and events.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from microcred.adapters.db.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _provider(table: str) -> list[Any]:
    return [
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f(f"fk_{table}_provider_id_providers")
        ),
    ]


def _credential(table: str) -> list[Any]:
    return [
        sa.Column("credential_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["credential_id"],
            ["credentials.id"],
            name=op.f(f"fk_{table}_credential_id_credentials"),
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "pathway_rules",
        sa.Column("id", sa.String(length=36), nullable=False),
        *_provider("pathway_rules"),
        sa.Column("rules_id", sa.String(length=500), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pathway_rules")),
        sa.UniqueConstraint(
            "provider_id", "rules_id", "version", name=op.f("uq_pathway_rules_provider_id")
        ),
    )
    op.create_index(op.f("ix_pathway_rules_provider_id"), "pathway_rules", ["provider_id"])
    op.create_table(
        "pathway_evaluations",
        sa.Column("id", sa.String(length=36), nullable=False),
        *_provider("pathway_evaluations"),
        sa.Column("rules_row_id", sa.String(length=36), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("submitted", sa.JSON(), nullable=False),
        sa.Column("reports", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("learner", sa.JSON(), nullable=False),
        sa.Column("evaluated_at", UTCDateTime(), nullable=False),
        sa.Column("evaluated_by", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.String(length=30), nullable=True),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        *_credential("pathway_evaluations"),
        sa.ForeignKeyConstraint(["rules_row_id"], ["pathway_rules.id"],
                                name=op.f("fk_pathway_evaluations_rules_row_id_pathway_rules")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pathway_evaluations")),
    )  # fmt: skip
    for column in ("provider_id", "rules_row_id"):
        op.create_index(op.f(f"ix_pathway_evaluations_{column}"), "pathway_evaluations",
                        [column])  # fmt: skip
    op.create_table(
        "recognition_cases",
        sa.Column("id", sa.String(length=36), nullable=False),
        *_provider("recognition_cases"),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("applicant", sa.String(length=500), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("learner", sa.JSON(), nullable=False),
        sa.Column("submitted", sa.JSON(), nullable=False),
        sa.Column("reports", sa.JSON(), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        *_credential("recognition_cases"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recognition_cases")),
    )
    for column in ("provider_id", "state"):
        op.create_index(op.f(f"ix_recognition_cases_{column}"), "recognition_cases", [column])


def downgrade() -> None:
    op.drop_table("recognition_cases")
    op.drop_table("pathway_evaluations")
    op.drop_table("pathway_rules")
