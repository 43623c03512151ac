"""search text: PostgreSQL's tsvector in a narrow table of its own (``search_text``)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 16:00:00

On PostgreSQL the full-text column ``tsv`` lived in ``search_documents`` beside the document JSON
(~2.5 kB a row, and a dead version of every row: ``tsv`` was filled by an UPDATE after the
INSERT, and autovacuum may be off), so matching 45,000 of 100,000 opportunities read 32,000
pages (254 MB, more than the default shared buffers): 200-600 ms. ``search_text``
(opportunity id, tsvector) is 28 MB at 100,000: the same match reads 3,600 pages, in shared
buffers. The terms are copied as they are (the same ``ts_rank`` for every query); the GIN
index moves with them; a row goes with its ``search_documents`` row (``ON DELETE CASCADE``,
and ``TRUNCATE ... CASCADE``). SQLite (FTS5's own table) is unchanged. A database created
from scratch gets ``search_text`` from 0003 (which indexes with today's code); this revision
moves the column of databases made before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def _has_tsv_column() -> bool:
    found = op.get_bind().execute(
        sa.text(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = 'search_documents' AND column_name = 'tsv'"
        )
    )
    return found.first() is not None


def upgrade() -> None:
    # a database made since this revision got search_text from 0003 (which runs today's
    # index_all): nothing to move
    if op.get_bind().dialect.name == "sqlite" or not _has_tsv_column():
        return
    op.execute(
        "CREATE TABLE search_text (opportunity_id integer NOT NULL,"
        " tsv tsvector NOT NULL, CONSTRAINT pk_search_text PRIMARY KEY (opportunity_id),"
        " CONSTRAINT fk_search_text_opportunity_id_search_documents FOREIGN KEY (opportunity_id)"
        " REFERENCES search_documents (opportunity_id) ON DELETE CASCADE)"
    )
    op.execute(
        "INSERT INTO search_text (opportunity_id, tsv)"
        " SELECT opportunity_id, tsv FROM search_documents WHERE tsv IS NOT NULL"
    )
    op.execute("CREATE INDEX ix_search_text_tsv ON search_text USING GIN (tsv)")
    op.execute("DROP INDEX ix_search_documents_tsv")
    op.execute("ALTER TABLE search_documents DROP COLUMN tsv")
    op.execute("ANALYZE search_text")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("ALTER TABLE search_documents ADD COLUMN tsv tsvector")
    op.execute(
        "UPDATE search_documents SET tsv = t.tsv FROM search_text t"
        " WHERE t.opportunity_id = search_documents.opportunity_id"
    )
    op.execute("CREATE INDEX ix_search_documents_tsv ON search_documents USING GIN (tsv)")
    op.execute("DROP TABLE search_text")
