"""search changes: which opportunities each index generation changed, so a process patches its
facet bitmaps instead of loading them again

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 15:20:00

Every index write replaces the generation stamp (0018); a process whose bitmaps are of another
stamp used to load them all again (1.3-1.9 s at 100,000 opportunities), though publishing or
withdrawing an opportunity changes one entry. Each write now also records, in the same
transaction, the new stamp, the stamp it replaced and the opportunities it changed (none: the
whole index). A process holding the bitmaps of an earlier stamp of that chain reads those
entries again and patches a copy of its bitmaps (``search_bitmaps``); otherwise it loads them.
The table starts empty: existing processes and data need nothing (the first query loads).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.Column("previous", sa.String(length=32), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_changes")),
    )
    op.create_index("ix_search_changes_stamp", "search_changes", ["stamp"])


def downgrade() -> None:
    op.drop_index("ix_search_changes_stamp", table_name="search_changes")
    op.drop_table("search_changes")
