"""OpenID4VP verifier endpoints: create a request, its request object, the response URI."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import JSONResponse, Response

from microcred.api.deps import Public
from microcred.api.problems import MEDIA_TYPE, PROBLEM_RESPONSES
from microcred.core.errors import MicrocredError, OAuthError
from microcred.core.problems import problem_body
from microcred.schemas.base import moment
from microcred.schemas.oid4vp import (
    DirectPostOut,
    PresentationRequestIn,
    PresentationRequestOut,
    RequestObject,
)
from microcred.services import oid4vp_verifier
from microcred.services.moments import iso

router = APIRouter(tags=["openid4vp"], responses=PROBLEM_RESPONSES)
TransactionId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
NO_STORE = {"Cache-Control": "no-store"}
REQUEST_JWT = "application/oauth-authz-req+jwt"


def oauth_problem(exc: MicrocredError) -> JSONResponse:
    """problem+json that an OAuth client reads too: ``error`` and ``error_description``."""
    error = exc.error if isinstance(exc, OAuthError) else "invalid_request"
    code = "oauth-error" if isinstance(exc, OAuthError) else exc.code
    body = problem_body(exc.http_status, code, exc.message, error=error,
                        error_description=exc.message)  # fmt: skip
    return JSONResponse(body, status_code=exc.http_status, media_type=MEDIA_TYPE,
                        headers=NO_STORE)  # fmt: skip


def _out(pending: oid4vp_verifier.Pending) -> PresentationRequestOut:
    return PresentationRequestOut(
        id=pending.id, client_id=pending.client_id, request_uri=pending.request_uri,
        link=pending.link, dcql_query=dict(pending.dcql_query),
        expires_at=moment(pending.expires_at), answered_at=iso(pending.answered_at),
        result=dict(pending.result) if pending.result is not None else None,
    )  # fmt: skip


@router.post("/oid4vp/requests", status_code=201, summary="A new OpenID4VP presentation request")
def create_request(ctx: Public, body: PresentationRequestIn) -> PresentationRequestOut:
    """The link (for a QR code or a same-device wallet) and the request's id; expires in 10 min."""
    return _out(oid4vp_verifier.create(ctx, body.kind, body.claims))


@router.get("/oid4vp/requests/{transaction_id}", summary="A request and its result")
def get_request(ctx: Public, transaction_id: TransactionId) -> PresentationRequestOut:
    """Poll until ``answered_at`` is set; ``result`` then holds the verifier's judgement."""
    return _out(oid4vp_verifier.get(ctx, transaction_id))


class RequestJwt(Response):
    media_type = REQUEST_JWT


@router.get("/oid4vp/requests/{transaction_id}/request.jwt",
            summary="The signed request object (request_uri)", response_class=RequestJwt,
            responses={200: {"model": RequestObject}})  # fmt: skip
def request_object(ctx: Public, transaction_id: TransactionId) -> Response:
    """``typ`` ``oauth-authz-req+jwt``, signed by a key of the platform's did:web."""
    try:
        token = oid4vp_verifier.request_object(ctx, transaction_id)
    except OAuthError as exc:
        return oauth_problem(exc)
    return RequestJwt(token, headers=NO_STORE)


@router.post("/oid4vp/response", summary="The response URI (response_mode direct_post)",
             response_model=DirectPostOut)  # fmt: skip
async def direct_post(request: Request, ctx: Public) -> Response:
    """``vp_token`` and ``state``, form-encoded; 200 with ``redirect_uri`` when accepted."""
    form = await request.form(max_files=0, max_fields=20, max_part_size=2 * 1024 * 1024)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        received = oid4vp_verifier.receive(ctx, values)
    except MicrocredError as exc:
        return oauth_problem(exc)
    if received.refused:
        return oauth_problem(OAuthError("invalid_request", received.refused))
    body: dict[str, Any] = received.body
    return JSONResponse(body, headers=NO_STORE)
