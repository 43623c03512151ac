"""A provider's learning opportunities: drafts and publication."""

from __future__ import annotations

from fastapi import APIRouter

from microcred.api.deps import Auth
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.api.providers import Id
from microcred.schemas.opportunities import OpportunityOut, VersionOut
from microcred.services import opportunities
from microcred.services.opportunities import OpportunityIn

router = APIRouter(tags=["opportunities"], responses=PROBLEM_RESPONSES)


@router.post("/providers/{provider_id}/opportunities", status_code=201,
             summary="Create a learning opportunity (as a draft)")  # fmt: skip
def create(ctx: Auth, provider_id: Id, body: OpportunityIn) -> OpportunityOut:
    return OpportunityOut.of(opportunities.create(ctx, provider_id, body))


@router.get("/providers/{provider_id}/opportunities", summary="A provider's opportunities")
def list_for_provider(ctx: Auth, provider_id: Id) -> list[OpportunityOut]:
    return [OpportunityOut.of(row) for row in opportunities.list_for_provider(ctx, provider_id)]


@router.get("/opportunities/{opportunity_id}", summary="An opportunity with its draft")
def show(ctx: Auth, opportunity_id: Id) -> OpportunityOut:
    return OpportunityOut.of(opportunities.get(ctx, opportunity_id))


@router.put("/opportunities/{opportunity_id}/draft", summary="Replace the draft")
def update_draft(ctx: Auth, opportunity_id: Id, body: OpportunityIn) -> OpportunityOut:
    return OpportunityOut.of(opportunities.update_draft(ctx, opportunity_id, body))


@router.post("/opportunities/{opportunity_id}/publish", status_code=201,
             summary="Publish the draft as a new immutable version")  # fmt: skip
def publish(ctx: Auth, opportunity_id: Id) -> VersionOut:
    return VersionOut.of(opportunities.publish(ctx, opportunity_id))
