"""Key proofs in a credential request (OpenID4VCI 1.0 section 8.2, appendix F).

``proofs`` holds one proof type with an array of proofs, one per key the wallet wants a
credential bound to (a batch, up to ``batch_size``). Two proof types are read:

* ``jwt``: ``typ`` ``openid4vci-proof+jwt``, the key in ``jwk`` (never a private one) or a
  ``did:key`` ``kid``, ``aud`` the Credential Issuer Identifier, a recent ``iat``, the
  server's ``c_nonce`` in ``nonce``;
* ``di_vp``: a Verifiable Presentation with one Data Integrity proof, ``proofPurpose``
  ``authentication``, ``domain`` the issuer, ``challenge`` the ``c_nonce``, by a ``did:key``.

All proofs of a request carry the same ``c_nonce``; it is spent once, through the injected
``spend_nonce`` (the issuer's single-use nonce store). One key may not be proven twice.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from microcred.core.did import did_key_document, find_verification_method, split_did_url
from microcred.core.errors import MicrocredError, OAuthError
from microcred.core.keys import PublicKey
from microcred.core.oid4vci.metadata import DI_SUITES, JWT_ALGS
from microcred.core.proofs.data_integrity import proof_list, verify_proofs
from microcred.core.proofs.jws import check_alg, check_signature, parse_jws

PROOF_TYP = "openid4vci-proof+jwt"
JWT_PROOF, DI_VP_PROOF = "jwt", "di_vp"


@dataclass(frozen=True)
class ProofPolicy:
    """What the issuer accepts: its identifier as audience, algorithms, suites, time window."""

    audience: str
    algs: tuple[str, ...] = JWT_ALGS
    suites: tuple[str, ...] = DI_SUITES
    max_age: timedelta = timedelta(minutes=5)
    max_future: timedelta = timedelta(minutes=1)
    client_id: str | None = None  # the client that got the token, when it is known


@dataclass(frozen=True)
class ProvenKey:
    """A holder key proven by one proof, and the ``c_nonce`` the proof carried."""

    key: PublicKey
    nonce: str | None = field(default=None, compare=False)


def _bad(description: str) -> OAuthError:
    return OAuthError("invalid_proof", description)


def read_proofs(
    body: Mapping[str, Any], accepted: Collection[str], batch_size: int
) -> tuple[str, list[Any]]:
    """The proof type and its proofs; ``invalid_proof`` (or ``invalid_credential_request``
    for a batch over ``batch_size``)."""
    if "proof" in body:
        raise _bad("OpenID4VCI 1.0 takes 'proofs' (an object of arrays), not 'proof'")
    proofs = body.get("proofs")
    if not isinstance(proofs, Mapping) or len(proofs) != 1:
        raise _bad("proofs must be an object with exactly one proof type")
    ((kind, items),) = proofs.items()
    if kind not in accepted:
        raise _bad(f"proof type {kind!r} is not accepted ({', '.join(sorted(accepted))})")
    if not isinstance(items, list) or not items:
        raise _bad(f"proofs.{kind} must be a non-empty array")
    if len(items) > batch_size:
        why = f"{len(items)} proofs: a request may bind at most {batch_size} keys"
        raise OAuthError("invalid_credential_request", why)
    return kind, items


def _header_key(header: Mapping[str, Any]) -> PublicKey:
    named = [name for name in ("jwk", "kid", "x5c") if name in header]
    if len(named) != 1:
        raise _bad("the proof names its key by exactly one of jwk, kid (did:key) or x5c")
    try:
        if named == ["jwk"] and isinstance(header["jwk"], Mapping):
            if "d" in header["jwk"]:
                raise _bad("the jwk header must not hold a private key")
            return PublicKey.from_jwk(header["jwk"])
        kid = header.get("kid")
        if isinstance(kid, str) and kid.startswith("did:key:"):
            return _did_key(kid)
    except MicrocredError as exc:
        raise _bad(f"unusable proof key: {exc.message}") from exc
    raise _bad("the proof key must be a jwk or a did:key URL (x5c is not supported)")


def _did_key(method: str) -> PublicKey:
    did, fragment = split_did_url(method)
    if fragment is None:
        method = f"{did}#{did.removeprefix('did:key:')}"
    return find_verification_method(did_key_document(did), method, "authentication")


def _check_time(issued: object, policy: ProofPolicy, now: datetime, what: str) -> None:
    if isinstance(issued, bool) or not isinstance(issued, int | float):
        raise _bad(f"the proof has no numeric {what}")
    at = now.timestamp()
    too_old = issued < at - policy.max_age.total_seconds()
    if too_old or issued > at + policy.max_future.total_seconds():
        raise _bad(f"the proof's {what} is too far from now")


def check_jwt_proof(token: object, policy: ProofPolicy, now: datetime) -> ProvenKey:
    """One ``jwt`` key proof (F.1); the key it proves."""
    if not isinstance(token, str):
        raise _bad("a jwt proof is a compact JWT string")
    try:
        jws = parse_jws(token, "proof JWT")
    except MicrocredError as exc:
        raise _bad(exc.message) from exc
    header, payload = jws.header, jws.payload
    if header.get("typ") != PROOF_TYP:
        raise _bad(f"the proof's typ must be {PROOF_TYP}")
    if header.get("alg") not in policy.algs:
        raise _bad(check_alg(header) or f"alg {header.get('alg')!r} is not accepted")
    key = _header_key(header)
    reason = check_signature(jws, key)
    if reason:
        raise _bad(reason)
    if payload.get("aud") != policy.audience:
        raise _bad("the proof's aud is not this credential issuer")
    if "iss" in payload and policy.client_id is not None and payload["iss"] != policy.client_id:
        raise _bad("the proof's iss is not the client that got the access token")
    _check_time(payload.get("iat"), policy, now, "iat")
    nonce = payload.get("nonce")
    return ProvenKey(key, nonce if isinstance(nonce, str) else None)


def _created(proof: Mapping[str, Any]) -> float | None:
    created = proof.get("created")
    if created is None:
        return None
    try:
        return datetime.fromisoformat(str(created).replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise _bad(f"the proof's created {created!r} is not a date-time") from None


def check_di_vp_proof(vp: object, policy: ProofPolicy, now: datetime) -> ProvenKey:
    """One ``di_vp`` key proof (F.2): a VP signed by a ``did:key`` for this issuer."""
    if not isinstance(vp, Mapping) or "VerifiablePresentation" not in (vp.get("type") or []):
        raise _bad("a di_vp proof is a VerifiablePresentation object")
    proofs = [p for p in proof_list(vp) if isinstance(p, Mapping)]
    if len(proofs) != 1:
        raise _bad("a di_vp proof carries exactly one Data Integrity proof")
    (proof,) = proofs
    if proof.get("cryptosuite") not in policy.suites:
        raise _bad(f"cryptosuite {proof.get('cryptosuite')!r} is not accepted")
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or not method.startswith("did:key:"):
        raise _bad("the di_vp proof's verificationMethod must be a did:key URL")
    holder = vp.get("holder")
    if holder is not None and holder != split_did_url(method)[0]:
        raise _bad("the VP's holder is not the controller of its proof's key")
    challenge = proof.get("challenge")
    try:
        results = verify_proofs(vp, _did_key, challenge if isinstance(challenge, str) else None,
                                policy.audience, expected_purpose="authentication")  # fmt: skip
    except MicrocredError as exc:
        raise _bad(exc.message) from exc
    if not results or not results[0].ok:
        raise _bad(results[0].reason if results else "the VP has no proof")
    created = _created(proof)
    if created is not None:
        _check_time(created, policy, now, "created")
    return ProvenKey(_did_key(method), challenge if isinstance(challenge, str) else None)


def proven_keys(
    body: Mapping[str, Any],
    policy: ProofPolicy,
    *,
    accepted: Collection[str],
    batch_size: int,
    spend_nonce: Callable[[str], bool],
    now: datetime,
) -> tuple[ProvenKey, ...]:
    """Every key the request's proofs prove, one credential each (8.2, 8.3)."""
    kind, items = read_proofs(body, accepted, batch_size)
    check = check_jwt_proof if kind == JWT_PROOF else check_di_vp_proof
    keys = tuple(check(item, policy, now) for item in items)
    nonces = {proven.nonce for proven in keys}
    if None in nonces:
        raise _bad("every key proof must carry a c_nonce from the nonce endpoint")
    if len(nonces) != 1:
        raise OAuthError("invalid_nonce", "the key proofs carry different c_nonce values")
    if len({proven.key for proven in keys}) != len(keys):
        raise _bad("the same key is proven twice: each credential needs its own key")
    (nonce,) = nonces
    if nonce is None or not spend_nonce(nonce):
        raise OAuthError("invalid_nonce", "the proofs do not carry a valid c_nonce: get a new one")
    return keys
