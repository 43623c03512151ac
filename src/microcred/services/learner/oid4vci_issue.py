"""The OpenID4VCI credential endpoint: key proofs, batches, SD-JWT VC and ``ldp_vc``.

The request names a credential configuration the access token covers; its ``proofs`` (``jwt``
or ``di_vp``) prove up to ``batch_size`` holder keys, all with one ``c_nonce`` from the nonce
endpoint, spent here. Each key gets its own credential: an SD-JWT VC bound by ``cnf`` (with
its Token Status List entry), or the Open Badges 3.0 credential re-issued about the key's
``did:key`` with a fresh id and the provider's Data Integrity proof (its status entries are
the original's: revoking the credential revokes every copy).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from microcred.adapters.db.learner_models import AccessToken, WalletClaim
from microcred.core.errors import MicrocredError, OAuthError
from microcred.core.keys import PublicKey
from microcred.core.oid4vci.credential import (
    Grant,
    bind_to_holder,
    credential_response,
    requested_configuration,
)
from microcred.core.oid4vci.metadata import DEFAULT_BATCH_SIZE, LDP_VC_CONFIGURATION
from microcred.core.oid4vci.proofs import ProofPolicy, proven_keys
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.proofs.registry import suite_for_key
from microcred.services.context import Context, token_hash
from microcred.services.learner.binding import bound_sd_jwt, issuer_of
from microcred.services.learner.oid4vci import configurations, spend_nonce


@dataclass(frozen=True)
class _Claimed:
    document: str
    credential_ref: str | None


def _bearer(authorization: str) -> str:
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise OAuthError("invalid_token", "a Bearer access token is required", http_status=401)
    return token_hash(value.strip())


def _claim_of(ctx: Context, hashed: str) -> _Claimed:
    row = ctx.session.scalars(select(AccessToken).where(AccessToken.token_hash == hashed)).first()
    if row is None or row.used_at is not None or row.expires_at <= ctx.clock():
        why = "the access token is unknown, used or expired"
        raise OAuthError("invalid_token", why, http_status=401)
    claim = ctx.session.execute(
        select(WalletClaim.document, WalletClaim.credential_ref).where(
            WalletClaim.id == row.claim_id
        )
    ).first()
    if claim is None:  # the claim went with its learner
        raise OAuthError("invalid_token", "the credential is no longer offered", http_status=401)
    return _Claimed(claim.document, claim.credential_ref)


def _spend_token(ctx: Context, hashed: str) -> None:
    used = ctx.session.execute(
        update(AccessToken).where(AccessToken.token_hash == hashed)
        .where(AccessToken.used_at.is_(None)).values(used_at=ctx.clock())
        .returning(AccessToken.token_hash)
    ).first()  # fmt: skip
    if used is None:
        raise OAuthError("invalid_token", "the access token was already used", http_status=401)


def _ldp_vc(ctx: Context, raw: str, holder: PublicKey) -> dict[str, Any] | None:
    """The OB 3.0 credential about ``holder``'s did:key, signed again by its provider."""
    try:
        document = json.loads(raw)
    except ValueError:
        return None
    issuer = issuer_of(document) if isinstance(document, dict) else None
    signer = ctx.issuer_keys.signer(ctx, issuer) if issuer else None
    if signer is None:
        return None
    key, method = signer
    bound = bind_to_holder(document, holder.did_key, f"urn:uuid:{ctx.new_id()}")
    try:
        return sign_document(bound, key, method, suite_for_key(key.type),
                             created=ctx.clock().replace(microsecond=0))  # fmt: skip
    except MicrocredError:
        return None


def credential(ctx: Context, authorization: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """One credential per proven key, in the configuration asked for (8.2, 8.3)."""
    hashed = _bearer(authorization)
    claimed = _claim_of(ctx, hashed)
    offered = configurations()
    configuration, _ = requested_configuration(body, Grant(tuple(offered)), offered)
    accepted = offered[configuration]["proof_types_supported"]
    policy = ProofPolicy(audience=ctx.public_url)
    keys = proven_keys(body, policy, accepted=accepted, batch_size=DEFAULT_BATCH_SIZE,
                       spend_nonce=lambda nonce: spend_nonce(ctx, nonce),
                       now=ctx.clock())  # fmt: skip
    issued: list[str | dict[str, Any]] = []
    for proven in keys:
        one: str | dict[str, Any] | None
        if configuration == LDP_VC_CONFIGURATION:
            one = _ldp_vc(ctx, claimed.document, proven.key)
        else:
            one = bound_sd_jwt(ctx, claimed.document, proven.key, claimed.credential_ref)
        if one is None:
            why = "this credential cannot be issued here in that format"
            raise OAuthError("credential_request_denied", why)
        issued.append(one)
    _spend_token(ctx, hashed)
    return credential_response(issued)
