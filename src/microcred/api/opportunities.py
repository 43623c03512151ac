"""A provider's learning opportunities: drafts and publication."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from microcred.api.deps import Auth
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.api.providers import Id
from microcred.services import opportunities
from microcred.services.opportunities import OpportunityIn

router = APIRouter(tags=["opportunities"], responses=PROBLEM_RESPONSES)


@router.post("/providers/{provider_id}/opportunities", status_code=201,
             summary="Create a learning opportunity (as a draft)")  # fmt: skip
def create(ctx: Auth, provider_id: Id, body: OpportunityIn) -> dict[str, Any]:
    return opportunities.opportunity_json(opportunities.create(ctx, provider_id, body))


@router.get("/providers/{provider_id}/opportunities", summary="A provider's opportunities")
def list_for_provider(ctx: Auth, provider_id: Id) -> list[dict[str, Any]]:
    rows = opportunities.list_for_provider(ctx, provider_id)
    return [opportunities.opportunity_json(row) for row in rows]


@router.get("/opportunities/{opportunity_id}", summary="An opportunity with its draft")
def show(ctx: Auth, opportunity_id: Id) -> dict[str, Any]:
    return opportunities.opportunity_json(opportunities.get(ctx, opportunity_id))


@router.put("/opportunities/{opportunity_id}/draft", summary="Replace the draft")
def update_draft(ctx: Auth, opportunity_id: Id, body: OpportunityIn) -> dict[str, Any]:
    row = opportunities.update_draft(ctx, opportunity_id, body)
    return opportunities.opportunity_json(row)


@router.post("/opportunities/{opportunity_id}/publish", status_code=201,
             summary="Publish the draft as a new immutable version")  # fmt: skip
def publish(ctx: Auth, opportunity_id: Id) -> dict[str, Any]:
    return opportunities.version_json(opportunities.publish(ctx, opportunity_id))
