"""SD-JWT (RFC 9901) and SD-JWT VC (``dc+sd-jwt``, also read ``vc+sd-jwt``): issue, present, verify.

Disclosable claims are named by paths (see :mod:`.sd_jwt_disclosures`); salts and decoys come
from the injected ``random_bytes``. Holder binding is ``cnf.jwk``; the Key Binding JWT
(``kb+jwt``) carries ``iat``, ``aud``, ``nonce`` and ``sd_hash``. Compact serialization only.
Time is an argument (``now``); nothing here reads a clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from microcred.core.errors import InvalidKey, MicrocredError, ProofError
from microcred.core.keys import KeyPair, PublicKey
from microcred.core.proofs.jws import (
    Jws,
    check_alg,
    check_signature,
    numeric_date_text,
    parse_jws,
    sign_jws,
)
from microcred.core.proofs.sd_jwt_disclosures import (
    SD_ALG,
    ClaimPath,
    Concealer,
    Disclosure,
    SdJwtParts,
    claim_path,
    digest,
    process_disclosures,
    split_sd_jwt,
)

__all__ = [
    "KB_TYP",
    "SD_JWT_VC_TYPS",
    "ClaimPath",
    "Disclosure",
    "KeyBindingPolicy",
    "SdJwtResult",
    "claim_path",
    "disclosure_paths",
    "issue_sd_jwt",
    "present_sd_jwt",
    "validity_problem",
    "verify_sd_jwt",
]

SD_JWT_VC_TYPS = ("dc+sd-jwt", "vc+sd-jwt")
KB_TYP = "kb+jwt"
# SD-JWT VC claims that, with their sub-claims, stay in clear (draft-ietf-oauth-sd-jwt-vc 2.2.2.3).
VC_CLEAR_CLAIMS = frozenset(
    {"iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "aka_vcts", "status"}
)


def issue_sd_jwt(
    claims: Mapping[str, Any],
    *,
    issuer_key: KeyPair,
    disclosable: Iterable[ClaimPath],
    random_bytes: Callable[[int], bytes],
    kid: str | None = None,
    holder_key: PublicKey | None = None,
    typ: str = "dc+sd-jwt",
    decoys: int = 0,
) -> str:
    """Issue an SD-JWT (``<jwt>~<disclosure>~...~``) hiding the claims at ``disclosable``."""
    paths = frozenset(tuple(p) for p in disclosable)
    if typ.lower() in SD_JWT_VC_TYPS:
        clear = sorted({str(p[0]) for p in paths if p and p[0] in VC_CLEAR_CLAIMS})
        if clear:
            raise ProofError(f"SD-JWT VC claims must stay in clear: {', '.join(clear)}")
    if "_sd_alg" in claims or (holder_key is not None and "cnf" in claims):
        raise ProofError("claims must not already contain '_sd_alg' (or 'cnf' with holder_key)")
    concealer = Concealer(paths, random_bytes, max(0, decoys))
    payload = concealer.fold(claims, ())
    missing = sorted(paths - concealer.matched, key=repr)
    if missing:
        raise ProofError(f"no claim at disclosable path(s): {', '.join(map(repr, missing))}")
    payload["_sd_alg"] = SD_ALG
    if holder_key is not None:
        payload["cnf"] = {"jwk": holder_key.to_jwk()}
    header = {"typ": typ} if kid is None else {"typ": typ, "kid": kid}
    jwt = sign_jws(header, payload, issuer_key)
    return "~".join([jwt, *(d.encoded for d in concealer.disclosures)]) + "~"


# --- presentation ---------------------------------------------------------------------------


def _related(a: ClaimPath, b: ClaimPath) -> bool:
    """One path is the other or lies inside it."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _exists(claims: Any, path: ClaimPath) -> bool:
    for step in path:
        if isinstance(claims, dict) and isinstance(step, str) and step in claims:
            claims = claims[step]
            continue
        if not (isinstance(claims, list) and isinstance(step, int) and 0 <= step < len(claims)):
            return False
        claims = claims[step]
    return True


def _timestamp(now: datetime) -> int:
    if now.tzinfo is None:
        raise ProofError("'now' must be a timezone-aware datetime")
    return int(now.timestamp())


def _holder_key(payload: Mapping[str, Any]) -> PublicKey:
    cnf = payload.get("cnf")
    jwk = cnf.get("jwk") if isinstance(cnf, Mapping) else None
    if not isinstance(jwk, Mapping):
        raise ProofError("the issuer-signed JWT has no holder key (cnf.jwk)")
    try:
        return PublicKey.from_jwk(jwk)
    except InvalidKey as exc:
        raise ProofError(f"invalid holder key in cnf.jwk: {exc.message}") from exc


def disclosure_paths(sd_jwt: str) -> dict[ClaimPath, Disclosure]:
    """The claim path each Disclosure of an issued SD-JWT reveals (what a holder can choose)."""
    parts = split_sd_jwt(sd_jwt)
    _claims, revealed = process_disclosures(
        parse_jws(parts.jwt, "issuer-signed JWT").payload, parts.disclosures
    )
    return {revealed[d.digest]: d for d in parts.disclosures}


def present_sd_jwt(
    sd_jwt: str,
    *,
    reveal: Iterable[ClaimPath],
    holder_key: KeyPair | None = None,
    aud: str | None = None,
    nonce: str | None = None,
    now: datetime | None = None,
) -> str:
    """Keep the Disclosures needed for ``reveal`` (a path reveals its subtree and its parents).

    With ``holder_key`` a Key Binding JWT for ``aud``/``nonce`` at ``now`` is appended.
    """
    parts = split_sd_jwt(sd_jwt)
    if parts.kb_jwt:
        raise ProofError("a holder receives an SD-JWT, not an SD-JWT+KB")
    payload = parse_jws(parts.jwt, "issuer-signed JWT").payload
    claims, revealed = process_disclosures(payload, parts.disclosures)
    wanted = [tuple(r) for r in reveal]
    for path in wanted:
        if not _exists(claims, path):
            raise ProofError(f"the SD-JWT has no claim at {path!r}")
    chosen = [
        d.encoded for d in parts.disclosures if any(_related(revealed[d.digest], w) for w in wanted)
    ]
    presented = "~".join([parts.jwt, *chosen]) + "~"
    if holder_key is None:
        return presented
    if _holder_key(payload) != holder_key.public:
        raise ProofError("holder_key is not the key the SD-JWT is bound to (cnf.jwk)")
    if not aud or not nonce or now is None:
        raise ProofError("a Key Binding JWT needs aud, nonce and now")
    kb_payload = {"iat": _timestamp(now), "aud": aud, "nonce": nonce, "sd_hash": digest(presented)}
    return presented + sign_jws({"typ": KB_TYP}, kb_payload, holder_key)


# --- verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SdJwtResult:
    """Outcome of :func:`verify_sd_jwt`: ``ok`` when ``authentic`` and within exp/nbf.

    ``authentic``: the issuer's signature, the Disclosures, the SD-JWT VC rules and (when
    asked for) the Key Binding hold, whatever the token's exp/nbf say. ``validity_problem``:
    why the exp/nbf claims do not hold at ``now`` ("" when they do). ``reason``: the first
    failure, authenticity first. ``header``/``payload`` are the issuer-signed JWT as received;
    ``claims`` is the processed payload (only what was disclosed); ``disclosed`` lists the
    revealed claim paths.
    """

    ok: bool
    reason: str = ""
    header: dict[str, Any] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)
    claims: dict[str, Any] = field(default_factory=dict)
    disclosed: tuple[ClaimPath, ...] = ()
    key_binding: dict[str, Any] | None = None
    authentic: bool = False
    validity_problem: str = ""


@dataclass(frozen=True)
class KeyBindingPolicy:
    """What the verifier expects of the Key Binding JWT."""

    aud: str
    nonce: str
    max_age: timedelta = timedelta(minutes=5)
    max_future: timedelta = timedelta(minutes=1)


def _check_typ(header: Mapping[str, Any], accepted: Iterable[str]) -> None:
    typ = header.get("typ")
    normal = typ.lower().removeprefix("application/") if isinstance(typ, str) else None
    if normal not in {t.lower() for t in accepted}:
        raise ProofError(f"unsupported typ {typ!r} (expected {' or '.join(accepted)})")


def _check_issuer_jwt(jws: Jws, resolve_key: Callable[[str], PublicKey]) -> None:
    reason = check_alg(jws.header)
    if reason:
        raise ProofError(reason)
    issuer = jws.payload.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    key_id = jws.header.get("kid") or jws.payload.get("iss") or issuer_id
    if not isinstance(key_id, str) or not key_id:
        raise ProofError("no 'kid', 'iss' or issuer to find the issuer's key")
    try:
        key = resolve_key(key_id)
    except (MicrocredError, LookupError, ValueError) as exc:
        raise ProofError(f"issuer key {key_id!r} not resolved: {exc}") from exc
    reason = check_signature(jws, key)
    if reason:
        raise ProofError(f"issuer-signed JWT: {reason}")


def validity_problem(payload: Mapping[str, Any], now: float, leeway: float = 0) -> str:
    """Why the JWT's ``exp``/``nbf`` do not hold at ``now`` (seconds), or "" when they do."""
    times = {claim: payload[claim] for claim in ("exp", "nbf") if claim in payload}
    for claim, value in times.items():
        if not isinstance(value, int | float) or isinstance(value, bool):
            return f"'{claim}' must be a NumericDate"
    if "exp" in times and now > times["exp"] + leeway:
        return f"the token expired at {numeric_date_text(times['exp'])} (exp)"
    if "nbf" in times and now + leeway < times["nbf"]:
        return f"the token is not valid yet: not before {numeric_date_text(times['nbf'])} (nbf)"
    return ""


def _check_vc_claims(
    header: Mapping[str, Any], claims: Mapping[str, Any], disclosed: Iterable[ClaimPath]
) -> None:
    """SD-JWT VC (``dc+sd-jwt``): ``vct`` is required and the registered claims stay in clear."""
    if str(header.get("typ", "")).lower().removeprefix("application/") != "dc+sd-jwt":
        return
    if not isinstance(claims.get("vct"), str):
        raise ProofError("an SD-JWT VC needs a 'vct' string")
    hidden = sorted({str(p[0]) for p in disclosed if p and p[0] in VC_CLEAR_CLAIMS})
    if hidden:
        raise ProofError(f"SD-JWT VC claims must not be selectively disclosed: {', '.join(hidden)}")


def _check_key_binding(
    parts: SdJwtParts, payload: Mapping[str, Any], policy: KeyBindingPolicy, now: int
) -> dict[str, Any]:
    kb = parse_jws(parts.kb_jwt, "KB-JWT")
    if kb.header.get("typ") != KB_TYP:
        raise ProofError(f"KB-JWT typ must be {KB_TYP!r}, got {kb.header.get('typ')!r}")
    reason = check_alg(kb.header) or check_signature(kb, _holder_key(payload))
    if reason:
        raise ProofError(f"KB-JWT: {reason}")
    iat = kb.payload.get("iat")
    if not isinstance(iat, int | float):
        raise ProofError("KB-JWT has no numeric 'iat'")
    if iat < now - policy.max_age.total_seconds() or iat > now + policy.max_future.total_seconds():
        raise ProofError("KB-JWT 'iat' is outside the accepted time window")
    if kb.payload.get("nonce") != policy.nonce:
        raise ProofError("KB-JWT nonce does not match the expected nonce")
    aud = kb.payload.get("aud")
    if aud != policy.aud and not (isinstance(aud, list) and policy.aud in aud):
        raise ProofError("KB-JWT aud does not match the expected audience")
    if kb.payload.get("sd_hash") != digest(parts.presented):
        raise ProofError("KB-JWT sd_hash does not match the presented SD-JWT")
    return kb.payload


def _check_authentic(
    parts: SdJwtParts,
    jws: Jws,
    resolve_key: Callable[[str], PublicKey],
    key_binding: KeyBindingPolicy | None,
    accepted_typs: tuple[str, ...],
    now: int,
) -> SdJwtResult:
    """Everything but exp/nbf; raises ProofError with the reason."""
    _check_typ(jws.header, accepted_typs)
    _check_issuer_jwt(jws, resolve_key)
    claims, revealed = process_disclosures(jws.payload, parts.disclosures)
    _check_vc_claims(jws.header, claims, revealed.values())
    kb_payload = None
    if key_binding is not None:
        if not parts.kb_jwt:
            raise ProofError("a Key Binding JWT is required but the presentation has none")
        kb_payload = _check_key_binding(parts, jws.payload, key_binding, now)
    elif parts.kb_jwt:
        parse_jws(parts.kb_jwt, "KB-JWT")  # not asked for, so not checked, but never junk
    disclosed = tuple(revealed[d.digest] for d in parts.disclosures)
    return SdJwtResult(True, "", jws.header, jws.payload, claims, disclosed, kb_payload, True)


def verify_sd_jwt(
    token: str,
    *,
    resolve_key: Callable[[str], PublicKey],
    now: datetime,
    key_binding: KeyBindingPolicy | None,
    accepted_typs: Iterable[str] = SD_JWT_VC_TYPS,
    leeway: timedelta = timedelta(minutes=1),
) -> SdJwtResult:
    """Verify an SD-JWT or SD-JWT+KB; never raises for an invalid token.

    Authenticity and exp/nbf validity are judged apart (see :class:`SdJwtResult`): an expired
    token with a good signature is ``authentic`` with a ``validity_problem``.
    ``key_binding=None`` means the verifier's policy does not ask for holder binding (a KB-JWT,
    if present, must be a JWS but is not checked further); otherwise a valid KB-JWT matching
    the policy is required.
    ``resolve_key`` gets the header ``kid`` (else ``iss``).
    """
    if not isinstance(token, str):
        return SdJwtResult(False, "token is not text")
    try:
        at = _timestamp(now)
        parts = split_sd_jwt(token)
        jws = parse_jws(parts.jwt, "issuer-signed JWT")
    except ProofError as exc:
        return SdJwtResult(False, exc.message)
    problem = validity_problem(jws.payload, at, int(leeway.total_seconds()))
    try:
        result = _check_authentic(parts, jws, resolve_key, key_binding, tuple(accepted_typs), at)
    except ProofError as exc:
        return SdJwtResult(False, exc.message, jws.header, jws.payload, validity_problem=problem)
    return replace(result, ok=not problem, reason=problem, validity_problem=problem)
