"""uptake of decisions: a recognition case keeps the outcome of its issued decision and when it
was issued (statistics count recognised credentials by them); a web account may carry the
country whose statistics it reads (a national authority's staff)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 09:05:00
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from microcred.adapters.db.types import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def issued_decision(events: list[Any]) -> tuple[str | None, datetime | None]:
    """The outcome of the last decision issued among stored case events, and when."""
    outcome: str | None = None
    found: tuple[str | None, datetime | None] = (None, None)
    for event in events:
        if event.get("type") == "decided":
            outcome = (event.get("decision") or {}).get("outcome")
        elif event.get("type") == "decision-issued" and outcome:
            found = (outcome, datetime.fromisoformat(event["at"]))
    return found


def upgrade() -> None:
    with op.batch_alter_table("recognition_cases") as table:
        table.add_column(sa.Column("outcome", sa.String(length=20), nullable=True))
        table.add_column(sa.Column("decided_at", UTCDateTime(), nullable=True))
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("web_accounts")}
    if "country" not in present:  # 0005 makes missing learner tables from today's models
        with op.batch_alter_table("web_accounts") as table:
            table.add_column(sa.Column("country", sa.String(length=2), nullable=True))
    cases = sa.table(
        "recognition_cases",
        sa.column("id", sa.String),
        sa.column("events", sa.JSON),
        sa.column("outcome", sa.String),
        sa.column("decided_at", UTCDateTime()),
    )
    connection = op.get_bind()
    for case_id, events in connection.execute(sa.select(cases.c.id, cases.c.events)).all():
        outcome, at = issued_decision(events or [])
        if outcome is not None:
            connection.execute(sa.update(cases).where(cases.c.id == case_id)
                               .values(outcome=outcome, decided_at=at))  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("web_accounts") as table:
        table.drop_column("country")
    with op.batch_alter_table("recognition_cases") as table:
        table.drop_column("decided_at")
        table.drop_column("outcome")
