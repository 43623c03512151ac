"""Issuing one credential, reading credentials, revoking, suspending, reinstating."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from microcred.api.deps import Auth
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.api.providers import Id, Limit, Offset
from microcred.schemas.credentials import CredentialOut, CredentialSummary
from microcred.services import issuance, statuses
from microcred.services.context import Context
from microcred.services.issuance import IssueIn

router = APIRouter(tags=["credentials"], responses=PROBLEM_RESPONSES)
CredentialId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]


class StatusChangeIn(BaseModel):
    reason: str | None = Field(None, max_length=2000, description="kept in the audit trail")


@router.post("/credentials", status_code=201,
             summary="Issue one credential to one learner (idempotent)")  # fmt: skip
def issue(ctx: Auth, body: IssueIn, response: Response) -> CredentialOut:
    row, created = issuance.issue(ctx, body)
    if not created:
        response.status_code = 200
    response.headers["Location"] = f"/credentials/{row.id}"
    return CredentialOut.of(row)


@router.get("/providers/{provider_id}/credentials", summary="A provider's credentials")
def list_credentials(
    ctx: Auth,
    provider_id: Id,
    email: Annotated[str | None, Query(max_length=300, pattern=r"^[^\x00]*$")] = None,
    state: Annotated[str | None, Query(pattern=r"^(active|revoked|suspended)$")] = None,
    batch: Annotated[str | None, Query(pattern=r"^[0-9a-f-]{36}$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[CredentialSummary]:
    rows = issuance.list_credentials(ctx, provider_id, email=email, state=state,
                                     batch_id=batch, limit=limit, offset=offset)  # fmt: skip
    return [CredentialSummary.of(row) for row in rows]


@router.get("/credentials/{credential_id}", summary="A credential, with its signed document")
def show(ctx: Auth, credential_id: CredentialId) -> CredentialOut:
    return CredentialOut.of(issuance.get(ctx, credential_id))


def _change(ctx: Context, credential_id: str, action: str,
            body: StatusChangeIn) -> CredentialSummary:  # fmt: skip
    return CredentialSummary.of(statuses.change(ctx, credential_id, action, body.reason))


@router.post("/credentials/{credential_id}/revoke", summary="Revoke (permanent)")
def revoke(ctx: Auth, credential_id: CredentialId, body: StatusChangeIn) -> CredentialSummary:
    return _change(ctx, credential_id, "revoke", body)


@router.post("/credentials/{credential_id}/suspend", summary="Suspend (can be reinstated)")
def suspend(ctx: Auth, credential_id: CredentialId, body: StatusChangeIn) -> CredentialSummary:
    return _change(ctx, credential_id, "suspend", body)


@router.post("/credentials/{credential_id}/reinstate", summary="Lift a suspension")
def reinstate(ctx: Auth, credential_id: CredentialId,
              body: StatusChangeIn) -> CredentialSummary:  # fmt: skip
    return _change(ctx, credential_id, "reinstate", body)
