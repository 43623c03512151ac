"""search generation: the stamp every index write replaces, so processes reload their bitmaps

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 12:40:00

The catalogue search counts facets with bitmaps of opportunity ids held in each process per index
generation (``adapters.db.search_bitmaps``). Every write to the index replaces this one row's
stamp with a new random value in the same transaction; a process whose bitmaps were loaded under
another stamp loads them again, so it sees other processes' changes and never keeps a rolled-back
one.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    generation = op.create_table(
        "search_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(generation, [{"id": 1, "stamp": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("search_generation")
