"""OpenID for Verifiable Credential Issuance 1.0: metadata, nonces, the token endpoint.

The protocol rules are the pure core's (:mod:`microcred.core.oid4vci`); this module keeps the
state: single-use nonces (``POST /oid4vci/nonce``, in the challenges table), access tokens
bound to one claim, and the grants that buy them. The credential endpoint is
:mod:`.oid4vci_issue`; the authorization code flow's consent is :mod:`.oid4vci_authorize`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update

from microcred.adapters.db.learner_models import AccessToken, VerifierChallenge, WalletClaim
from microcred.core.errors import OAuthError
from microcred.core.formats.ob3_write import CONTEXTS
from microcred.core.formats.sdjwt_vc import ANNEX1_CLAIMS, VCT
from microcred.core.oid4vci.authorization import check_tx_code, token_response
from microcred.core.oid4vci.metadata import (
    AUTHORIZATION_CODE_GRANT,
    LDP_VC_CONFIGURATION,
    PRE_AUTHORIZED_GRANT,
    SD_JWT_CONFIGURATION,
    Endpoints,
    authorization_server_metadata,
    issuer_metadata,
    ldp_vc_configuration,
    sd_jwt_configuration,
)
from microcred.services.context import Context, token_hash
from microcred.services.errors import LinkExpired

TOKEN_TTL = timedelta(minutes=10)
NONCE_PURPOSE = "openid4vci-nonce"  # nonces share the single-use challenges table
NONCE_TTL = timedelta(minutes=5)
OB3_TYPES = ("VerifiableCredential", "OpenBadgeCredential")


def endpoints(ctx: Context) -> Endpoints:
    """The issuer's endpoints under the site's public URL."""
    return Endpoints(ctx.public_url)


def configurations() -> dict[str, dict[str, Any]]:
    """What is offered: the SD-JWT VC and the OB 3.0 credential with Data Integrity."""
    return {
        SD_JWT_CONFIGURATION: sd_jwt_configuration(VCT, ANNEX1_CLAIMS),
        LDP_VC_CONFIGURATION: ldp_vc_configuration(CONTEXTS, OB3_TYPES),
    }


def credential_issuer_metadata(ctx: Context) -> dict[str, Any]:
    """``/.well-known/openid-credential-issuer``."""
    return issuer_metadata(endpoints(ctx), configurations())


def authorization_metadata(ctx: Context) -> dict[str, Any]:
    """``/.well-known/oauth-authorization-server``."""
    return authorization_server_metadata(endpoints(ctx), configurations())


def new_nonce(ctx: Context) -> dict[str, Any]:
    """Nonce endpoint (OpenID4VCI 1.0 section 7): a fresh single-use ``c_nonce``."""
    nonce, now = ctx.token(16), ctx.clock()
    row = {"challenge": nonce, "domain": NONCE_PURPOSE, "created_at": now,
           "expires_at": now + NONCE_TTL}  # fmt: skip
    ctx.session.execute(insert(VerifierChallenge).values(**row))
    return {"c_nonce": nonce}


def spend_nonce(ctx: Context, nonce: str) -> bool:
    """Use up a nonce of the nonce endpoint (True if it was valid and unused)."""
    now = ctx.clock()
    done = ctx.session.execute(
        update(VerifierChallenge).where(VerifierChallenge.challenge == nonce)
        .where(VerifierChallenge.domain == NONCE_PURPOSE).where(VerifierChallenge.used_at.is_(None))
        .where(VerifierChallenge.expires_at > now).values(used_at=now)
        .returning(VerifierChallenge.challenge)
    ).first()  # fmt: skip
    return done is not None


def issue_access_token(ctx: Context, claim_id: str) -> dict[str, Any]:
    """A fresh access token for one claim, and the token response (no ``c_nonce``: the final
    text gets nonces from the nonce endpoint)."""
    access = ctx.token()
    ctx.session.execute(insert(AccessToken).values(
        token_hash=token_hash(access), claim_id=claim_id, c_nonce="",
        expires_at=ctx.clock() + TOKEN_TTL))  # fmt: skip
    return token_response(access, lifetime=TOKEN_TTL)


def token(ctx: Context, form: Mapping[str, str]) -> dict[str, Any]:
    """The token endpoint: the pre-authorized code or the authorization code (with PKCE)."""
    grant = form.get("grant_type")
    if grant == AUTHORIZATION_CODE_GRANT:
        from microcred.services.learner.oid4vci_authorize import redeem

        return issue_access_token(ctx, redeem(ctx, form))
    if grant != PRE_AUTHORIZED_GRANT:
        why = "grant_type is authorization_code or the pre-authorized code"
        raise OAuthError("unsupported_grant_type", why)
    return issue_access_token(ctx, _pre_authorized(ctx, form))


def _pre_authorized(ctx: Context, form: Mapping[str, str]) -> str:
    """The claim a pre-authorized code (and its ``tx_code``) opens; the claim is used up."""
    from microcred.services.learner.claims import consume

    code = form.get("pre-authorized_code")
    if not code:
        raise OAuthError("invalid_request", "pre-authorized_code is required")
    hashed = token_hash(code)
    row = ctx.session.execute(select(WalletClaim.tx_code_hash, WalletClaim.tx_code_failures)
                              .where(WalletClaim.pre_auth_hash == hashed)).first()  # fmt: skip
    if row is None:
        raise OAuthError("invalid_grant", "unknown or expired pre-authorized code")
    expected = row.tx_code_hash
    matches = (lambda given: token_hash(given) == expected) if expected else None
    try:
        check_tx_code(form.get("tx_code"), matches, row.tx_code_failures or 0)
    except OAuthError as exc:
        if exc.error == "invalid_grant":  # a wrong guess counts (13.6.3)
            failures = WalletClaim.tx_code_failures + 1
            ctx.session.execute(update(WalletClaim).where(WalletClaim.pre_auth_hash == hashed)
                                .values(tx_code_failures=failures))  # fmt: skip
        raise
    try:
        claim = consume(ctx, WalletClaim.pre_auth_hash, token_hash(code))
    except LinkExpired:
        raise OAuthError("invalid_grant", "the pre-authorized code was already used") from None
    return str(claim.id)
