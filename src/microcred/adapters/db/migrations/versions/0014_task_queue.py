"""task queue: procrastinate's schema (jobs, workers, events), on PostgreSQL only

Batch chunks are jobs of procrastinate on PostgreSQL; SQLite keeps the in-process runner and
gets nothing here. The schema is procrastinate's own SQL for the pinned minor version
(pyproject: procrastinate>=3.10,<3.11); a later procrastinate brings its migration files
(procrastinate/sql/migrations) into a migration of ours.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 09:30:00
"""

from __future__ import annotations

from alembic import op
from procrastinate.schema import SchemaManager

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TABLES = ("procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs",
          "procrastinate_workers")  # fmt: skip
TYPES = ("procrastinate_job_to_defer_v1", "procrastinate_job_event_type",
         "procrastinate_job_status")  # fmt: skip


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    bind.exec_driver_sql(SchemaManager.get_schema().replace("%", "%%"))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in TABLES:
        bind.exec_driver_sql(f"DROP TABLE IF EXISTS {table} CASCADE")
    bind.exec_driver_sql(
        "DO $$ DECLARE f record; BEGIN FOR f IN SELECT oid::regprocedure AS name FROM pg_proc "
        "WHERE proname LIKE 'procrastinate%%' LOOP EXECUTE 'DROP FUNCTION ' || f.name "
        "|| ' CASCADE'; END LOOP; END $$"
    )
    for kind in TYPES:
        bind.exec_driver_sql(f"DROP TYPE IF EXISTS {kind} CASCADE")
