"""The audit trail: who did what, when, to which record, and why."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from microcred.adapters.db.tables import AuditEvent
from microcred.services.context import Context


def record(
    ctx: Context,
    action: str,
    target_type: str,
    target_id: str | int,
    *,
    provider_id: int | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an event to the session (committed with the change it describes)."""
    event = AuditEvent(
        at=ctx.now(),
        actor=ctx.actor.name,
        provider_id=provider_id,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        reason=reason,
        detail=detail or {},
    )
    ctx.session.add(event)
    return event


def list_events(
    ctx: Context,
    provider_id: int | None = None,
    target_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEvent]:
    """Events, newest first; provider keys see only their provider's events."""
    if ctx.actor.provider_id is not None:
        provider_id = ctx.actor.provider_id
    ctx.actor.require("read", provider_id)
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if provider_id is not None:
        query = query.where(AuditEvent.provider_id == provider_id)
    if target_id is not None:
        query = query.where(AuditEvent.target_id == target_id)
    return list(ctx.session.scalars(query.limit(limit).offset(offset)))
