"""OpenID4VCI 1.0 endpoints: metadata, token (both grants), nonce, credential (batches)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import JSONResponse, Response

from microcred.api.bodies import parse_body
from microcred.api.deps import Public
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.core.errors import MicrocredError, OAuthError
from microcred.schemas.learners import (
    AuthorizationServerMetadata,
    CredentialIssuerMetadata,
    CredentialOfferOut,
    CredentialResponse,
    NonceOut,
    OAuthErrorOut,
    TokenOut,
)
from microcred.services.learner import claims, oid4vci, oid4vci_issue

router = APIRouter(tags=["openid4vci"])
OAUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": OAuthErrorOut, "description": "an OAuth 2.0 error"} for status in (400, 401)
}
NO_STORE = {"Cache-Control": "no-store"}


def _error(exc: OAuthError) -> Response:
    return JSONResponse({"error": exc.error, "error_description": exc.message},
                        status_code=exc.http_status, headers=NO_STORE)  # fmt: skip


@router.get("/.well-known/openid-credential-issuer")
def issuer_metadata(ctx: Public) -> CredentialIssuerMetadata:
    """Credential issuer metadata."""
    return CredentialIssuerMetadata.model_validate(oid4vci.credential_issuer_metadata(ctx))


@router.get("/.well-known/oauth-authorization-server")
def authorization_metadata(ctx: Public) -> AuthorizationServerMetadata:
    """Authorization server metadata (authorization and token endpoints, PKCE S256)."""
    metadata = oid4vci.authorization_metadata(ctx)
    return AuthorizationServerMetadata.model_validate(metadata)


@router.get("/oid4vci/offers/{code}", response_model=CredentialOfferOut,
            responses=PROBLEM_RESPONSES,
            summary="A credential offer by reference (what the QR code points to)")  # fmt: skip
def offer(ctx: Public, code: Annotated[str, Path(max_length=100)]) -> Response:
    """The offer while its claim is unused and unexpired; 410 afterwards."""
    found = CredentialOfferOut.model_validate(claims.offer_by_code(ctx, code))
    return JSONResponse(found.model_dump(mode="json"), headers=NO_STORE)


@router.post("/oid4vci/token", response_model=TokenOut, responses=OAUTH_ERRORS)
async def token(request: Request, ctx: Public) -> Response:
    """Pre-authorized code (+ tx_code), or authorization code + PKCE verifier -> access token."""
    form = await request.form(max_files=0, max_fields=20)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        return JSONResponse(oid4vci.token(ctx, values), headers=NO_STORE)
    except OAuthError as exc:
        return _error(exc)


@router.post("/oid4vci/nonce", response_model=NonceOut)
def nonce(ctx: Public) -> Response:
    """A fresh c_nonce (OpenID4VCI 1.0 nonce endpoint)."""
    return JSONResponse(oid4vci.new_nonce(ctx), headers=NO_STORE)


@router.post("/oid4vci/credential", response_model=CredentialResponse, responses=OAUTH_ERRORS)
async def credential(request: Request, ctx: Public) -> Response:
    """Key proofs (``jwt`` or ``di_vp``, up to the batch size) -> one credential per key."""
    try:
        body = parse_body(await request.body())
    except MicrocredError:  # a JSON-typed body was already refused by StrictJsonBodies
        body = None
    if not isinstance(body, dict):
        return _error(OAuthError("invalid_credential_request", "a JSON object is expected"))
    try:
        issued = oid4vci_issue.credential(ctx, request.headers.get("authorization", ""), body)
    except OAuthError as exc:
        return _error(exc)
    return JSONResponse(issued, headers=NO_STORE)
