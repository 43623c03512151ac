"""Outgoing e-mail: written to the outbox table (and a file, if configured), never sent by SMTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select

from microcred.adapters.db.learner_models import OutboxMail
from microcred.services.context import Context


@dataclass(frozen=True)
class Mail:
    """One message in the outbox."""

    id: int
    recipient: str
    subject: str
    body: str
    created_at: datetime


def send_mail(ctx: Context, recipient: str, subject: str, body: str) -> None:
    """Put a message in the outbox (the demo shows it at ``/outbox``)."""
    now = ctx.clock()
    ctx.session.execute(
        insert(OutboxMail).values(recipient=recipient, subject=subject, body=body, created_at=now)
    )
    if ctx.outbox_dir is not None:
        ctx.outbox_dir.mkdir(parents=True, exist_ok=True)
        with (ctx.outbox_dir / "outbox.txt").open("a", encoding="utf-8") as file:
            file.write(f"--- {now.isoformat()} To: {recipient}\nSubject: {subject}\n\n{body}\n")


def recent_mail(ctx: Context, limit: int = 50) -> list[Mail]:
    """The latest messages, newest first."""
    rows = ctx.session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc()).limit(limit)).all()
    return [Mail(r.id, r.recipient, r.subject, r.body, r.created_at) for r in rows]
