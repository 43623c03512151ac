"""The audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from microcred.api.deps import Auth
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.api.providers import Limit, Offset
from microcred.schemas.credentials import AuditEventOut
from microcred.services import audit
from microcred.services.bounds import MAX_ROW_ID

router = APIRouter(tags=["audit"], responses=PROBLEM_RESPONSES)


@router.get("/audit-events", summary="Audit events, newest first (own provider's only)")
def list_events(
    ctx: Auth,
    provider_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
    target_id: Annotated[str | None, Query(max_length=100, pattern=r"^[^\x00]*$")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[AuditEventOut]:
    rows = audit.list_events(ctx, provider_id, target_id, limit, offset)
    return [AuditEventOut.of(row) for row in rows]
