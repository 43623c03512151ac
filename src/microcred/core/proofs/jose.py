"""VC-JOSE: verifiable credentials and presentations secured as compact JWS.

Implements W3C "Securing Verifiable Credentials using JOSE and COSE" (``vc+jwt`` / ``vp+jwt``,
payload = the VCDM 2.0 document itself) and reads the VC 1.1 JWT style (``vc`` / ``vp`` claim,
as Open Badges 3.0 used it), whose header may carry the public key as ``jwk``.

Signing and signature checks go through joserfc (:mod:`.jws`) with an allowlist: EdDSA (and
RFC 9864 ``Ed25519``), ES256, ES384; ``none``, ``HS*`` and ``RS*``/``PS*`` are refused with a
reason.
The header and payload are returned exactly as received; time, status and issuer trust are
checked elsewhere. A ``typ`` is optional (the spec's examples omit it); when present it must be
``vc+jwt``/``vc+ld+jwt``/``vp+jwt``/``vp+ld+jwt`` (or ``JWT`` for VC 1.1), and ``cty`` must fit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from microcred.core.errors import InputTooLarge, InvalidKey, MicrocredError, ProofError
from microcred.core.formats.reading import check_depth
from microcred.core.keys import KeyPair, PublicKey
from microcred.core.proofs.jws import (
    MAX_JSON_DEPTH,
    MAX_TOKEN_BYTES,
    Jws,
    check_alg,
    check_signature,
    parse_jws,
    sign_jws,
)

_VC_TYPS = frozenset({"vc+jwt", "vc+ld+jwt"})
_VP_TYPS = frozenset({"vp+jwt", "vp+ld+jwt"})
_JWT_TYPS = frozenset({"jwt"})
_CTY = {"credential": {"vc", "vc+ld+json"}, "presentation": {"vp", "vp+ld+json"}}
ENVELOPE_MEDIA_TYPES = frozenset(
    {"application/vc+jwt", "application/vc+ld+jwt", "application/vc+sd-jwt",
     "application/dc+sd-jwt", "application/vc+cose", "application/vc"}
)  # fmt: skip

# --- VC-JOSE --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnvelopedCredential:
    """A secured credential inside a presentation: media type, data: URL parameters, data."""

    media_type: str
    data: str
    parameters: tuple[str, ...] = ()  # e.g. ("base64",) for COSE carried as base64


@dataclass(frozen=True)
class JoseResult:
    """Outcome of :func:`verify_vc_jwt`; ``reason`` says why when ``ok`` is False.

    ``document`` is the credential or presentation (the payload itself for VCDM 2.0, the
    ``vc``/``vp`` claim for VC 1.1 JWTs). ``key_in_header`` flags a key taken from the token's
    own ``jwk`` header: it proves integrity only, the caller must tie it to the issuer.
    Enveloped credentials of a presentation are listed, not verified: verify each on its own.
    """

    ok: bool
    reason: str = ""
    header: dict[str, Any] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)
    kind: str = ""
    document: dict[str, Any] = field(default_factory=dict)
    vc11: bool = False
    key_id: str = ""
    key_in_header: bool = False
    enveloped: tuple[EnvelopedCredential, ...] = ()


@dataclass(frozen=True)
class _Shape:
    kind: str
    vc11: bool
    document: dict[str, Any]
    enveloped: tuple[EnvelopedCredential, ...]


def _media(value: object, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ProofError(f"JWS header '{what}' must be a string")
    return value.lower().removeprefix("application/")


def _types(document: Mapping[str, Any]) -> list[Any]:
    value = document.get("type", [])
    return value if isinstance(value, list) else [value]


def _infer_kind(payload: Mapping[str, Any]) -> tuple[str, bool]:
    if "vp" in payload:
        return "presentation", True
    if "vc" in payload:
        return "credential", True
    if "VerifiablePresentation" in _types(payload):
        return "presentation", False
    if "VerifiableCredential" in _types(payload):
        return "credential", False
    raise ProofError("payload is neither a verifiable credential nor a presentation")


def _kind_from_header(header: Mapping[str, Any], payload: Mapping[str, Any]) -> tuple[str, bool]:
    typ = _media(header.get("typ"), "typ")
    if typ in _VC_TYPS:
        kind, vc11 = "credential", False
    elif typ in _VP_TYPS:
        kind, vc11 = "presentation", False
    elif typ is None or typ in _JWT_TYPS:
        kind, vc11 = _infer_kind(payload)
    else:
        raise ProofError(f"unsupported typ {header.get('typ')!r} (expected vc+jwt or vp+jwt)")
    cty = _media(header.get("cty"), "cty")
    if cty is not None and cty not in _CTY[kind]:
        raise ProofError(f"cty {header.get('cty')!r} does not fit a {kind} (typ {typ!r})")
    return kind, vc11


def _issuer_id(document: Mapping[str, Any]) -> Any:
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, Mapping) else issuer


def _parse_data_url(value: object) -> EnvelopedCredential:
    if not isinstance(value, str) or not value.startswith("data:") or "," not in value:
        raise ProofError(f"enveloped credential id {str(value)[:80]!r} is not a data: URL")
    head, data = value[5:].split(",", 1)
    media_type, *parameters = head.lower().split(";")
    if media_type not in ENVELOPE_MEDIA_TYPES:
        raise ProofError(f"enveloped credential has unsupported media type {media_type!r}")
    return EnvelopedCredential(media_type, data.strip(), tuple(p.strip() for p in parameters))


def _enveloped(document: Mapping[str, Any], vc11: bool) -> tuple[EnvelopedCredential, ...]:
    items = document.get("verifiableCredential", [])
    found: list[EnvelopedCredential] = []
    for item in items if isinstance(items, list) else [items]:
        if vc11:
            if isinstance(item, str):
                found.append(EnvelopedCredential("application/jwt", item))
            continue
        if not isinstance(item, Mapping) or "EnvelopedVerifiableCredential" not in _types(item):
            raise ProofError(
                "a credential in a presentation must be an EnvelopedVerifiableCredential"
            )
        found.append(_parse_data_url(item.get("id")))
    return tuple(found)


def _check_vc11_claims(payload: Mapping[str, Any], document: Mapping[str, Any]) -> None:
    pairs = (("iss", _issuer_id(document)), ("jti", document.get("id")))
    for claim, value in pairs:
        if claim in payload and value is not None and payload[claim] != value:
            raise ProofError(f"JWT claim {claim!r} does not match the credential")


def _shape(header: Mapping[str, Any], payload: Mapping[str, Any]) -> _Shape:
    kind, vc11 = _kind_from_header(header, payload)
    expected = "VerifiableCredential" if kind == "credential" else "VerifiablePresentation"
    if vc11:
        document = payload.get("vc" if kind == "credential" else "vp")
        if not isinstance(document, dict):
            raise ProofError(f"the {'vc' if kind == 'credential' else 'vp'} claim is not an object")
        _check_vc11_claims(payload, document)
    else:
        if "vc" in payload or "vp" in payload:
            raise ProofError("the JWT claims 'vc' and 'vp' must not be present in a vc+jwt/vp+jwt")
        document = dict(payload)
        iss = payload.get("iss")
        if kind == "credential" and iss is not None and iss != _issuer_id(payload):
            raise ProofError(f"iss {iss!r} does not match the credential issuer")
    if expected not in _types(document):
        raise ProofError(f"the {kind} does not have type {expected}")
    enveloped = _enveloped(document, vc11) if kind == "presentation" else ()
    return _Shape(kind, vc11, document, enveloped)


def _key_id(header: Mapping[str, Any], payload: Mapping[str, Any], shape: _Shape) -> str:
    for candidate in (header.get("kid"), payload.get("iss"), _issuer_id(shape.document)):
        if isinstance(candidate, str) and candidate:
            return candidate
    holder = shape.document.get("holder")
    if isinstance(holder, str) and holder:
        return holder
    raise ProofError("no 'kid', 'iss' or issuer to find the verification key")


def _header_key_reason(jws: Jws, jwk: Mapping[str, Any]) -> str | None:
    if "d" in jwk:
        return "the JWS header carries a private key"
    try:
        key = PublicKey.from_jwk(jwk)
    except InvalidKey as exc:
        return f"invalid 'jwk' in JWS header: {exc.message}"
    return check_signature(jws, key)


def _verify_key(
    jws: Jws, shape: _Shape, resolve_key: Callable[[str], PublicKey]
) -> tuple[str, bool, str | None]:
    """(key id, key taken from header, failure reason or None); ProofError without a key."""
    alg_reason = check_alg(jws.header)
    jwk = jws.header.get("jwk")
    if shape.vc11 and isinstance(jwk, Mapping):
        return str(jws.header.get("kid", "")), True, alg_reason or _header_key_reason(jws, jwk)
    if alg_reason:
        return "", False, alg_reason
    key_id = _key_id(jws.header, jws.payload, shape)
    try:
        key = resolve_key(key_id)
    except (MicrocredError, LookupError, ValueError) as exc:
        return key_id, False, f"verification key {key_id!r} not resolved: {exc}"
    return key_id, False, check_signature(jws, key)


def verify_vc_jwt(token: str, resolve_key: Callable[[str], PublicKey]) -> JoseResult:
    """Verify a VC-JOSE (or VC 1.1) JWT; never raises for an invalid token.

    ``resolve_key`` gets the ``kid`` (else ``iss``, else the issuer id) and returns the key.
    """
    if not isinstance(token, str):
        return JoseResult(False, "token is not text")
    try:
        jws = parse_jws(token, "VC-JWT")
    except ProofError as exc:
        return JoseResult(False, exc.message)
    try:
        shape = _shape(jws.header, jws.payload)
    except ProofError as exc:
        return JoseResult(False, exc.message, jws.header, jws.payload)
    try:
        key_id, in_header, reason = _verify_key(jws, shape, resolve_key)
    except ProofError as exc:
        key_id, in_header, reason = "", False, exc.message
    return JoseResult(
        reason is None, reason or "", jws.header, jws.payload, shape.kind,
        shape.document, shape.vc11, key_id, in_header, shape.enveloped,
    )  # fmt: skip


def sign_vc_jwt(
    credential: Mapping[str, Any], key_pair: KeyPair, kid: str, typ: str = "vc+jwt"
) -> str:
    """Secure a VCDM 2.0 credential (or presentation, ``typ="vp+jwt"``) as a compact JWS."""
    media = _media(typ, "typ")
    if media not in _VC_TYPS | _VP_TYPS:
        raise ProofError(f"typ must be vc+jwt, vc+ld+jwt, vp+jwt or vp+ld+jwt, not {typ!r}")
    if not isinstance(credential, Mapping):
        raise ProofError("only a JSON object can be secured")
    cty = "vp" if media in _VP_TYPS else "vc"
    header = {"kid": kid, "typ": typ, "cty": cty}
    _shape(header, credential)
    try:
        check_depth(credential, MAX_JSON_DEPTH)
    except InputTooLarge:
        raise ProofError(f"credential is nested deeper than {MAX_JSON_DEPTH} levels") from None
    token = sign_jws(header, credential, key_pair)
    if len(token) > MAX_TOKEN_BYTES:
        raise ProofError(f"signed token would be larger than {MAX_TOKEN_BYTES} bytes")
    return token
