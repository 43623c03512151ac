"""OpenID for Verifiable Credential Issuance, pre-authorized code flow, SD-JWT VC credentials.

Token endpoint: the pre-authorized code (and ``tx_code`` if the offer asked for one) buys a
single-use access token and a ``c_nonce``. Credential endpoint: a JWT proof of possession
(``typ`` ``openid4vci-proof+jwt``, ``aud`` = issuer, ``nonce`` = ``c_nonce``, key in ``jwk``
or a did:key ``kid``) gets an SD-JWT VC bound to that key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update

from microcred.adapters.db.learner_models import AccessToken, VerifierChallenge, WalletClaim
from microcred.core.did import did_key_document, find_verification_method, split_did_url
from microcred.core.errors import MicrocredError, OAuthError
from microcred.core.formats.sdjwt_vc import VCT
from microcred.core.keys import PublicKey
from microcred.core.proofs.jws import check_alg, check_signature, parse_jws
from microcred.services.context import Context, token_hash
from microcred.services.errors import LinkExpired
from microcred.services.learner.binding import bound_sd_jwt
from microcred.services.learner.claims import CONFIGURATION_ID, PRE_AUTH_GRANT

TOKEN_TTL = timedelta(minutes=10)
PROOF_TYP = "openid4vci-proof+jwt"
PROOF_MAX_AGE = timedelta(minutes=5)
ALGS = ["EdDSA", "Ed25519", "ES256", "ES384"]  # Ed25519: the RFC 9864 name for EdDSA over Ed25519
NONCE_PURPOSE = "openid4vci-nonce"  # nonces share the single-use challenges table
NONCE_TTL = timedelta(minutes=5)


def issuer_metadata(ctx: Context) -> dict[str, Any]:
    """``/.well-known/openid-credential-issuer``."""
    base = ctx.public_url
    configuration = {
        "format": "dc+sd-jwt", "vct": VCT, "scope": "MicroCredential",
        "cryptographic_binding_methods_supported": ["jwk", "did:key"],
        "credential_signing_alg_values_supported": ALGS,
        "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ALGS}},
        "display": [{"name": "European micro-credential", "locale": "en"},
                    {"name": "Micro-certification européenne", "locale": "fr"}],
    }  # fmt: skip
    return {"credential_issuer": base, "authorization_servers": [base],
            "credential_endpoint": f"{base}/oid4vci/credential",
            "nonce_endpoint": f"{base}/oid4vci/nonce",
            "display": [{"name": "microcred", "locale": "en"}],
            "credential_configurations_supported": {CONFIGURATION_ID: configuration}}  # fmt: skip


def authorization_metadata(ctx: Context) -> dict[str, Any]:
    """``/.well-known/oauth-authorization-server``."""
    return {"issuer": ctx.public_url, "token_endpoint": f"{ctx.public_url}/oid4vci/token",
            "grant_types_supported": [PRE_AUTH_GRANT],
            "pre-authorized_grant_anonymous_access_supported": True}  # fmt: skip


def token(ctx: Context, form: Mapping[str, str]) -> dict[str, Any]:
    """Exchange a pre-authorized code for an access token (the claim is used up)."""
    from microcred.services.learner.claims import consume

    if form.get("grant_type") != PRE_AUTH_GRANT:
        raise OAuthError("unsupported_grant_type", "only the pre-authorized code grant")
    code = form.get("pre-authorized_code", "")
    row = ctx.session.execute(select(WalletClaim.tx_code_hash).where(
        WalletClaim.pre_auth_hash == token_hash(code))).first()  # fmt: skip
    if row is None:
        raise OAuthError("invalid_grant", "unknown or expired pre-authorized code")
    if row.tx_code_hash and token_hash(form.get("tx_code", "")) != row.tx_code_hash:
        raise OAuthError("invalid_grant", "wrong or missing tx_code")
    try:
        claim = consume(ctx, WalletClaim.pre_auth_hash, token_hash(code))
    except LinkExpired:
        raise OAuthError("invalid_grant", "the pre-authorized code was already used") from None
    access, nonce = ctx.token(), ctx.token(16)
    ctx.session.execute(insert(AccessToken).values(
        token_hash=token_hash(access), claim_id=claim.id, c_nonce=nonce,
        expires_at=ctx.clock() + TOKEN_TTL))  # fmt: skip
    seconds = int(TOKEN_TTL.total_seconds())
    return {"access_token": access, "token_type": "Bearer", "expires_in": seconds,
            "c_nonce": nonce, "c_nonce_expires_in": seconds}  # fmt: skip


@dataclass(frozen=True)
class _Grant:
    claim_id: str | None  # None once the claim was erased with its learner
    c_nonce: str


def _grant(ctx: Context, authorization: str) -> _Grant:
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value:
        raise OAuthError("invalid_token", "a Bearer access token is required", http_status=401)
    row = ctx.session.scalars(select(AccessToken).where(
        AccessToken.token_hash == token_hash(value.strip()))).first()  # fmt: skip
    if row is None or row.used_at is not None or row.expires_at <= ctx.clock():
        raise OAuthError(
            "invalid_token", "the access token is unknown, used or expired", http_status=401
        )
    return _Grant(row.claim_id, row.c_nonce)


def proof_key(ctx: Context, proof_jwt: str, c_nonce: str) -> PublicKey:
    """Check a JWT proof of possession; the holder key it proves."""
    try:
        jws = parse_jws(proof_jwt, "proof JWT")
    except MicrocredError as exc:
        raise OAuthError("invalid_proof", exc.message) from exc
    header, payload = jws.header, jws.payload
    if header.get("typ") != PROOF_TYP:
        raise OAuthError("invalid_proof", f"the proof's typ must be {PROOF_TYP}")
    key = _header_key(header)
    reason = check_alg(header) or check_signature(jws, key)
    if reason:
        raise OAuthError("invalid_proof", reason)
    if payload.get("aud") != ctx.public_url:
        raise OAuthError("invalid_proof", "the proof's aud is not this credential issuer")
    nonce = payload.get("nonce")
    if nonce != c_nonce and not (isinstance(nonce, str) and _spend_nonce(ctx, nonce)):
        raise OAuthError("invalid_nonce", "the proof does not carry a c_nonce we gave")
    iat = payload.get("iat")
    now = ctx.clock().timestamp()
    if not isinstance(iat, int | float) or abs(now - iat) > PROOF_MAX_AGE.total_seconds():
        raise OAuthError("invalid_proof", "the proof's iat is missing or too far from now")
    return key


def new_nonce(ctx: Context) -> dict[str, Any]:
    """Nonce endpoint (OpenID4VCI 1.0): a fresh single-use ``c_nonce``."""
    nonce, now = ctx.token(16), ctx.clock()
    row = {"challenge": nonce, "domain": NONCE_PURPOSE, "created_at": now,
           "expires_at": now + NONCE_TTL}  # fmt: skip
    ctx.session.execute(insert(VerifierChallenge).values(**row))
    return {"c_nonce": nonce}


def _spend_nonce(ctx: Context, nonce: str) -> bool:
    """Use up a nonce of the nonce endpoint (True if it was valid)."""
    now = ctx.clock()
    done = ctx.session.execute(
        update(VerifierChallenge).where(VerifierChallenge.challenge == nonce)
        .where(VerifierChallenge.domain == NONCE_PURPOSE).where(VerifierChallenge.used_at.is_(None))
        .where(VerifierChallenge.expires_at > now).values(used_at=now)
        .returning(VerifierChallenge.challenge)
    ).first()  # fmt: skip
    return done is not None


def _header_key(header: Mapping[str, Any]) -> PublicKey:
    try:
        if isinstance(header.get("jwk"), Mapping):
            if "d" in header["jwk"]:
                raise OAuthError("invalid_proof", "the jwk header must not hold a private key")
            return PublicKey.from_jwk(header["jwk"])
        kid = header.get("kid")
        if isinstance(kid, str) and kid.startswith("did:key:"):
            did, _ = split_did_url(kid)
            return find_verification_method(did_key_document(did), kid, "assertionMethod")
    except OAuthError:
        raise
    except MicrocredError as exc:
        raise OAuthError("invalid_proof", f"unusable proof key: {exc.message}") from exc
    raise OAuthError("invalid_proof", "the proof names its key neither by jwk nor did:key kid")


def _proof_jwt(body: Mapping[str, Any]) -> str:
    proof = body.get("proof")
    if isinstance(proof, Mapping) and proof.get("proof_type") == "jwt":
        return str(proof.get("jwt", ""))
    proofs = body.get("proofs")
    jwts = proofs.get("jwt") if isinstance(proofs, Mapping) else None
    if isinstance(jwts, list) and len(jwts) == 1 and isinstance(jwts[0], str):
        return jwts[0]
    raise OAuthError("invalid_proof", "one JWT proof (proof or proofs.jwt) is required")


def credential(ctx: Context, authorization: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """Issue the claimed credential as an SD-JWT VC bound to the proven key."""
    grant = _grant(ctx, authorization)
    wanted = body.get("credential_configuration_id") or body.get("format")
    if wanted not in (CONFIGURATION_ID, "dc+sd-jwt", "vc+sd-jwt"):
        raise OAuthError("unsupported_credential_format", f"only {CONFIGURATION_ID}")
    holder = proof_key(ctx, _proof_jwt(body), grant.c_nonce)
    used = ctx.session.execute(update(AccessToken)
                        .where(AccessToken.token_hash == _hash_of(authorization))
                        .where(AccessToken.used_at.is_(None))
                        .values(used_at=ctx.clock())
                        .returning(AccessToken.token_hash)).first()  # fmt: skip
    row = ctx.session.execute(
        select(WalletClaim.document, WalletClaim.credential_ref).where(
            WalletClaim.id == grant.claim_id
        )
    ).first()
    if used is None or row is None:
        raise OAuthError("invalid_token", "the access token was already used", http_status=401)
    issued = bound_sd_jwt(ctx, row.document, holder, row.credential_ref)
    if issued is None:
        raise OAuthError("credential_request_denied", "this credential cannot be issued here")
    return {"credentials": [{"credential": issued}], "credential": issued}


def _hash_of(authorization: str) -> str:
    return token_hash(authorization.partition(" ")[2].strip())
