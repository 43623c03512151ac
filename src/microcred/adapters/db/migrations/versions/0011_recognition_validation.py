"""recognition rules, learners' cases, validations and their evidence files

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 09:10:00

Issue 11 §3-4: an authority's automatic recognition rules; a recognition case may belong to a
learner's wallet account (the decision credential goes there); validations of non-formal and
informal learning keep their events and their evidence files (bytes in the database, one
tenant each).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from microcred.adapters.db.types import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, nullable: bool = False) -> list[Any]:
    integer = target in ("providers", "opportunities")
    kind: Any = sa.Integer() if integer else sa.String(length=36)
    name = op.f(f"fk_{table}_{column}_{target}")
    return [
        sa.Column(column, kind, nullable=nullable),
        sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name),
    ]


def _rules() -> None:
    op.create_table(
        "recognition_rules",
        sa.Column("id", sa.String(length=36), nullable=False),
        *_fk("recognition_rules", "provider_id", "providers"),
        sa.Column("rule_id", sa.String(length=100), nullable=False),
        sa.Column("providers", sa.JSON(), nullable=False),
        sa.Column("qa_types", sa.JSON(), nullable=False),
        sa.Column("qa_valid_at_issue", sa.Boolean(), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recognition_rules")),
        sa.UniqueConstraint(
            "provider_id", "rule_id", name=op.f("uq_recognition_rules_provider_id")
        ),
    )
    op.create_index(op.f("ix_recognition_rules_provider_id"), "recognition_rules", ["provider_id"])


def _validations() -> None:
    op.create_table(
        "validation_cases",
        sa.Column("id", sa.String(length=36), nullable=False),
        *_fk("validation_cases", "provider_id", "providers"),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("candidate", sa.String(length=500), nullable=False),
        sa.Column("learner", sa.JSON(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("setting", sa.String(length=20), nullable=False),
        *_fk("validation_cases", "opportunity_id", "opportunities", nullable=True),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        *_fk("validation_cases", "credential_id", "credentials", nullable=True),
        sa.Column("learner_account", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_validation_cases")),
    )
    for column in ("provider_id", "stage", "learner_account"):
        op.create_index(op.f(f"ix_validation_cases_{column}"), "validation_cases", [column])
    op.create_table(
        "validation_evidence",
        sa.Column("id", sa.String(length=36), nullable=False),
        *_fk("validation_evidence", "case_id", "validation_cases"),
        *_fk("validation_evidence", "provider_id", "providers"),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("outcomes", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_validation_evidence")),
    )
    for column in ("case_id", "provider_id"):
        op.create_index(op.f(f"ix_validation_evidence_{column}"), "validation_evidence", [column])


def upgrade() -> None:
    with op.batch_alter_table("recognition_cases") as table:
        table.add_column(sa.Column("learner_account", sa.String(length=36), nullable=True))
        table.create_index(op.f("ix_recognition_cases_learner_account"), ["learner_account"])
    _rules()
    _validations()


def downgrade() -> None:
    op.drop_table("validation_evidence")
    op.drop_table("validation_cases")
    op.drop_table("recognition_rules")
    with op.batch_alter_table("recognition_cases") as table:
        table.drop_index(op.f("ix_recognition_cases_learner_account"))
        table.drop_column("learner_account")
