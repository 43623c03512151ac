"""catalogue search index (full text per database, facet values) filled from published versions

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 06:30:00

SQLite gets an FTS5 table ``search_fts`` (rowid = opportunity id); PostgreSQL a ``tsvector``
column ``tsv`` with a GIN index. Both store the core's index terms verbatim. Every opportunity's
latest published version is indexed here, so an upgraded catalogue is searchable at once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from microcred.adapters.db.search_sql import index_all

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_documents",
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("doc_key", sa.String(length=20), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("nuts", sa.String(length=10), nullable=True),
        sa.Column("isced", sa.String(length=10), nullable=True),
        sa.Column("eqf", sa.Integer(), nullable=True),
        sa.Column("recognition", sa.Boolean(), nullable=False),
        sa.Column("ects", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("price_eur", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["opportunity_id"], ["opportunities.id"], ondelete="CASCADE",
                                name=op.f("fk_search_documents_opportunity_id_opportunities")),
        sa.PrimaryKeyConstraint("opportunity_id", name=op.f("pk_search_documents")),
    )  # fmt: skip
    op.create_index(op.f("ix_search_documents_doc_key"), "search_documents", ["doc_key"])
    op.create_table(
        "search_values",
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("facet", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=70), nullable=False),
        sa.ForeignKeyConstraint(["opportunity_id"], ["search_documents.opportunity_id"],
                                ondelete="CASCADE",
                                name=op.f("fk_search_values_opportunity_id_search_documents")),
        sa.PrimaryKeyConstraint("opportunity_id", "facet", "value", name=op.f("pk_search_values")),
    )  # fmt: skip
    op.create_index("ix_search_values_facet_value", "search_values", ["facet", "value"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(title, description, outcomes, "
                   "provider, concepts, tokenize = 'unicode61 remove_diacritics 0')")  # fmt: skip
    else:
        # the tsvector's own narrow table (until 0022 a column of search_documents: index_all
        # below is today's code, which writes search_text; 0022 moves older databases' column)
        op.execute(
            "CREATE TABLE search_text (opportunity_id integer NOT NULL,"
            " tsv tsvector NOT NULL, CONSTRAINT pk_search_text PRIMARY KEY (opportunity_id),"
            " CONSTRAINT fk_search_text_opportunity_id_search_documents FOREIGN KEY"
            " (opportunity_id) REFERENCES search_documents (opportunity_id) ON DELETE CASCADE)"
        )
        op.execute("CREATE INDEX ix_search_text_tsv ON search_text USING GIN (tsv)")
    index_all(op.get_bind(), stamp=False)  # the generation stamp's table comes with 0018


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    else:
        op.execute("DROP TABLE IF EXISTS search_text")
    op.drop_table("search_values")
    op.drop_table("search_documents")
