"""search filters index: counts and facets read an index, not the stored documents

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 10:00:00

``search_documents`` keeps each opportunity's document (kilobytes of JSON) before the columns
the filters read; SQLite then reads every row's overflow pages to reach ``eqf`` or ``price_eur``
(measured at 100,000 opportunities: a count with ``eqf IN (5, 6)`` 631 ms without this covering
index, 3 ms with it). Facet counts drive their join from it too.
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

COLUMNS = ["eqf", "isced", "nuts", "recognition", "ects", "price_eur", "start_date", "doc_key"]


def upgrade() -> None:
    op.create_index("ix_search_documents_filters", "search_documents", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_search_documents_filters", table_name="search_documents")
