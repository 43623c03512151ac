"""pathways from the wallet: an evaluation may belong to the learner account that asked for it

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 09:05:00

Issue 11: a learner asks for an evaluation from the wallet; the account is kept with the
evaluation so the learner sees their own (and only their own) and the larger credential reaches
their wallet. No foreign key: erasing the account clears the column, the provider's record stays.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pathway_evaluations") as table:
        table.add_column(sa.Column("account_id", sa.String(length=36), nullable=True))
        table.create_index(op.f("ix_pathway_evaluations_account_id"), ["account_id"])


def downgrade() -> None:
    with op.batch_alter_table("pathway_evaluations") as table:
        table.drop_index(op.f("ix_pathway_evaluations_account_id"))
        table.drop_column("account_id")
