"""The OpenID4VCI authorization code flow with PKCE (S256): consent and the code's redemption.

A wallet that read an offer with the ``authorization_code`` grant sends the learner's browser
to ``/oid4vci/authorize`` with the offer's ``issuer_state``. The learner signs in on our pages,
sees the credential and the wallet asking for it, and agrees: a code (5 minutes, single use) is
stored bound to the claim, the learner, the client, its redirect URI and its PKCE challenge.
The token endpoint redeems it with the ``code_verifier``; the claim is used up then, so the
same offer's pre-authorized code stops working too (one offer, one credential request).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update

from microcred.adapters.db.learner_models import AuthorizationCode, WalletClaim
from microcred.core.errors import OAuthError
from microcred.core.oid4vci.authorization import (
    AuthorizationRequest,
    CodeGrant,
    authorization_response,
    grant_code,
    read_authorization_request,
    redeem_code,
    redirect_with,
)
from microcred.services.context import Context, token_hash
from microcred.services.errors import LinkExpired
from microcred.services.learner.oid4vci import configurations, endpoints


@dataclass(frozen=True)
class Consent:
    """What the consent page shows: the request and the credential it would give."""

    request: AuthorizationRequest
    claim_id: str
    document: str


def _claim(ctx: Context, state: str | None) -> WalletClaim:
    if not state:
        why = "issuer_state from a credential offer is required: this issuer offers claims only"
        raise OAuthError("invalid_request", why)
    row = ctx.session.scalars(
        select(WalletClaim).where(WalletClaim.issuer_state_hash == token_hash(state))
    ).first()
    if row is None or row.used_at is not None or row.expires_at <= ctx.clock():
        raise OAuthError("invalid_request", "the offer's issuer_state is unknown, used or expired")
    return row


def consent(ctx: Context, params: Mapping[str, str]) -> Consent:
    """A checked authorization request and the claim it is for; OAuthError otherwise (the
    caller has checked the redirect URI first, so the error can be redirected)."""
    request = read_authorization_request(params, configurations())
    row = _claim(ctx, request.issuer_state)
    return Consent(request, row.id, row.document)


def refusal(ctx: Context, params: Mapping[str, str], error: OAuthError) -> str:
    """Where the browser goes for a refusal (the redirect URI was checked by the caller)."""
    return redirect_with(params["redirect_uri"], {
        "error": error.error, "error_description": error.message,
        "state": params.get("state"), "iss": endpoints(ctx).issuer})  # fmt: skip


def approve(ctx: Context, params: Mapping[str, str], account_id: str) -> str:
    """The learner agreed: store a code, return the redirect carrying it (with state, iss)."""
    found = consent(ctx, params)
    code = ctx.token()
    grant = grant_code(found.request, subject=account_id, now=ctx.clock())
    request = found.request
    ctx.session.execute(insert(AuthorizationCode).values(
        code_hash=token_hash(code), claim_id=found.claim_id, account_id=account_id,
        client_id=request.client_id, redirect_uri=request.redirect_uri,
        code_challenge=request.code_challenge,
        configuration_ids=list(request.configuration_ids),
        expires_at=grant.expires_at))  # fmt: skip
    return authorization_response(request, code, endpoints(ctx))


def _grant(row: AuthorizationCode) -> CodeGrant:
    ids: Any = row.configuration_ids or []
    request = AuthorizationRequest(row.client_id, row.redirect_uri, row.code_challenge,
                                   tuple(str(i) for i in ids))  # fmt: skip
    return CodeGrant(request, row.account_id or "", row.expires_at, row.used_at)


def redeem(ctx: Context, form: Mapping[str, str]) -> str:
    """The claim an authorization code (with its PKCE verifier) opens; code and claim are
    used up. ``invalid_grant`` for anything that does not match (RFC 6749 5.2)."""
    from microcred.services.learner.claims import consume

    code = form.get("code")
    if not code:
        raise OAuthError("invalid_request", "code is required")
    hashed = token_hash(code)
    row = ctx.session.get(AuthorizationCode, hashed)
    redeem_code(_grant(row) if row is not None else None, form, ctx.clock())
    spent = ctx.session.execute(
        update(AuthorizationCode).where(AuthorizationCode.code_hash == hashed)
        .where(AuthorizationCode.used_at.is_(None)).values(used_at=ctx.clock())
        .returning(AuthorizationCode.claim_id)
    ).first()  # fmt: skip
    if spent is None or spent.claim_id is None:
        raise OAuthError("invalid_grant", "this authorization code was already used")
    try:
        claim = consume(ctx, WalletClaim.id, spent.claim_id)
    except LinkExpired:
        raise OAuthError("invalid_grant", "the offer was used or expired meanwhile") from None
    return str(claim.id)
