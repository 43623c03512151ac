"""The verifier's Authorization Request (OpenID4VP 1.0 section 5), made and read.

We ask for ``response_type=vp_token`` with ``response_mode=direct_post`` (the wallet POSTs the
answer to ``response_uri``; it works across devices, from a QR code) and a DCQL query.

Client identifier prefixes (5.9). The platform's verifier identifies itself as
``decentralized_identifier:<its did:web>``: the request object is then signed with a key of
that DID (``kid`` a DID URL), which wallets check by resolving the DID, and the platform
already publishes and rotates did:web keys; ``x509_san_dns`` / ``x509_hash`` would need an
X.509 chain that wallets trust, which a provider does not have by default. ``redirect_uri:``
(the response URI itself, unsigned by definition) is read too, for plain links made by value.
A wallet here accepts exactly those two prefixes; pre-registered clients (no prefix) and
the others are refused with ``invalid_request``.

Requests by reference use ``request_uri`` to a JWT with ``typ`` ``oauth-authz-req+jwt``
signed through :mod:`microcred.core.proofs.jws`. ``state`` is required here: the response URI
finds the transaction by it (section 13.3). Nothing here reads a clock or draws randomness.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from microcred.core.did import split_did_url
from microcred.core.errors import MicrocredError, OAuthError
from microcred.core.keys import KeyPair, PublicKey
from microcred.core.oid4vp.dcql import DcqlQuery, parse_dcql
from microcred.core.proofs.jws import b64url_encode, check_alg, check_signature, parse_jws, sign_jws
from microcred.core.proofs.registry import preferred_signing_suites

RESPONSE_TYPE = "vp_token"
DIRECT_POST = "direct_post"
REQUEST_TYP = "oauth-authz-req+jwt"
STATIC_AUDIENCE = "https://self-issued.me/v2"  # 5.8: the wallet is not known in advance
WALLET_SCHEME = "openid4vp://"
DID_PREFIX = "decentralized_identifier"
REDIRECT_PREFIX = "redirect_uri"
SUPPORTED_PREFIXES = (DID_PREFIX, REDIRECT_PREFIX)
REQUEST_LIFETIME = timedelta(minutes=10)
_URL_SAFE = re.compile(r"[A-Za-z0-9._~-]{1,512}")
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
VP_FORMATS = {
    "dc+sd-jwt": {"sd-jwt_alg_values": ["EdDSA", "Ed25519", "ES256", "ES384"],
                  "kb-jwt_alg_values": ["EdDSA", "Ed25519", "ES256", "ES384"]},
    "ldp_vc": {"proof_type_values": ["DataIntegrityProof"],
               "cryptosuite_values": list(preferred_signing_suites())},
}  # fmt: skip


def _invalid(description: str) -> OAuthError:
    return OAuthError("invalid_request", description)


def client_id_prefix(client_id: str) -> tuple[str | None, str]:
    """``(prefix, original client identifier)``; no prefix for a pre-registered client."""
    prefix, colon, original = client_id.partition(":")
    return (prefix, original) if colon else (None, client_id)


@dataclass(frozen=True)
class AuthorizationRequest:
    """An OpenID4VP request for a VP Token, sent by ``direct_post`` to ``response_uri``."""

    client_id: str
    response_uri: str
    nonce: str
    state: str
    dcql_query: DcqlQuery
    client_metadata: Mapping[str, Any] = field(default_factory=dict)
    wallet_nonce: str | None = None

    def claims(self) -> dict[str, Any]:
        """The parameters with JSON values as objects (the request object's payload)."""
        claims: dict[str, Any] = {
            "client_id": self.client_id, "response_type": RESPONSE_TYPE,
            "response_mode": DIRECT_POST, "response_uri": self.response_uri,
            "nonce": self.nonce, "state": self.state, "dcql_query": dict(self.dcql_query.raw),
        }  # fmt: skip
        if self.client_metadata:
            claims["client_metadata"] = dict(self.client_metadata)
        if self.wallet_nonce is not None:
            claims["wallet_nonce"] = self.wallet_nonce
        return claims

    def params(self) -> dict[str, str]:
        """URL query parameters: objects as JSON-serialised strings (5.1)."""
        return {
            name: value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
            for name, value in self.claims().items()
        }


def verifier_metadata() -> dict[str, Any]:
    """``client_metadata``: the presentation formats our verifier checks (section 11)."""
    return {"vp_formats_supported": json.loads(json.dumps(VP_FORMATS))}


def new_request(
    *,
    client_id: str,
    response_uri: str,
    dcql_query: DcqlQuery,
    random_bytes: Callable[[int], bytes],
    client_metadata: Mapping[str, Any] | None = None,
) -> AuthorizationRequest:
    """A request with a fresh 128-bit ``nonce`` and ``state`` (5.2, 13.3)."""
    nonce, state = b64url_encode(random_bytes(16)), b64url_encode(random_bytes(16))
    if nonce == state or len(nonce) < 22:
        raise ValueError("random_bytes must return fresh 16-byte values")
    metadata = verifier_metadata() if client_metadata is None else client_metadata
    return AuthorizationRequest(client_id, response_uri, nonce, state, dcql_query, metadata)


def sign_request_object(
    request: AuthorizationRequest,
    *,
    key: KeyPair,
    kid: str,
    now: datetime,
    audience: str = STATIC_AUDIENCE,
) -> str:
    """The request object (JAR): ``typ`` ``oauth-authz-req+jwt``, signed by ``kid``."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    issued = int(now.timestamp())
    lifetime = int(REQUEST_LIFETIME.total_seconds())
    payload = {**request.claims(), "aud": audience, "iat": issued, "exp": issued + lifetime}
    return sign_jws({"typ": REQUEST_TYP, "kid": kid}, payload, key)


def request_link(client_id: str, request_uri: str, *, scheme: str = WALLET_SCHEME) -> str:
    """What the QR code and the same-device link carry: ``client_id`` and ``request_uri``."""
    return f"{scheme}?{urlencode({'client_id': client_id, 'request_uri': request_uri})}"


def request_link_by_value(request: AuthorizationRequest, *, scheme: str = WALLET_SCHEME) -> str:
    """An unsigned request in the link itself (``redirect_uri:`` client identifiers)."""
    return f"{scheme}?{urlencode(request.params())}"


# --- the wallet's side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Invocation:
    """What a wallet link says: the request itself, or where to fetch it and how."""

    client_id: str
    params: Mapping[str, str]
    request_uri: str | None = None
    request_uri_method: str = "get"
    request: str | None = None  # a request object passed by value


def read_invocation(link: str) -> Invocation:
    """Read a wallet link (``openid4vp://?...`` or any URL with the request in its query)."""
    pairs = parse_qsl(urlsplit(link.strip()).query, keep_blank_values=True)
    names = [name for name, _ in pairs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise _invalid(f"the parameter {repeated[0]!r} is repeated")
    params = dict(pairs)
    client_id = params.get("client_id", "")
    if not client_id:
        raise _invalid("the request has no client_id")
    method = params.get("request_uri_method")
    if method is not None and "request_uri" not in params:
        raise _invalid("request_uri_method is only allowed with request_uri")
    if method not in (None, "get", "post"):
        raise OAuthError("invalid_request_uri_method", "request_uri_method is get or post")
    return Invocation(client_id, params, params.get("request_uri"), method or "get",
                      params.get("request"))  # fmt: skip


def _checked_uri(value: object, allow_http: bool) -> str:
    if not isinstance(value, str):
        raise _invalid("direct_post needs a response_uri")
    parts = urlsplit(value)
    local = parts.scheme == "http" and allow_http and parts.hostname in _LOOPBACK
    if not parts.hostname or (parts.scheme != "https" and not local):
        raise _invalid(f"response_uri {value[:80]!r} is not an https URL")
    return value


def _url_safe(claims: Mapping[str, Any], name: str) -> str:
    value = claims.get(name)
    if not isinstance(value, str) or not _URL_SAFE.fullmatch(value):
        raise _invalid(f"{name} is required, in URL-safe characters (A-Z a-z 0-9 - . _ ~)")
    return value


def _json_member(claims: Mapping[str, Any], name: str) -> Any:
    value = claims.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise _invalid(f"{name} is not JSON") from None
    return value


def _check_client(client_id: str, response_uri: str, signed: bool) -> None:
    prefix, original = client_id_prefix(client_id)
    if prefix is None:
        raise _invalid("this wallet knows no pre-registered verifiers: use a client_id prefix")
    if prefix not in SUPPORTED_PREFIXES:
        known = ", ".join(SUPPORTED_PREFIXES)
        raise _invalid(f"client_id prefix {prefix!r} is not supported (only {known})")
    if prefix == REDIRECT_PREFIX and (signed or original != response_uri):
        raise _invalid("a redirect_uri client_id is unsigned and equals the response_uri")
    if prefix == DID_PREFIX and not signed:
        raise _invalid("a decentralized_identifier client must sign its request")


def check_request(
    claims: Mapping[str, Any], *, signed: bool, allow_http: bool = False
) -> AuthorizationRequest:
    """Read request parameters (or a request object's verified payload) as a wallet must."""
    if claims.get("response_type") != RESPONSE_TYPE:
        raise OAuthError("unsupported_response_type", "only response_type vp_token is supported")
    if claims.get("response_mode") != DIRECT_POST:
        raise _invalid("only response_mode direct_post is supported")
    if "redirect_uri" in claims:
        raise _invalid("redirect_uri must not be present with direct_post")
    if "transaction_data" in claims:
        raise _invalid("transaction_data is not supported by this wallet")
    if "scope" in claims or "dcql_query" not in claims:
        raise _invalid("a dcql_query is required (scope aliases are not supported)")
    client_id = claims.get("client_id")
    if not isinstance(client_id, str) or not client_id:
        raise _invalid("the request has no client_id")
    response_uri = _checked_uri(claims.get("response_uri"), allow_http)
    _check_client(client_id, response_uri, signed)
    metadata = _json_member(claims, "client_metadata") or {}
    if not isinstance(metadata, Mapping):
        raise _invalid("client_metadata must be a JSON object")
    wallet_nonce = claims.get("wallet_nonce")
    return AuthorizationRequest(
        client_id, response_uri, _url_safe(claims, "nonce"), _url_safe(claims, "state"),
        parse_dcql(_json_member(claims, "dcql_query")), metadata,
        wallet_nonce if isinstance(wallet_nonce, str) else None,
    )  # fmt: skip


def _request_key(
    header: Mapping[str, Any], client_id: str, resolve_key: Callable[[str], PublicKey]
) -> PublicKey:
    prefix, original = client_id_prefix(client_id)
    if prefix != DID_PREFIX:
        raise _invalid(f"a signed request needs a {DID_PREFIX}: client_id, not {client_id[:80]!r}")
    kid = header.get("kid")
    if not isinstance(kid, str) or split_did_url(kid)[0] != original or "#" not in kid:
        raise _invalid(f"the request object's kid must be a key of {original}")
    try:
        return resolve_key(kid)
    except (MicrocredError, LookupError, ValueError) as exc:
        raise _invalid(f"the verifier's key {kid} cannot be resolved: {exc}") from exc


def _check_times(payload: Mapping[str, Any], now: datetime) -> None:
    at = now.timestamp()
    exp, iat = payload.get("exp"), payload.get("iat")
    if isinstance(exp, int | float) and not isinstance(exp, bool) and at > exp + 60:
        raise _invalid("the request object has expired")
    if isinstance(iat, int | float) and not isinstance(iat, bool) and iat > at + 60:
        raise _invalid("the request object is issued in the future")


def open_request_object(
    token: str,
    *,
    client_id: str,
    resolve_key: Callable[[str], PublicKey],
    now: datetime,
    wallet_nonce: str | None = None,
    allow_http: bool = False,
) -> AuthorizationRequest:
    """Check a signed request object (typ, signature by the client's DID, client_id, dates,
    audience, wallet_nonce) and read it; ``invalid_request`` with the reason otherwise."""
    try:
        jws = parse_jws(token, "request object")
    except MicrocredError as exc:
        raise _invalid(exc.message) from exc
    if jws.header.get("typ") != REQUEST_TYP:
        raise _invalid(f"the request object's typ must be {REQUEST_TYP}")
    if jws.payload.get("client_id") != client_id:
        raise _invalid("the request object's client_id is not the one of the link")
    key = _request_key(jws.header, client_id, resolve_key)
    reason = check_alg(jws.header) or check_signature(jws, key)
    if reason:
        raise _invalid(f"the request object's signature: {reason}")
    _check_times(jws.payload, now)
    if jws.payload.get("aud", STATIC_AUDIENCE) != STATIC_AUDIENCE:
        raise _invalid("the request object is addressed to another wallet (aud)")
    if wallet_nonce is not None and jws.payload.get("wallet_nonce") != wallet_nonce:
        raise _invalid("the request object does not carry our wallet_nonce")
    return check_request(jws.payload, signed=True, allow_http=allow_http)
